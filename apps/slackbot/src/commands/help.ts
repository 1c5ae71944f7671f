import { MessageBuilder, type SlackMessage } from '../blocks/message.js';
import { code, codeBlock, mrkdwn, text } from '../blocks/slack-text.js';
import { withDegradedNote } from '../blocks/status.js';
import { Refusal } from './args/args.js';
import { defineCommand, type CommandUsage } from './command.js';
import type { UsageError } from './parse.js';

const about = (usage: CommandUsage, topic: string) =>
  usage.topic === topic || usage.topic.startsWith(`${topic} `);

export const help = defineCommand({
  topic: 'help',
  aliases: ['-h', '--help'],
  summary: 'This list, or one command in detail',
  usage: ['/atlas help [command]'],
  examples: ['/atlas help', '/atlas help restore'],
  changes: false,
  parse(rest, catalogue) {
    const topic = rest.join(' ').toLowerCase().trim();
    if (topic && !catalogue.some((u) => about(u, topic)))
      throw new Refusal(`there is no command \`${topic}\` to explain`);
    return { kind: 'help' as const, topic: topic || undefined };
  },
  // Made from the catalogue alone, so it can go in the acknowledgement.
  answer: (command, { bot }, catalogue) => ({
    inAck: withDegradedNote(helpMessage(catalogue, command.topic, bot.banner), bot.health.degraded),
  }),
});

/** `/atlas help`, or `/atlas help <topic>` for the commands under that topic. */
export function helpMessage(
  catalogue: readonly CommandUsage[],
  topic?: string,
  banner?: string,
): SlackMessage {
  const b = new MessageBuilder();
  const chosen = topic ? catalogue.filter((u) => about(u, topic)) : catalogue;
  b.header(topic ? `/atlas ${topic}` : '/atlas: Atlas Cloud Backups from Slack');
  // First, so it survives when a long help is cut to Slack's limits (it says whether Atlas is real).
  if (banner) b.context([text(banner)], text(banner));
  if (!topic) {
    b.section(
      mrkdwn`Project may be given by id or name everywhere. Changes are explained first and run only after you confirm; the job's progress is posted here and updated in place. When the policy asks for approval, the request is posted with Approve and Deny buttons and runs once approved; add ${code('--reason "<text>"')} to any change to tell approvers why.`,
    );
  }
  for (const u of chosen) {
    const changes = u.changes ? mrkdwn` _(changes Atlas; asks to confirm)_` : '';
    const examples =
      topic || u.examples.length > 0
        ? mrkdwn`\nExample${u.examples.length > 1 ? 's' : ''}:\n${codeBlock(u.examples)}`
        : '';
    b.section(
      mrkdwn`*${u.summary}*${changes}\n${codeBlock(u.usage)}${examples}`,
      text([u.summary, ...u.usage, ...u.examples.map((e) => `e.g. ${e}`)].join('\n')),
    );
  }
  return b.build();
}

/** Bad input: what is wrong, and the right way to say it. Nothing was run. */
export function usageErrorMessage(error: UsageError): SlackMessage {
  return new MessageBuilder()
    .section(mrkdwn`:warning: ${error.error}. Nothing was run.`, mrkdwn`${error.error}. Nothing was run.`)
    .section(mrkdwn`Usage:\n${codeBlock(error.usage)}`, text(`Usage:\n${error.usage.join('\n')}`))
    .context([mrkdwn`See ${code(`/atlas help${error.topic ? ` ${error.topic}` : ''}`)} for examples.`])
    .build();
}
