import { Args, changeFlags, projectUsage, Refusal, valueFlag, type Flags } from './args/args.js';
import {
  atSeconds,
  clusterName,
  objectId,
  oplogPoint,
  projectName,
  projectOption,
  reasonOption,
} from './args/values.js';
import { openForm, proposeChange, type ChangeCommand, type OpenFormCommand } from './change.js';
import { defineCommand } from './command.js';

type RestoreCommand =
  | ChangeCommand<'restore.automated'>
  | ChangeCommand<'restore.pointInTime'>
  | ChangeCommand<'restore.download'>;

const restoreFlags: Flags = {
  ...changeFlags,
  to: valueFlag,
  'target-project': valueFlag,
  at: valueFlag,
  oplog: valueFlag,
  download: { value: false },
};

/** The flags that say which kind of restore is meant; `restore cancel …` with one is a restore. */
export function restoreKinds(rest: string[]): string[] {
  const args = new Args(rest, restoreFlags, 'restore');
  return ['to', 'at', 'oplog', 'download'].filter((f) => args.has(f));
}

export const restore = defineCommand({
  topic: 'restore',
  summary:
    'Restore a snapshot or a point in time onto a cluster, or get download links (no arguments: open a form)',
  usage: [
    `/atlas restore <cluster> <snapshotId> --to <targetCluster> [--target-project <id|name>] ${projectUsage}`,
    `/atlas restore <cluster> --at <ISO-8601 time> --to <targetCluster> [--target-project <id|name>] ${projectUsage}`,
    `/atlas restore <cluster> --oplog <ts>:<inc> --to <targetCluster> [--target-project <id|name>] ${projectUsage}`,
    `/atlas restore <cluster> <snapshotId> --download ${projectUsage}`,
    '/atlas restore',
  ],
  examples: [
    '/atlas restore Cluster0 65f0c0ffee0123456789abcd --to Staging0',
    '/atlas restore Cluster0 65f0c0ffee0123456789abcd --to Cluster0 --reason "INC-42: undo the bad migration"',
    '/atlas restore Cluster0 --at 2025-03-01T09:30:00Z --to Cluster0-recovered',
    '/atlas restore Cluster0 --oplog 1740821400:3 --to Cluster0-recovered',
    '/atlas restore Cluster0 65f0c0ffee0123456789abcd --download',
  ],
  changes: true,
  parse(rest): RestoreCommand | OpenFormCommand<'restore'> {
    if (rest.length === 0) return { kind: 'openModal', modal: 'restore' };
    const args = new Args(rest, restoreFlags, 'restore');
    const project = projectOption(args);
    const targetProject = projectName(args.one('target-project'));
    const reason = reasonOption(args);
    const to = args.one('to');
    const at = args.one('at');
    const oplog = args.one('oplog');

    if (args.has('download')) {
      if (to !== undefined || at !== undefined || oplog !== undefined || targetProject !== undefined)
        throw new Refusal(
          '`--download` makes download links; it takes no `--to`, `--at`, `--oplog` or `--target-project`',
        );
      const [cluster, snapshotId] = args.expect(['the cluster name', 'the snapshot id']);
      return {
        kind: 'action',
        action: 'restore.download',
        project,
        ...reason,
        params: {
          clusterName: clusterName(cluster as string),
          snapshotId: objectId(snapshotId as string, 'the snapshot id'),
        },
      };
    }
    if (to === undefined)
      throw new Refusal(
        'missing `--to <targetCluster>` (the cluster whose data will be replaced), or `--download`',
      );
    const targetClusterName = clusterName(to, 'the target cluster');

    if (at !== undefined || oplog !== undefined) {
      if (at !== undefined && oplog !== undefined)
        throw new Refusal('give either `--at` or `--oplog`, not both');
      const [cluster] = args.expect(['the cluster name']);
      if (args.positionals.length > 1) throw new Refusal('a point-in-time restore takes no snapshot id');
      return {
        kind: 'action',
        action: 'restore.pointInTime',
        project,
        targetProject,
        ...reason,
        params: {
          clusterName: clusterName(cluster as string),
          targetClusterName,
          ...(at !== undefined ? { pointInTimeUTCSeconds: atSeconds(at) } : oplogPoint(oplog as string)),
        },
      };
    }
    if (args.positionals.length === 1)
      throw new Refusal(
        'missing the snapshot id (or `--at <time>` / `--oplog <ts>:<inc>` for a point in time)',
      );
    const [cluster, snapshotId] = args.expect(['the cluster name', 'the snapshot id']);
    return {
      kind: 'action',
      action: 'restore.automated',
      project,
      targetProject,
      ...reason,
      params: {
        clusterName: clusterName(cluster as string),
        snapshotId: objectId(snapshotId as string, 'the snapshot id'),
        targetClusterName,
      },
    };
  },
  answer: (command, ctx) =>
    command.kind === 'openModal' ? openForm(command.modal, ctx) : proposeChange(command, ctx),
});
