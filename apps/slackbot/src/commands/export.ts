import { Args, changeFlags, projectUsage, Refusal, valueFlag } from './args/args.js';
import { clusterName, keyValuePairs, objectId } from './args/values.js';
import {
  changeOptions,
  openForm,
  proposeChange,
  type ChangeCommand,
  type OpenFormCommand,
} from './change.js';
import { defineCommand } from './command.js';

type ExportCommand = ChangeCommand<'export.create'>;

export const exportSnapshot = defineCommand({
  topic: 'export',
  summary: 'Export a snapshot to a bucket and follow it (no arguments: open a form)',
  usage: [
    `/atlas export <cluster> <snapshotId> --bucket <bucketId> [--data key=value ...] ${projectUsage}`,
    '/atlas export',
  ],
  examples: [
    '/atlas export Cluster0 65f0c0ffee0123456789abcd --bucket 65f0b0ffee0123456789abcd --data ticket=INC-42',
    '/atlas export',
  ],
  changes: true,
  parse(rest): ExportCommand | OpenFormCommand<'export'> {
    if (rest.length === 0) return { kind: 'openModal', modal: 'export' };
    const args = new Args(
      rest,
      { ...changeFlags, bucket: valueFlag, data: { value: true, repeatable: true } },
      'export',
    );
    const [cluster, snapshotId] = args.expect(['the cluster name', 'the snapshot id']);
    const bucket = args.one('bucket');
    if (bucket === undefined) throw new Refusal('missing `--bucket <bucketId>`');
    const data = keyValuePairs(args.all('data'));
    if (data.length > 50) throw new Refusal('at most 50 `--data` pairs');
    return {
      kind: 'action',
      action: 'export.create',
      ...changeOptions(args),
      params: {
        clusterName: clusterName(cluster as string),
        snapshotId: objectId(snapshotId as string, 'the snapshot id'),
        exportBucketId: objectId(bucket, 'the bucket id'),
        ...(data.length > 0 ? { customData: data } : {}),
      },
    };
  },
  answer: (command, ctx) =>
    command.kind === 'openModal' ? openForm(command.modal, ctx) : proposeChange(command, ctx),
});
