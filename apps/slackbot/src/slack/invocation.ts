import type { Actor } from '@atlas-backups/core';
import { createReplier, type EphemeralPoster, type Replier } from './reply.js';

/** Who asked, where, and how to answer them; built from a slash command, a click or a form. */
export interface Invocation {
  actor: Actor;
  userId: string;
  channelId: string;
  replier: Replier;
  /** The interaction's response_url, kept so a later step (a form) can still answer in place. */
  responseUrl?: string | undefined;
}

export function slackActor(userId: string, userName: string | undefined, channelId: string): Actor {
  return { id: userId, displayName: userName, source: 'slack', channel: channelId };
}

/** Builds invocations that answer through `chat` where the interaction has no response_url. */
export function invocations(
  chat: EphemeralPoster,
): (userId: string, userName: string | undefined, channelId: string, responseUrl?: string) => Invocation {
  return (userId, userName, channelId, responseUrl) => ({
    actor: slackActor(userId, userName, channelId),
    userId,
    channelId,
    responseUrl,
    replier: createReplier({ responseUrl, channelId, userId, chat }),
  });
}
