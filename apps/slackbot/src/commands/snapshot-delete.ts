import { Args, changeFlags, projectUsage } from './args/args.js';
import { clusterName, objectId } from './args/values.js';
import { changeOptions, proposeChange, type ChangeCommand } from './change.js';
import { defineCommand } from './command.js';

type SnapshotDeleteCommand = ChangeCommand<'snapshot.delete'>;

export const snapshotDelete = defineCommand({
  topic: 'snapshot delete',
  summary: "Delete a snapshot now (refused at once when the project's Backup Compliance Policy forbids it)",
  usage: [`/atlas snapshot delete <cluster> <snapshotId> ${projectUsage} [--reason "<text>"]`],
  examples: ['/atlas snapshot delete Cluster0 65f0c0ffee0123456789abcd'],
  changes: true,
  parse(rest): SnapshotDeleteCommand {
    const args = new Args(rest, changeFlags, 'snapshot delete');
    const [cluster, snapshotId] = args.expect(['the cluster name', 'the snapshot id']);
    return {
      kind: 'action',
      action: 'snapshot.delete',
      ...changeOptions(args),
      params: {
        clusterName: clusterName(cluster as string),
        snapshotId: objectId(snapshotId as string, 'the snapshot id'),
      },
    };
  },
  answer: proposeChange,
});
