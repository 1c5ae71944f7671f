import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/slack/fake-slack.js';
import { BotHarness, blockText, buttons, signingSecret } from '../support/slack/harness.js';
import { interactionBody, signRequest } from '../support/slack/sign.js';

/** Request signing, the timestamp window, and Slack's retries, through the real Bolt receiver. */
describe('Slack request verification and retries', () => {
  let h: BotHarness;
  const nowSeconds = () => Math.floor(Date.now() / 1000);
  const onDemand = () =>
    h.sim.store.listSnapshots(h.projectId, 'orders-prod').filter((s) => s.snapshotType === 'onDemand').length;

  beforeAll(async () => {
    h = await BotHarness.start();
  });
  afterAll(async () => {
    await h?.close();
  });

  async function expectNothingRan(before: { snapshots: number; slack: number; atlas: number }) {
    await h.bot.idle();
    expect(onDemand()).toBe(before.snapshots);
    expect(h.slack.calls.length).toBe(before.slack);
    expect(h.slack.responsePosts).toHaveLength(0);
    expect(h.sim.requests.length).toBe(before.atlas);
  }

  it('refuses bad signatures and stale or future timestamps with 401, running nothing', async () => {
    h.slack.reset();
    const before = { snapshots: onDemand(), slack: h.slack.calls.length, atlas: h.sim.requests.length };
    const text = 'snapshot take orders-prod --project Production';

    expect((await h.command(text, { secret: 'not-the-signing-secret' })).status).toBe(401);
    expect((await h.command(text, { timestampSeconds: nowSeconds() - 6 * 60 })).status).toBe(401);
    expect((await h.command(text, { timestampSeconds: nowSeconds() + 6 * 60 })).status).toBe(401);

    // A body changed after signing.
    const fields = h.commandFields(text);
    const signed = signRequest(signingSecret, new URLSearchParams(fields).toString());
    fields.text = 'restore orders-prod --download';
    expect((await h.post(new URLSearchParams(fields).toString(), signed.headers)).status).toBe(401);

    // No signature at all.
    const unsigned = await h.post(new URLSearchParams(h.commandFields(text)).toString(), {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(unsigned.status).toBe(401);

    await expectNothingRan(before);
  });

  it('accepts a request signed four minutes ago', async () => {
    const res = await h.command('projects', { timestampSeconds: nowSeconds() - 4 * 60 });
    expect(res.status).toBe(200);
    await h.responseTo(res.responseUrl);
  });

  it('runs a retried slash command (X-Slack-Retry-Num) once', async () => {
    const before = onDemand();
    const first = await h.command('snapshot take orders-prod --project Production --desc "retry test"');
    expect(first.status).toBe(200);
    // Slack resends the same body with a new timestamp and the retry headers.
    for (const retryNum of [1, 2]) {
      const again = await h.command('', { rawBody: first.body, retryNum });
      expect(again.status).toBe(200);
    }
    await h.bot.idle();
    expect(onDemand()).toBe(before + 1);
    // A second run would have been refused by Atlas (one on-demand snapshot at a time) and said so here.
    expect(h.slack.postsTo(first.responseUrl)).toHaveLength(0);
    const messages = h.slack
      .channelMessages('C0INCIDENT')
      .filter((m) => m.text.includes('Take an on-demand snapshot'));
    expect(messages).toHaveLength(1);
    h.sim.clock.advance(10 * 60_000);
  });

  it('runs a retry that races the first delivery once', async () => {
    const before = onDemand();
    const fields = h.commandFields('snapshot take orders-prod --project Production');
    const body = new URLSearchParams(fields).toString();
    const results = await Promise.all([
      h.post(body, signRequest(signingSecret, body).headers),
      h.post(body, signRequest(signingSecret, body, { retryNum: 1 }).headers),
      h.post(body, signRequest(signingSecret, body, { retryNum: 2 }).headers),
    ]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    await h.bot.idle();
    expect(onDemand()).toBe(before + 1);
    expect(h.slack.postsTo(fields.response_url)).toHaveLength(0);
    h.sim.clock.advance(10 * 60_000);
  });

  it('runs a retried button press once', async () => {
    const staging = h.sim.seed.projects.find((p) => p.name === 'Staging');
    const snap = h.sim.store
      .listSnapshots(staging?.id ?? '', 'orders-staging')
      .find((s) => s.outcome === 'succeeded' && s.doneAt <= h.sim.clock.now());
    const before = h.sim.store.listRestoreJobs(staging?.id ?? '', 'orders-staging').length;
    const res = await h.command(`restore orders-staging ${snap?.id} --download --project Staging`);
    const confirmation = await h.responseTo(res.responseUrl);
    const [confirm] = buttons(confirmation.body.blocks);
    const click = await h.click(confirm as { action_id: string; value: string });
    const again = await h.post(
      click.body ?? '',
      signRequest(signingSecret, click.body ?? '', { retryNum: 1 }).headers,
    );
    expect(again.status).toBe(200);
    await h.bot.idle();
    expect(h.sim.store.listRestoreJobs(staging?.id ?? '', 'orders-staging')).toHaveLength(before + 1);
    // The retry was not even seen as a second press: no "already answered" notice.
    const notices = h.slack
      .postsTo(click.responseUrl)
      .filter((p) => blockText(p.body.blocks).includes('already answered'));
    expect(notices).toHaveLength(0);
    await waitFor(() => h.slack.postsTo(click.responseUrl)[0], 'the confirmation to close');
  });

  it('refuses interaction payloads that are not signed', async () => {
    const body = interactionBody({
      type: 'block_actions',
      actions: [{ action_id: 'atlas_confirm', value: 'x' }],
    });
    const res = await h.post(body, { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(401);
  });
});
