import { retentionMax, retentionRange, snapshotDescriptionMax } from '@atlas-backups/core';
import { Args, changeFlags, projectUsage, Refusal, valueFlag } from './args/args.js';
import { clusterName, wholeNumber } from './args/values.js';
import { changeOptions, proposeChange, type ChangeCommand } from './change.js';
import { defineCommand } from './command.js';

type SnapshotTakeCommand = ChangeCommand<'snapshot.take'>;

export const snapshotTake = defineCommand({
  topic: 'snapshot take',
  summary: `Take an on-demand snapshot and follow it (kept ${retentionRange('DAYS')}; description up to ${snapshotDescriptionMax} characters)`,
  usage: [`/atlas snapshot take <cluster> [--retention <days>] [--desc "<text>"] ${projectUsage}`],
  examples: [
    '/atlas snapshot take Cluster0',
    '/atlas snapshot take Cluster0 --retention 7 --desc "before the 4.2 upgrade"',
  ],
  changes: true,
  parse(rest): SnapshotTakeCommand {
    const args = new Args(rest, { ...changeFlags, retention: valueFlag, desc: valueFlag }, 'snapshot take');
    const [cluster] = args.expect(['the cluster name']);
    const retention = args.one('retention');
    const description = args.one('desc');
    if (description !== undefined && description.length > snapshotDescriptionMax)
      throw new Refusal(`the description must be at most ${snapshotDescriptionMax} characters`);
    return {
      kind: 'action',
      action: 'snapshot.take',
      ...changeOptions(args),
      params: {
        clusterName: clusterName(cluster as string),
        ...(retention === undefined
          ? {}
          : {
              retentionInDays: wholeNumber(retention, '`--retention` (days)', {
                max: retentionMax.DAYS,
                range: retentionRange('DAYS'),
              }),
            }),
        ...(description === undefined || description === '' ? {} : { description }),
      },
    };
  },
  answer: proposeChange,
});
