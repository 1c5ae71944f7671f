import type { SlackMessage } from '../blocks/message.js';

/**
 * How the bot answers the person who typed a command or pressed a button: through the
 * interaction's `response_url` (valid 30 minutes, works in any conversation, even ones the bot
 * has not joined), falling back to `chat.postEphemeral` where there is none.
 */
export interface Replier {
  /** Only the requester sees it. */
  ephemeral(message: SlackMessage): Promise<void>;
  /** Everyone in the channel sees it. */
  inChannel(message: SlackMessage): Promise<void>;
  /** Replaces the message the button was on (confirmation → outcome). */
  replaceOriginal(message: SlackMessage): Promise<void>;
}

export class ResponseUrlError extends Error {
  constructor(readonly status: number) {
    super(`response_url answered HTTP ${status}`);
  }
}

export async function postToResponseUrl(
  url: string,
  body: Record<string, unknown>,
  timeoutMs = 10_000,
): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  await res.arrayBuffer();
  if (!res.ok) throw new ResponseUrlError(res.status);
}

export interface EphemeralPoster {
  postEphemeral(args: {
    channel: string;
    user: string;
    text: string;
    blocks: SlackMessage['blocks'];
  }): Promise<unknown>;
  postMessage(args: { channel: string; text: string; blocks: SlackMessage['blocks'] }): Promise<unknown>;
}

export function createReplier(target: {
  responseUrl?: string | undefined;
  channelId: string;
  userId: string;
  chat: EphemeralPoster;
}): Replier {
  const { responseUrl, channelId, userId, chat } = target;
  const viaUrl = (message: SlackMessage, extra: Record<string, unknown>) =>
    postToResponseUrl(responseUrl as string, { text: message.text, blocks: message.blocks, ...extra });
  return {
    ephemeral: (message) =>
      responseUrl
        ? viaUrl(message, { response_type: 'ephemeral', replace_original: false })
        : chat
            .postEphemeral({ channel: channelId, user: userId, text: message.text, blocks: message.blocks })
            .then(() => undefined),
    inChannel: (message) =>
      responseUrl
        ? viaUrl(message, { response_type: 'in_channel', replace_original: false })
        : chat
            .postMessage({ channel: channelId, text: message.text, blocks: message.blocks })
            .then(() => undefined),
    replaceOriginal: (message) =>
      responseUrl
        ? viaUrl(message, { replace_original: true })
        : chat
            .postEphemeral({ channel: channelId, user: userId, text: message.text, blocks: message.blocks })
            .then(() => undefined),
  };
}
