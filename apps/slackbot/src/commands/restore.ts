import type { ActionInput } from '@atlas-backups/core';
import { Args, changeFlags, projectUsage, Refusal, valueFlag, type Flags } from './args/args.js';
import {
  atSeconds,
  clusterName,
  indexStrategyOption,
  namespaceList,
  objectId,
  oplogPoint,
  projectName,
  restoreSuffix,
} from './args/values.js';
import {
  changeOptions,
  openForm,
  proposeChange,
  type ChangeCommand,
  type OpenFormCommand,
} from './change.js';
import { defineCommand } from './command.js';

type RestoreCommand =
  | ChangeCommand<'restore.automated'>
  | ChangeCommand<'restore.pointInTime'>
  | ChangeCommand<'restore.download'>
  | ChangeCommand<'restore.collections.createNew'>
  | ChangeCommand<'restore.collections.overwrite'>;

const restoreFlags: Flags = {
  ...changeFlags,
  to: valueFlag,
  'target-project': valueFlag,
  at: valueFlag,
  oplog: valueFlag,
  download: { value: false },
  collections: valueFlag,
  databases: valueFlag,
  suffix: valueFlag,
  overwrite: { value: false },
  indexes: valueFlag,
};

/** Flags that only a collection or database restore takes. */
const namespaceOnly = ['suffix', 'overwrite', 'indexes'];

/** The flags that say which kind of restore is meant; `restore cancel …` with one is a restore. */
export function restoreKinds(rest: string[]): string[] {
  const args = new Args(rest, restoreFlags, 'restore');
  return ['to', 'at', 'oplog', 'download', 'collections', 'databases'].filter((f) => args.has(f));
}

export const restore = defineCommand({
  topic: 'restore',
  summary:
    'Restore a snapshot or a point in time onto a cluster, or get download links; Flex clusters too (no arguments: open a form)',
  usage: [
    `/atlas restore <cluster> <snapshotId> --to <targetCluster> [--target-project <id|name>] ${projectUsage}`,
    `/atlas restore <cluster> --at <ISO-8601 time> --to <targetCluster> [--target-project <id|name>] ${projectUsage}`,
    `/atlas restore <cluster> --oplog <ts>:<inc> --to <targetCluster> [--target-project <id|name>] ${projectUsage}`,
    `/atlas restore <cluster> <snapshotId> --download ${projectUsage}`,
    `/atlas restore <cluster> <snapshotId> --collections <db.coll,…> --to <targetCluster> [--suffix _restored] [--overwrite] [--indexes all|none|all-except-ttl] ${projectUsage}`,
    `/atlas restore <cluster> <snapshotId> --databases <db,…> --to <targetCluster> [--suffix _restored] [--overwrite] [--indexes …] ${projectUsage}`,
    `/atlas restore <cluster> --at <time> | --oplog <ts>:<inc> --collections <db.coll,…> | --databases <db,…> --to <targetCluster> [--suffix …] [--overwrite] [--indexes …]`,
    `/atlas restore <flex-cluster> <snapshotId> --to <targetCluster> [--target-project <id|name>] ${projectUsage}`,
    `/atlas restore <flex-cluster> <snapshotId> --download ${projectUsage}`,
    '/atlas restore',
  ],
  examples: [
    '/atlas restore Cluster0 65f0c0ffee0123456789abcd --to Staging0',
    '/atlas restore Cluster0 65f0c0ffee0123456789abcd --to Cluster0 --reason "INC-42: undo the bad migration"',
    '/atlas restore Cluster0 --at 2025-03-01T09:30:00Z --to Cluster0-recovered',
    '/atlas restore Cluster0 --oplog 1740821400:3 --to Cluster0-recovered',
    '/atlas restore Cluster0 65f0c0ffee0123456789abcd --download',
    '/atlas restore Cluster0 65f0c0ffee0123456789abcd --collections sales.orders,sales.customers --to Cluster0 --suffix _restored',
    '/atlas restore Cluster0 65f0c0ffee0123456789abcd --collections sales.orders --to Cluster0 --overwrite --reason "INC-42"',
    '/atlas restore Cluster0 --at 2025-03-01T09:30:00Z --databases inventory --to Staging0 --indexes all-except-ttl',
    '/atlas restore sandbox-flex 65f0c0ffee0123456789abcd --to staging-flex --target-project Staging',
    '/atlas restore sandbox-flex 65f0c0ffee0123456789abcd --download',
  ],
  changes: true,
  parse(rest): RestoreCommand | OpenFormCommand<'restore'> {
    if (rest.length === 0) return { kind: 'openModal', modal: 'restore' };
    const args = new Args(rest, restoreFlags, 'restore');
    const { project, ...reason } = changeOptions(args);
    const targetProject = projectName(args.one('target-project'));
    const to = args.one('to');
    const at = args.one('at');
    const oplog = args.one('oplog');

    if (args.has('collections') || args.has('databases')) return namespaceRestore(args, project, reason);
    const stray = namespaceOnly.find((f) => args.has(f));
    if (stray !== undefined)
      throw new Refusal(`\`--${stray}\` goes with \`--collections\` or \`--databases\``);

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

/** `--collections …` or `--databases …`: a collection-level restore from a snapshot or a moment. */
function namespaceRestore(
  args: Args,
  project: string | undefined,
  reason: { reason?: string; breakGlass?: true },
): RestoreCommand {
  const to = args.one('to');
  const at = args.one('at');
  const oplog = args.one('oplog');
  if (args.has('download'))
    throw new Refusal('`--download` restores a whole snapshot; it takes no `--collections` or `--databases`');
  if (args.has('collections') && args.has('databases'))
    throw new Refusal('give either `--collections` or `--databases`, not both');
  if (to === undefined)
    throw new Refusal('missing `--to <targetCluster>` (the cluster the collections are restored into)');
  if (at !== undefined && oplog !== undefined) throw new Refusal('give either `--at` or `--oplog`, not both');
  const byMoment = at !== undefined || oplog !== undefined;
  if (!byMoment && args.positionals.length === 1)
    throw new Refusal(
      'missing the snapshot id (or `--at <time>` / `--oplog <ts>:<inc>` for a point in time)',
    );
  const [cluster, snapshotId] = args.expect(
    byMoment ? ['the cluster name'] : ['the cluster name', 'the snapshot id'],
  );
  const scope = args.has('collections') ? 'collections' : 'databases';
  const names = namespaceList(args.one(scope) ?? '', scope);
  const suffix = restoreSuffix(args.one('suffix'));
  const params: ActionInput<'restore.collections.createNew'> = {
    clusterName: clusterName(cluster as string),
    targetClusterName: clusterName(to, 'the target cluster'),
    indexStrategy: indexStrategyOption(args.one('indexes')),
    [scope]: names.map((sourceNamespace) => ({ sourceNamespace })),
    ...(suffix === undefined
      ? {}
      : scope === 'collections'
        ? { collectionSuffix: suffix }
        : { databaseSuffix: suffix }),
    ...(at !== undefined
      ? { pointInTimeUtcSeconds: atSeconds(at) }
      : oplog !== undefined
        ? oplogPoint(oplog)
        : { snapshotId: objectId(snapshotId as string, 'the snapshot id') }),
  };
  const common = {
    kind: 'action' as const,
    project,
    targetProject: projectName(args.one('target-project')),
    ...reason,
  };
  return args.has('overwrite')
    ? { ...common, action: 'restore.collections.overwrite', params }
    : { ...common, action: 'restore.collections.createNew', params };
}
