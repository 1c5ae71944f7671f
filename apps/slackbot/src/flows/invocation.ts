import type { Actor } from '@atlas-backups/core';
import type { Replier } from '../slack/reply.js';

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
