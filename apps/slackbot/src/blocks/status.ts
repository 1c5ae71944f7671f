import type { DegradedState, WriteUnavailableError } from '../state/write-health.js';
import { slackLimits } from './limits.js';
import { mrkdwn, type Block, type SlackMessage } from './message.js';

const section = (text: string): Block => ({ type: 'section', text: mrkdwn(text) });

const degradedText = (state: DegradedState) =>
  `:warning: The bot is degraded: it cannot write its database (ATLAS_BOT_DB) right now ` +
  `(${state.reason}). Reading works; changes may be refused until it recovers.`;

/** The message with a warning on top while the bot's writes are failing; unchanged otherwise. */
export function withDegradedNote(message: SlackMessage, state: DegradedState | undefined): SlackMessage {
  if (!state) return message;
  const text = degradedText(state);
  const [first, ...rest] = message.blocks;
  const blocks =
    first?.type === 'header' ? [first, section(text), ...rest] : [section(text), ...message.blocks];
  return { text: `${text}\n${message.text}`, blocks: blocks.slice(0, slackLimits.blocksPerMessage) };
}

/** A write of the bot's own (a confirmation, a channel default) could not be made in time. */
export function writeUnavailableMessage(error: WriteUnavailableError): SlackMessage {
  const text =
    `:warning: The bot could not ${error.what}: its database (ATLAS_BOT_DB) is busy or not writable ` +
    'right now. Nothing was changed; try again in a minute.';
  return { text, blocks: [section(text)] };
}
