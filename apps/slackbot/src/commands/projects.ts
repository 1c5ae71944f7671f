import type { Project } from '@atlas-backups/core';
import { cell } from '../blocks/format.js';
import { MessageBuilder, type SlackMessage } from '../blocks/message.js';
import { code, mrkdwn } from '../blocks/slack-text.js';
import { Args } from './args/args.js';
import { defineCommand } from './command.js';

export const projects = defineCommand({
  topic: 'projects',
  summary: 'List the Atlas projects the bot can see',
  usage: ['/atlas projects'],
  examples: ['/atlas projects'],
  changes: false,
  parse(rest) {
    new Args(rest, {}, 'projects').expect([]);
    return { kind: 'projects' as const };
  },
  answer: (_command, { inv, bot }) => ({
    afterAck: async () => {
      const visible = await bot.projects.visible(inv.actor);
      const current = (await bot.defaults.get(inv.channelId))?.projectId ?? bot.fallbackProjectId;
      await inv.replier.inChannel(projectsMessage(visible, current, (p) => bot.policy.isProduction(p)));
    },
  }),
});

function projectsMessage(
  projects: Project[],
  channelDefault: string | undefined,
  isProduction: (p: Project) => boolean,
): SlackMessage {
  const b = new MessageBuilder();
  b.section(mrkdwn`*Atlas projects* (${projects.length})`, mrkdwn`Atlas projects (${projects.length})`);
  if (projects.length === 0)
    return b.section(mrkdwn`_No project is visible to the bot._`, mrkdwn`No project is visible.`).build();
  b.table(
    ['NAME', 'ID', 'CLUSTERS', 'NOTE'],
    projects.map((p) => [
      cell(p.name, 64),
      p.id,
      String(p.clusterCount),
      [isProduction(p) ? 'production' : '', p.id === channelDefault ? "channel's default" : '']
        .filter(Boolean)
        .join(', ') || '-',
    ]),
    'projects',
  );
  b.context([mrkdwn`Set the channel's default with ${code('/atlas use <project>')}.`]);
  return b.build();
}
