import { expect } from 'vitest';
import { waitFor, type ShownMessage } from './fake-slack.js';
import { blockText, buttons, type BotHarness } from './harness.js';

/** Sends a command, waits for its confirmation, and returns its buttons (Confirm, Cancel) and text. */
export async function proposal(h: BotHarness, text: string, user?: string) {
  const res = await h.command(text, user ? { user } : {});
  expect(res.status).toBe(200);
  const post = await h.responseTo(res.responseUrl, 1, `the answer to ${text}`);
  const [confirm, cancel] = buttons(post.body.blocks);
  return { res, post, confirm, cancel, text: blockText(post.body.blocks) };
}

/** The job's own message in the incident channel (not the approval request's). */
export function jobMessage(h: BotHarness, jobId: string, channel = 'C0INCIDENT'): Promise<ShownMessage> {
  return waitFor(
    () =>
      h.slack
        .channelMessages(channel)
        .find((m) => blockText(m.blocks).includes(jobId) && !blockText(m.blocks).includes('Request `')),
    `the job message of ${jobId}`,
  );
}

/** Waits until a message the bot posted, as edited since, shows `needle`; returns it as it is then. */
export async function untilMessage(
  h: BotHarness,
  message: ShownMessage,
  needle: string | RegExp,
): Promise<ShownMessage> {
  return waitFor(
    () => {
      const now = h.slack.messages.get(`${message.channel}/${message.ts}`);
      const text = blockText(now?.blocks);
      return now && (typeof needle === 'string' ? text.includes(needle) : needle.test(text))
        ? now
        : undefined;
    },
    `the job message to show ${String(needle)}`,
  );
}
