import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HOUR,
  MINUTE,
  answerTo,
  requestButtons,
  requestRestore,
  restoreCreates,
  testClock,
  untilShown,
} from '../support/slack/approvals.js';
import { waitFor } from '../support/slack/fake-slack.js';
import { BotHarness, blockText } from '../support/slack/harness.js';

const incident = 'C0INCIDENT';
const approvalsChannel = 'C0APPROVALS';

/** The built-in policy: a restore needs one approver other than the requester, within 4 hours. */
describe('requests that expire', () => {
  const clock = testClock();
  let h: BotHarness;
  beforeAll(async () => {
    h = await BotHarness.start({ approvals: { now: clock.now, approvalsChannel, expiryIntervalMs: 20 } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('turns every message to expired when the time is up, tells the requester, and never runs it', async () => {
    const before = restoreCreates(h);
    const { request, origin } = await requestRestore(h, { messages: 2 });
    const approve = requestButtons(origin).approve();
    expect(Date.parse(request.expiresAt) - Date.parse(request.createdAt)).toBe(4 * HOUR);

    clock.advance(4 * HOUR - MINUTE);
    await h.bot.idle();
    expect((await h.approvals?.store.get(request.id))?.state).toBe('open');

    // No one calls the engine: the bot's expiry timer notices.
    clock.advance(2 * MINUTE);
    const shown = await untilShown(h, request.id, 'Expired', 2);
    for (const message of shown) {
      expect(blockText(message.blocks)).toContain('with 0 of 1 approvals. Nothing was done.');
      expect(requestButtons(message).all).toEqual([]);
    }
    const told = await waitFor(
      () =>
        h.slack
          .threadReplies(incident, origin.ts)
          .map((m) => blockText(m.blocks))
          .find((t) => t.includes('Expired')),
      'the requester told',
    );
    expect(told).toContain('<@U0ONCALL1>');

    const late = await h.click(approve, { user: 'U0LATE0001' });
    const answer = await answerTo(h, late.responseUrl);
    expect(answer.text).toContain('EXPIRED');
    expect(answer.text).toContain(`This request expired at ${request.expiresAt}`);
    await h.bot.idle();
    expect(restoreCreates(h)).toBe(before);
    expect((await h.approvalStack?.auditLog.forRequest(request.id))?.map((e) => e.event)).toContain(
      'expired',
    );
  });
});
