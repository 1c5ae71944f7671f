import { noticeMessage } from '../blocks/replies.js';
import { bold, code, mention, mrkdwn } from '../blocks/slack-text.js';
import { Args } from './args/args.js';
import { projectName } from './args/values.js';
import { defineCommand } from './command.js';

export const use = defineCommand({
  topic: 'use',
  summary: "Set this channel's default project (kept across restarts)",
  usage: ['/atlas use <project id|name>'],
  examples: ['/atlas use payments-prod', '/atlas use 5f1a2b3c4d5e6f7a8b9c0d1e'],
  changes: false,
  parse(rest) {
    const [project] = new Args(rest, {}, 'use').expect(['the project (id or name)']);
    return { kind: 'use' as const, project: projectName(project) as string };
  },
  answer: (command, { inv, bot }) => ({
    afterAck: async () => {
      const project = await bot.projects.resolve(inv.actor, command.project);
      await bot.defaults.set(inv.channelId, {
        projectId: project.id,
        projectName: project.name,
        setBy: inv.userId,
        setAt: bot.now(),
      });
      await inv.replier.inChannel(
        noticeMessage(
          mrkdwn`:pushpin: ${mention(inv.userId)} set this channel's default project to ${bold(project.name)} (${code(project.id)}).`,
        ),
      );
    },
  }),
});
