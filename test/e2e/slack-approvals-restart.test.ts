import { ApprovalStore, openDatabase } from '@atlas-backups/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  HOUR,
  MINUTE,
  requestButtons,
  requestMessages,
  requestRestore,
  restoreCreates,
  testClock,
  untilShown,
} from '../support/slack/approvals.js';
import { waitFor, type ShownMessage } from '../support/slack/fake-slack.js';
import { BotHarness, blockText } from '../support/slack/harness.js';
import { jobMessage, untilMessage } from '../support/slack/jobs.js';

const incident = 'C0INCIDENT';
const approvalsChannel = 'C0APPROVALS';

async function finished(h: BotHarness, message: ShownMessage): Promise<void> {
  await untilMessage(h, message, 'succeeded');
  await waitFor(() => h.slack.threadReplies(message.channel, message.ts)[0], 'the job thread reply');
}

/** Each test restarts the bot: a new createSlackBot and approval stack on the same SQLite file. */
describe('approvals across restarts', () => {
  const clock = testClock();
  let h: BotHarness;
  beforeEach(async () => {
    h = await BotHarness.start({ approvals: { now: clock.now, approvalsChannel, expiryIntervalMs: 20 } });
  });
  afterEach(async () => {
    await h?.close();
  });

  it('keeps the buttons working: approved after a restart, run once, messages edited, job followed', async () => {
    const before = restoreCreates(h);
    const { request, origin } = await requestRestore(h, { messages: 2 });
    const approve = requestButtons(origin).approve();
    const oldEngine = h.approvals;

    await h.restart();
    expect(h.approvals).not.toBe(oldEngine);
    expect((await h.approvals?.listOpen())?.map((r) => r.id)).toContain(request.id);

    const click = await h.click(approve, { user: 'U0LEAD0001', channel: approvalsChannel });
    expect(click.status).toBe(200);
    const shown = await untilShown(h, request.id, 'Executed', 2);
    // The same two messages, edited by the new bot from the coordinates it stored.
    expect(shown.map((m) => m.ts).sort()).toEqual(
      requestMessages(h, request.id)
        .map((m) => m.ts)
        .sort(),
    );
    expect(requestMessages(h, request.id)).toHaveLength(2);
    const jobId = (await h.approvals?.get(request.id))?.execution?.atlasJobId as string;
    expect(restoreCreates(h)).toBe(before + 1);

    const job = await jobMessage(h, jobId);
    h.sim.clock.advance(6 * MINUTE);
    await finished(h, job);
    expect(restoreCreates(h)).toBe(before + 1);
  });

  it('follows the job of an approved request again after a restart', async () => {
    const { request, origin } = await requestRestore(h);
    await h.click(requestButtons(origin).approve(), { user: 'U0LEAD0001' });
    await untilShown(h, request.id, 'Executed');
    const jobId = (await h.approvals?.get(request.id))?.execution?.atlasJobId as string;
    const job = await jobMessage(h, jobId);
    await h.bot.idle();

    await h.restart();
    h.sim.clock.advance(6 * MINUTE);
    await finished(h, job);
    // Followed by editing the message it had, not by posting another.
    const jobMessages = h.slack
      .channelMessages(incident)
      .filter((m) => blockText(m.blocks).includes(jobId) && !blockText(m.blocks).includes('Request `'));
    expect(jobMessages.map((m) => m.ts)).toEqual([job.ts]);
  });

  it('expires requests that fell due while the bot was down, and updates their messages at start', async () => {
    const before = restoreCreates(h);
    const { request } = await requestRestore(h, { messages: 2 });
    await h.restart(() => clock.advance(5 * HOUR));
    const shown = await untilShown(h, request.id, 'Expired', 2);
    expect(shown.every((m) => requestButtons(m).all.length === 0)).toBe(true);
    await h.bot.idle();
    expect(restoreCreates(h)).toBe(before);
  });

  it('sends a request decided just before a crash exactly once after the restart, and follows its job', async () => {
    const before = restoreCreates(h);
    const { request } = await requestRestore(h, { messages: 2 });
    const dbPath = h.db.name;

    // The process stopped right after committing the deciding vote, before calling Atlas.
    await h.restart(async () => {
      const db = openDatabase(dbPath);
      try {
        const store = new ApprovalStore(db);
        const at = clock.now();
        await store.vote(request.id, { id: 'U0LEAD0001', displayName: 'lead', source: 'slack' }, at);
        expect(await store.markApproved(request.id, at)).toBe(true);
      } finally {
        db.close();
      }
    });

    const shown = await untilShown(h, request.id, 'Executed', 2);
    expect(blockText(shown[0]?.blocks)).toContain('approved by <@U0LEAD0001> (1 of 1)');
    expect(restoreCreates(h)).toBe(before + 1);
    const jobId = (await h.approvals?.get(request.id))?.execution?.atlasJobId as string;
    const job = await jobMessage(h, jobId);
    h.sim.clock.advance(6 * MINUTE);
    await finished(h, job);
    expect(restoreCreates(h)).toBe(before + 1);
  });
});
