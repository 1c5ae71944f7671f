import type { ClusterSummary, Project } from '@atlas-backups/core';
import { MessageBuilder, type SlackMessage } from '../blocks/message.js';
import { code, mrkdwn } from '../blocks/slack-text.js';
import { Args, projectFlag, Refusal } from './args/args.js';
import { projectName } from './args/values.js';
import { defineCommand, projectFor } from './command.js';

export const clusters = defineCommand({
  topic: 'clusters',
  summary: 'List clusters (dedicated, Flex, serverless) of a project',
  usage: ['/atlas clusters [project id|name]'],
  examples: ['/atlas clusters', '/atlas clusters payments-prod'],
  changes: false,
  parse(rest) {
    const args = new Args(rest, projectFlag, 'clusters');
    const [positional] = args.expect(['the project'], 1);
    if (positional !== undefined && args.one('project') !== undefined)
      throw new Refusal('give the project once, either as an argument or with `--project`');
    return { kind: 'clusters' as const, project: projectName(positional ?? args.one('project')) };
  },
  answer: (command, ctx) => ({
    afterAck: async () => {
      const project = await projectFor(ctx, command.project);
      const found = await ctx.bot.atlas.listAllClusters(project.id);
      await ctx.inv.replier.inChannel(clustersMessage(project, found));
    },
  }),
});

function clustersMessage(project: Project, clusters: ClusterSummary[]): SlackMessage {
  const b = new MessageBuilder();
  b.section(
    mrkdwn`*Clusters of ${project.name}* (${code(project.id)}): ${clusters.length}`,
    mrkdwn`Clusters of ${project.name} (${project.id}): ${clusters.length}`,
  );
  if (clusters.length === 0) return b.section(mrkdwn`_This project has no clusters._`).build();
  b.table(
    ['NAME', 'KIND', 'STATE', 'VERSION', 'BACKUP', 'PIT'],
    clusters.map((c) => [
      c.name,
      c.kind,
      c.state ?? '-',
      c.mongoDBVersion ?? '-',
      c.backupEnabled ? 'on' : 'off',
      c.pitEnabled ? 'on' : 'off',
    ]),
    'clusters',
  );
  return b.build();
}
