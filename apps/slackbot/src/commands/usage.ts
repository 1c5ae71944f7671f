import { retentionMax, retentionRange, snapshotDescriptionMax } from '@atlas-backups/core';

/** Every subcommand's usage lines and examples; `/atlas help` and every usage error read from here. */
export interface CommandUsage {
  /** What `/atlas help <topic>` accepts. */
  topic: string;
  summary: string;
  usage: string[];
  examples: string[];
  /** Changes something in Atlas (confirmation first). */
  changes: boolean;
}

const project = '[--project <id|name>]';

export const commandUsages: CommandUsage[] = [
  {
    topic: 'projects',
    summary: 'List the Atlas projects the bot can see',
    usage: ['/atlas projects'],
    examples: ['/atlas projects'],
    changes: false,
  },
  {
    topic: 'use',
    summary: "Set this channel's default project (kept across restarts)",
    usage: ['/atlas use <project id|name>'],
    examples: ['/atlas use payments-prod', '/atlas use 5f1a2b3c4d5e6f7a8b9c0d1e'],
    changes: false,
  },
  {
    topic: 'clusters',
    summary: 'List clusters (dedicated, Flex, serverless) of a project',
    usage: ['/atlas clusters [project id|name]'],
    examples: ['/atlas clusters', '/atlas clusters payments-prod'],
    changes: false,
  },
  {
    topic: 'snapshots',
    summary: "List a cluster's snapshots, newest first",
    usage: [`/atlas snapshots <cluster> ${project} [--limit N]`],
    examples: ['/atlas snapshots Cluster0', '/atlas snapshots Cluster0 --project payments-prod --limit 25'],
    changes: false,
  },
  {
    topic: 'jobs',
    summary: "List a cluster's restore and export jobs",
    usage: [`/atlas jobs <cluster> ${project} [--limit N]`],
    examples: ['/atlas jobs Cluster0'],
    changes: false,
  },
  {
    topic: 'snapshot take',
    summary: `Take an on-demand snapshot and follow it (kept ${retentionRange('DAYS')}; description up to ${snapshotDescriptionMax} characters)`,
    usage: [`/atlas snapshot take <cluster> [--retention <days>] [--desc "<text>"] ${project}`],
    examples: [
      '/atlas snapshot take Cluster0',
      '/atlas snapshot take Cluster0 --retention 7 --desc "before the 4.2 upgrade"',
    ],
    changes: true,
  },
  {
    topic: 'snapshot retain',
    summary: `Change how long a snapshot is kept (at most 100 years: ${retentionMax.DAYS} days, ${retentionMax.WEEKS} weeks, ${retentionMax.MONTHS} months or ${retentionMax.YEARS} years)`,
    usage: [`/atlas snapshot retain <cluster> <snapshotId> <value> <days|weeks|months|years> ${project}`],
    examples: ['/atlas snapshot retain Cluster0 65f0c0ffee0123456789abcd 3 months'],
    changes: true,
  },
  {
    topic: 'serverless snapshot',
    summary: "Show one serverless instance's snapshot (read from Flex when Atlas has retired serverless)",
    usage: [`/atlas serverless snapshot <instance> <snapshotId> ${project}`],
    examples: ['/atlas serverless snapshot Serverless0 65f0c0ffee0123456789abcd'],
    changes: false,
  },
  {
    topic: 'export',
    summary: 'Export a snapshot to a bucket and follow it (no arguments: open a form)',
    usage: [
      `/atlas export <cluster> <snapshotId> --bucket <bucketId> [--data key=value ...] ${project}`,
      '/atlas export',
    ],
    examples: [
      '/atlas export Cluster0 65f0c0ffee0123456789abcd --bucket 65f0b0ffee0123456789abcd --data ticket=INC-42',
      '/atlas export',
    ],
    changes: true,
  },
  {
    topic: 'restore',
    summary:
      'Restore a snapshot or a point in time onto a cluster, or get download links (no arguments: open a form)',
    usage: [
      `/atlas restore <cluster> <snapshotId> --to <targetCluster> [--target-project <id|name>] ${project}`,
      `/atlas restore <cluster> --at <ISO-8601 time> --to <targetCluster> [--target-project <id|name>] ${project}`,
      `/atlas restore <cluster> --oplog <ts>:<inc> --to <targetCluster> [--target-project <id|name>] ${project}`,
      `/atlas restore <cluster> <snapshotId> --download ${project}`,
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
  },
  {
    topic: 'restore cancel',
    summary: 'Cancel a restore job',
    usage: [`/atlas restore cancel <cluster> <restoreJobId> ${project}`],
    examples: ['/atlas restore cancel Cluster0 65f0d0ffee0123456789abcd'],
    changes: true,
  },
  {
    topic: 'approvals',
    summary: 'List open approval requests: who asked, what, votes needed, expiry',
    usage: ['/atlas approvals'],
    examples: ['/atlas approvals'],
    changes: false,
  },
  {
    topic: 'audit',
    summary: 'Show the latest audit entries, newest first (default 10, at most 50; only you see them)',
    usage: ['/atlas audit [N]'],
    examples: ['/atlas audit', '/atlas audit 25'],
    changes: false,
  },
  {
    topic: 'help',
    summary: 'This list, or one command in detail',
    usage: ['/atlas help [command]'],
    examples: ['/atlas help', '/atlas help restore'],
    changes: false,
  },
];

export function usageFor(topic: string): CommandUsage {
  const found = commandUsages.find((u) => u.topic === topic);
  if (!found) throw new Error(`no usage for ${topic}`);
  return found;
}

export const subcommandNames = [
  'help',
  'projects',
  'use',
  'clusters',
  'snapshots',
  'jobs',
  'snapshot',
  'serverless',
  'export',
  'restore',
  'approvals',
  'audit',
];
