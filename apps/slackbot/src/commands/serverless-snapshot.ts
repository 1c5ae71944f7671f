import type { Project, ServerlessSnapshotResult } from '@atlas-backups/core';
import { formatBytes, formatTime } from '../blocks/format.js';
import { MessageBuilder, type SlackMessage } from '../blocks/message.js';
import { mrkdwn, text } from '../blocks/slack-text.js';
import { Args, projectFlag, projectUsage } from './args/args.js';
import { clusterName, objectId, projectOption } from './args/values.js';
import { defineCommand, projectFor } from './command.js';

export const serverlessSnapshot = defineCommand({
  topic: 'serverless snapshot',
  summary: "Show one serverless instance's snapshot (read from Flex when Atlas has retired serverless)",
  usage: [`/atlas serverless snapshot <instance> <snapshotId> ${projectUsage}`],
  examples: ['/atlas serverless snapshot Serverless0 65f0c0ffee0123456789abcd'],
  changes: false,
  parse(rest) {
    const args = new Args(rest, projectFlag, 'serverless snapshot');
    const [instance, snapshotId] = args.expect(['the instance name', 'the snapshot id']);
    return {
      kind: 'serverlessSnapshot' as const,
      instance: clusterName(instance as string, 'the instance name'),
      snapshotId: objectId(snapshotId as string, 'the snapshot id'),
      project: projectOption(args),
    };
  },
  answer: (command, ctx) => ({
    afterAck: async () => {
      const project = await projectFor(ctx, command.project);
      const result = await ctx.bot.atlas.getServerlessSnapshot(
        project.id,
        command.instance,
        command.snapshotId,
      );
      await ctx.inv.replier.inChannel(serverlessSnapshotMessage(project, command.instance, result));
    },
  }),
});

function serverlessSnapshotMessage(
  project: Project,
  instance: string,
  result: ServerlessSnapshotResult,
): SlackMessage {
  const b = new MessageBuilder();
  b.section(
    mrkdwn`*Snapshot ${result.snapshot.id}* of ${instance} in ${project.name}`,
    mrkdwn`Snapshot ${result.snapshot.id} of ${instance} in ${project.name}`,
  );
  if (result.via === 'flex') {
    b.section(mrkdwn`:information_source: ${result.notice}`, text(result.notice));
    const s = result.snapshot;
    b.fields([
      ['Source', 'Flex cluster backup'],
      ['Status', s.status ?? '-'],
      ['Scheduled', formatTime(s.scheduledTime)],
      ['Started', formatTime(s.startTime)],
      ['Finished', formatTime(s.finishTime)],
      ['Expires', formatTime(s.expiration)],
      ['MongoDB', s.mongoDBVersion ?? '-'],
    ]);
  } else {
    const s = result.snapshot;
    b.fields([
      ['Source', 'Serverless backup'],
      ['Type', s.snapshotType === 'scheduled' ? (s.frequencyType ?? 'scheduled') : (s.snapshotType ?? '-')],
      ['Status', s.status ?? '-'],
      ['Created', formatTime(s.createdAt)],
      ['Expires', formatTime(s.expiresAt)],
      ['Size', formatBytes(s.storageSizeBytes)],
      ['MongoDB', s.mongodVersion ?? '-'],
    ]);
  }
  return b.build();
}
