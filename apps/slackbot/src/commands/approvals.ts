import type { SlackApprovals } from '../approvals/slack-approvals.js';
import { noticeMessage } from '../blocks/replies.js';
import { mrkdwn } from '../blocks/slack-text.js';
import { Args } from './args/args.js';
import { defineCommand, type CommandAnswer, type CommandContext } from './command.js';

export const approvals = defineCommand({
  topic: 'approvals',
  summary:
    'List open approval requests (who asked, what, votes needed, expiry) and break-glass actions awaiting review',
  usage: ['/atlas approvals'],
  examples: ['/atlas approvals'],
  changes: false,
  parse(rest) {
    new Args(rest, {}, 'approvals').expect([]);
    return { kind: 'approvals' as const };
  },
  answer: (_command, ctx) =>
    fromApprovals(ctx, async (ui, canSee) => ctx.inv.replier.inChannel(await ui.openRequests(canSee))),
});

/**
 * Answers from the approval UI, with only what concerns projects the policy lets the person
 * read; says so when the bot has no approvals.
 */
export function fromApprovals(
  ctx: CommandContext,
  show: (ui: SlackApprovals, canSee: (projectId: string) => boolean) => Promise<void>,
): CommandAnswer {
  return {
    afterAck: async () => {
      const ui = ctx.bot.approvals;
      if (!ui) {
        await ctx.inv.replier.ephemeral(
          noticeMessage(mrkdwn`:information_source: Approvals are not set up in this bot.`),
        );
        return;
      }
      const visible = new Set((await ctx.bot.projects.visible(ctx.inv.actor)).map((p) => p.id));
      await show(ui, (projectId) => visible.has(projectId));
    },
  };
}
