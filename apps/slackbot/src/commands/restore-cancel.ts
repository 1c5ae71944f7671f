import { Args, changeFlags, projectUsage } from './args/args.js';
import { clusterName, objectId } from './args/values.js';
import { changeOptions, proposeChange, type ChangeCommand } from './change.js';
import { defineCommand } from './command.js';
import { restoreKinds } from './restore.js';

type RestoreCancelCommand = ChangeCommand<'restore.cancel'>;

export const restoreCancel = defineCommand({
  topic: 'restore cancel',
  summary: 'Cancel a restore job',
  usage: [`/atlas restore cancel <cluster> <restoreJobId> ${projectUsage}`],
  examples: ['/atlas restore cancel Cluster0 65f0d0ffee0123456789abcd'],
  changes: true,
  // `restore cancel <snapshotId> --to …` restores a cluster named cancel.
  claims: (rest) => restoreKinds(rest).length === 0,
  parse(rest): RestoreCancelCommand {
    const args = new Args(rest, changeFlags, 'restore cancel');
    const [cluster, jobId] = args.expect(['the cluster name', 'the restore job id']);
    return {
      kind: 'action',
      action: 'restore.cancel',
      ...changeOptions(args),
      params: {
        clusterName: clusterName(cluster as string),
        restoreJobId: objectId(jobId as string, 'the restore job id'),
      },
    };
  },
  answer: proposeChange,
});
