import { isAtlasBackupsError } from '@atlas-backups/core';
import type { UsageError } from '../commands/parse.js';
import { commandUsages } from '../commands/usage.js';
import { MessageBuilder, type SlackMessage } from './message.js';
import { code, codeBlock, mrkdwn, text, type Mrkdwn } from './slack-text.js';

/** `/atlas help`, or `/atlas help <topic>` for the commands under that topic. */
export function helpMessage(topic?: string, banner?: string): SlackMessage {
  const b = new MessageBuilder();
  const chosen = topic
    ? commandUsages.filter((u) => u.topic === topic || u.topic.startsWith(`${topic} `))
    : commandUsages;
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

/** A failure with the core's message and hint; anything else is reported without internals. */
export function errorMessage(error: unknown, what?: string): SlackMessage {
  const b = new MessageBuilder();
  const prefix = what ? `${what} failed: ` : '';
  if (isAtlasBackupsError(error)) {
    b.section(mrkdwn`:x: ${prefix + error.message}`, text(prefix + error.message));
    if (error.hint) b.section(mrkdwn`_${error.hint}_`, text(error.hint));
    b.context([code(error.code)]);
  } else {
    b.section(
      mrkdwn`:x: ${prefix}something went wrong inside the bot; it has been logged.`,
      mrkdwn`${prefix}something went wrong inside the bot; it has been logged.`,
    );
  }
  return b.build();
}

export function noticeMessage(notice: Mrkdwn): SlackMessage {
  return new MessageBuilder().section(notice).build();
}
