import type { DegradedState, WriteUnavailableError } from '../state/write-health.js';
import { MessageBuilder, withNote, type SlackMessage } from './message.js';
import { code, mrkdwn } from './slack-text.js';

/** The message with a warning on top while the bot's writes are failing; unchanged otherwise. */
export function withDegradedNote(message: SlackMessage, state: DegradedState | undefined): SlackMessage {
  if (!state) return message;
  const note = new MessageBuilder()
    .section(
      mrkdwn`:warning: The bot is degraded: it cannot write its database (${code('ATLAS_BOT_DB')}) right now (${state.reason}). Reading works; changes may be refused until it recovers.`,
    )
    .build();
  return withNote(message, note);
}

/** A write of the bot's own (a confirmation, a channel default) could not be made in time. */
export function writeUnavailableMessage(error: WriteUnavailableError): SlackMessage {
  return new MessageBuilder()
    .section(
      mrkdwn`:warning: The bot could not ${error.what}: its database (${code('ATLAS_BOT_DB')}) is busy or not writable right now. Nothing was changed; try again in a minute.`,
    )
    .build();
}
