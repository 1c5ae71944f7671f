import { isAtlasBackupsError } from '@atlas-backups/core';
import type { UsageError } from '../commands/parse.js';
import { commandUsages } from '../commands/usage.js';
import { escapeMrkdwn } from './limits.js';
import { MessageBuilder, type SlackMessage } from './message.js';

const code = (lines: string[]) => `\`\`\`\n${lines.map(escapeMrkdwn).join('\n')}\n\`\`\``;

/** `/atlas help`, or `/atlas help <topic>` for the commands under that topic. */
export function helpMessage(topic?: string, banner?: string): SlackMessage {
  const b = new MessageBuilder();
  const chosen = topic
    ? commandUsages.filter((u) => u.topic === topic || u.topic.startsWith(`${topic} `))
    : commandUsages;
  b.header(topic ? `/atlas ${topic}` : '/atlas: Atlas Cloud Backups from Slack');
  if (!topic) {
    b.section(
      'Project may be given by id or name everywhere. Changes are explained first and run only after you confirm; ' +
        "the job's progress is posted here and updated in place. When the policy asks for approval, the request is " +
        'posted with Approve and Deny buttons and runs once approved; add `--reason "<text>"` to any change to tell approvers why.',
    );
  }
  for (const u of chosen) {
    const lines = [
      `*${escapeMrkdwn(u.summary)}*${u.changes ? ' _(changes Atlas; asks to confirm)_' : ''}`,
      code(u.usage),
    ];
    if (topic || u.examples.length > 0)
      lines.push(`Example${u.examples.length > 1 ? 's' : ''}:\n${code(u.examples)}`);
    b.section(
      lines.join('\n'),
      escapeMrkdwn([u.summary, ...u.usage, ...u.examples.map((e) => `e.g. ${e}`)].join('\n')),
    );
  }
  if (banner) b.context([escapeMrkdwn(banner)], banner);
  return b.build();
}

/** Bad input: what is wrong, and the right way to say it. Nothing was run. */
export function usageErrorMessage(error: UsageError): SlackMessage {
  return new MessageBuilder()
    .section(
      `:warning: ${escapeMrkdwn(error.error)}. Nothing was run.`,
      escapeMrkdwn(`${error.error}. Nothing was run.`),
    )
    .section(`Usage:\n${code(error.usage)}`, escapeMrkdwn(`Usage:\n${error.usage.join('\n')}`))
    .context([`See \`/atlas help${error.topic ? ` ${error.topic}` : ''}\` for examples.`])
    .build();
}

/** A failure with the core's message and hint; anything else is reported without internals. */
export function errorMessage(error: unknown, what?: string): SlackMessage {
  const b = new MessageBuilder();
  const prefix = what ? `${what} failed: ` : '';
  if (isAtlasBackupsError(error)) {
    b.section(`:x: ${escapeMrkdwn(prefix + error.message)}`, prefix + error.message);
    if (error.hint) b.section(`_${escapeMrkdwn(error.hint)}_`, error.hint);
    b.context([`\`${error.code}\``]);
  } else {
    b.section(
      `:x: ${escapeMrkdwn(prefix)}something went wrong inside the bot; it has been logged.`,
      `${prefix}something went wrong inside the bot; it has been logged.`,
    );
  }
  return b.build();
}

export function noticeMessage(text: string): SlackMessage {
  return new MessageBuilder().section(text).build();
}
