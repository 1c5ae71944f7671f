import { isAtlasBackupsError } from '@atlas-backups/core';
import { MessageBuilder, type SlackMessage } from './message.js';
import { code, mrkdwn, text, type Mrkdwn } from './slack-text.js';

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
