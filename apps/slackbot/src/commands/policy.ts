import { policyActions, type PolicyExplanation } from '@atlas-backups/core';
import { MessageBuilder, type SlackMessage } from '../blocks/message.js';
import { code, join, mrkdwn, text } from '../blocks/slack-text.js';
import { Args, Refusal, valueFlag } from './args/args.js';
import { projectName } from './args/values.js';
import { defineCommand, projectFor } from './command.js';

/** `U0123`, `<@U0123>` or `<@U0123|name>`: the user id. */
function userId(word: string): string {
  const id = /^(?:<@)?([UW][A-Z0-9]+)(?:\|[^>]*)?>?$/.exec(word)?.[1];
  if (!id)
    throw new Refusal(`\`--user\` takes a person (@name or a user id such as U0123ABCD), not \`${word}\``);
  return id;
}

export const policyExplain = defineCommand({
  topic: 'policy explain',
  summary:
    'Say what the policy lets someone do: allowed or not, what approval, which rule decided (only you see it)',
  usage: ['/atlas policy explain <action> [--project <id|name>] [--user @person]'],
  examples: [
    '/atlas policy explain restore.automated --project Production',
    '/atlas policy explain export.create --user U0123ABCD',
  ],
  changes: false,
  parse(rest) {
    const args = new Args(rest, { project: valueFlag, user: valueFlag }, 'policy explain');
    const [action] = args.expect(['the action']);
    if (action === undefined || !(policyActions as readonly string[]).includes(action))
      throw new Refusal(`say which action: one of ${policyActions.map((a) => `\`${a}\``).join(', ')}`);
    const user = args.one('user');
    return {
      kind: 'policy explain' as const,
      action,
      project: projectName(args.one('project')),
      user: user === undefined ? undefined : userId(user),
    };
  },
  answer: (command, ctx) => ({
    afterAck: async () => {
      const project = await projectFor(ctx, command.project);
      const explain = ctx.bot.policy.explain;
      if (!explain) {
        await ctx.inv.replier.ephemeral(
          new MessageBuilder().section(mrkdwn`The policy in use cannot explain itself.`).build(),
        );
        return;
      }
      // Asked about someone else: their own identity, from this channel (groups read from Slack).
      const actor = command.user
        ? { id: command.user, source: 'slack' as const, channel: ctx.inv.channelId }
        : ctx.inv.actor;
      const explanation = await explain({ actor, action: command.action, project });
      await ctx.inv.replier.ephemeral(explanationMessage(explanation));
    },
  }),
});

function explanationMessage(e: PolicyExplanation): SlackMessage {
  const b = new MessageBuilder();
  b.section(
    mrkdwn`${e.allowed ? ':white_check_mark:' : ':no_entry:'} *${e.action}* on *${e.project}* by ${code(e.actor)}: ${e.verdict}`,
    mrkdwn`${e.action} on ${e.project} by ${e.actor}: ${e.verdict}`,
  );
  b.section(
    mrkdwn`Decided by: ${e.decidedBy ?? 'no rule (nothing allows it)'}${
      e.details.length > 0
        ? mrkdwn`\n${join(
            e.details.map((d) => mrkdwn`• ${d}`),
            '\n',
          )}`
        : ''
    }`,
  );
  if (e.governing.length > 0)
    b.section(
      mrkdwn`*Rules that govern it, in the order they apply:*\n${join(
        e.governing.map((g) => mrkdwn`• ${text(g)}`),
        '\n',
      )}`,
    );
  return b.build();
}
