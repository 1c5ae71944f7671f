import { retentionMax, retentionRange, type RetentionUnit } from '@atlas-backups/core';
import { Args, changeFlags, projectUsage, Refusal } from './args/args.js';
import { clusterName, objectId, wholeNumber } from './args/values.js';
import { changeOptions, proposeChange, type ChangeCommand } from './change.js';
import { defineCommand } from './command.js';

type SnapshotRetainCommand = ChangeCommand<'snapshot.retention'>;

const units: Record<string, RetentionUnit> = {
  day: 'DAYS',
  days: 'DAYS',
  week: 'WEEKS',
  weeks: 'WEEKS',
  month: 'MONTHS',
  months: 'MONTHS',
  year: 'YEARS',
  years: 'YEARS',
};

export const snapshotRetain = defineCommand({
  topic: 'snapshot retain',
  aliases: ['snapshot retention'],
  summary: `Change how long a snapshot is kept (at most 100 years: ${retentionMax.DAYS} days, ${retentionMax.WEEKS} weeks, ${retentionMax.MONTHS} months or ${retentionMax.YEARS} years)`,
  usage: [`/atlas snapshot retain <cluster> <snapshotId> <value> <days|weeks|months|years> ${projectUsage}`],
  examples: ['/atlas snapshot retain Cluster0 65f0c0ffee0123456789abcd 3 months'],
  changes: true,
  parse(rest): SnapshotRetainCommand {
    const args = new Args(rest, changeFlags, 'snapshot retain');
    const [cluster, snapshotId, value, unit] = args.expect([
      'the cluster name',
      'the snapshot id',
      'the retention value',
      'the unit (days, weeks, months or years)',
    ]);
    const retentionUnit = units[(unit as string).toLowerCase()];
    if (!retentionUnit) throw new Refusal(`the unit must be days, weeks, months or years, got \`${unit}\``);
    return {
      kind: 'action',
      action: 'snapshot.retention',
      ...changeOptions(args),
      params: {
        clusterName: clusterName(cluster as string),
        snapshotId: objectId(snapshotId as string, 'the snapshot id'),
        retentionValue: wholeNumber(value as string, 'the retention value', {
          max: retentionMax[retentionUnit],
          range: retentionRange(retentionUnit),
        }),
        retentionUnit,
      },
    };
  },
  answer: proposeChange,
});
