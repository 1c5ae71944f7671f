import {
  compliancePolicyFacts,
  describeWindow,
  formatAge,
  loadProjectBackupStatus,
  type BackupStatus,
  type ProjectBackupStatus,
} from '@atlas-backups/core';
import { formatTime } from '../blocks/format.js';
import { MessageBuilder, type SlackMessage } from '../blocks/message.js';
import { code, join, mrkdwn, text } from '../blocks/slack-text.js';
import { Args, projectFlag, Refusal } from './args/args.js';
import { projectName } from './args/values.js';
import { defineCommand, projectFor } from './command.js';

export const status = defineCommand({
  topic: 'status',
  summary:
    "Backups at a glance: each cluster's newest snapshot and its age, continuous backup, next snapshot, failures, running jobs; clusters behind their schedule flagged; the Backup Compliance Policy",
  usage: ['/atlas status [project id|name]'],
  examples: ['/atlas status', '/atlas status Production'],
  changes: false,
  parse(rest) {
    const args = new Args(rest, projectFlag, 'status');
    const [positional] = args.expect(['the project'], 1);
    if (positional !== undefined && args.one('project') !== undefined)
      throw new Refusal('give the project once, either as an argument or with `--project`');
    return { kind: 'status' as const, project: projectName(positional ?? args.one('project')) };
  },
  answer: (command, ctx) => ({
    afterAck: async () => {
      const project = await projectFor(ctx, command.project);
      const found = await loadProjectBackupStatus(ctx.bot.atlas, project, { now: ctx.bot.now() });
      await ctx.inv.replier.inChannel(statusMessage(found));
    },
  }),
});

const kindLabel: Record<BackupStatus['kind'], string> = {
  replicaSet: 'RS',
  sharded: 'SHARDED',
  flex: 'FLEX',
  serverless: 'SERVERLESS',
};

function row(c: BackupStatus): string[] {
  return [
    c.clusterName,
    kindLabel[c.kind],
    c.verdict,
    c.newestCompleted ? formatTime(c.newestCompleted.at) : '-',
    c.newestCompleted ? formatAge(c.newestCompleted.ageMs) : '-',
    c.kind === 'flex' || c.kind === 'serverless' ? 'Atlas' : c.continuous ? 'on' : 'off',
    c.nextSnapshotAt === undefined ? '-' : formatTime(c.nextSnapshotAt),
    String(c.failedLast7Days.length),
    String(c.running.length),
  ];
}

/** What a person should know about one cluster beyond its row: why it is flagged, its window, its jobs. */
function notes(c: BackupStatus): string[] {
  const out: string[] = [];
  if (c.behindSchedule) {
    const promised =
      c.promisedEveryMs === undefined
        ? ''
        : ` (the schedule promises one every ${formatAge(c.promisedEveryMs)})`;
    out.push(
      c.newestCompleted
        ? `BEHIND SCHEDULE: newest completed snapshot is ${formatAge(c.newestCompleted.ageMs)} old${promised}`
        : `BEHIND SCHEDULE: no completed snapshot${promised}`,
    );
  }
  if (c.window) out.push(`Point in time: ${describeWindow(c.window)}`);
  if (c.failedLast7Days.length > 0)
    out.push(
      `Failed in the last 7 days: ${c.failedLast7Days
        .slice(0, 3)
        .map((f) => `${f.kind} ${formatTime(f.at)}`)
        .join(', ')}${c.failedLast7Days.length > 3 ? ', …' : ''}`,
    );
  if (c.running.length > 0)
    out.push(`Running: ${c.running.map((j) => `${j.kind} ${j.id} (${j.status})`).join(', ')}`);
  for (const p of c.problems) out.push(`Could not read ${p}`);
  return out;
}

export function statusMessage(s: ProjectBackupStatus): SlackMessage {
  const b = new MessageBuilder();
  b.section(
    mrkdwn`*Backup status of ${s.project.name}* (${code(s.project.id)}) at ${formatTime(s.at)} UTC`,
    mrkdwn`Backup status of ${s.project.name} (${s.project.id}) at ${formatTime(s.at)} UTC`,
  );
  const behind = s.clusters.filter((c) => c.behindSchedule);
  if (behind.length > 0) {
    const names = join(
      behind.map((c) => code(c.clusterName)),
      ', ',
    );
    b.section(
      mrkdwn`:warning: *${behind.length} cluster${behind.length === 1 ? ' is' : 's are'} behind ${behind.length === 1 ? 'its' : 'their'} schedule:* ${names}`,
      mrkdwn`${behind.length} behind schedule: ${names}`,
    );
  }
  if (s.clusters.length === 0) b.section(mrkdwn`_This project has no clusters._`);
  else
    b.table(
      ['CLUSTER', 'KIND', 'STATUS', 'NEWEST SNAPSHOT', 'AGE', 'PIT', 'NEXT', 'FAILED 7D', 'RUNNING'],
      s.clusters.map(row),
      'clusters',
    );
  for (const c of s.clusters) {
    const lines = notes(c);
    if (lines.length > 0) b.context([mrkdwn`*${c.clusterName}*: ${lines.join(' · ')}`]);
  }
  const facts = compliancePolicyFacts(s.compliance);
  const [head, ...rest] = facts;
  b.section(
    mrkdwn`*Backup Compliance Policy:* ${head?.[1] ?? 'none'}`,
    mrkdwn`Backup Compliance Policy: ${head?.[1] ?? 'none'}`,
  );
  if (rest.length > 0) b.fields(rest.map(([k, v]) => [k, text(v)]));
  return b.build();
}
