import { FilePolicyEngine, defaultPolicyDocument } from '@atlas-backups/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor, type ShownMessage } from '../support/slack/fake-slack.js';
import { MINUTE, completedSnapshot } from '../support/slack/approvals.js';
import { BotHarness, blockText, buttons } from '../support/slack/harness.js';
import { proposal, untilMessage } from '../support/slack/jobs.js';

const channel = 'C0INCIDENT';

function project(h: BotHarness, name: string) {
  const p = h.sim.seed.projects.find((x) => x.name === name);
  if (!p) throw new Error(`no seeded project ${name}`);
  return p;
}

/** The job message the bot posted in the channel whose text mentions `needle`, after the first `skip`. */
function jobMessage(h: BotHarness, needle: string, skip = 0): Promise<ShownMessage> {
  return waitFor(
    () =>
      h.slack
        .channelMessages(channel)
        .slice(skip)
        .findLast((m) => m.text.includes(needle)),
    `a job message about ${needle}`,
  );
}

describe('/atlas changes, confirmed and followed', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await BotHarness.start();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('takes a snapshot at once (it is safe) and follows it to the end with in-place updates and a thread reply', async () => {
    const res = await h.command(
      'snapshot take orders-prod --project Production --retention 3 --desc "before the 8.0 upgrade"',
    );
    expect(res.status).toBe(200);
    const message = await jobMessage(h, 'Take an on-demand snapshot of orders-prod');
    expect(message.channel).toBe(channel);
    const snapshot = h.sim.store.listSnapshots(project(h, 'Production').id, 'orders-prod')[0];
    expect(snapshot?.snapshotType).toBe('onDemand');
    expect(snapshot?.description).toContain('before the 8.0 upgrade');
    expect(blockText(message.blocks)).toContain(snapshot?.id);
    expect(blockText(message.blocks)).toContain('<@U0ONCALL1>');

    await untilMessage(h, message, 'pending (queued)');
    h.sim.clock.advance(15_000);
    await untilMessage(h, message, 'running (inProgress)');
    h.sim.clock.advance(3 * MINUTE);
    const done = await untilMessage(h, message, 'succeeded (completed)');
    expect(done.updates).toBeGreaterThanOrEqual(3);
    const [reply] = await waitFor(() => {
      const r = h.slack.threadReplies(channel, message.ts);
      return r.length > 0 ? r : undefined;
    }, 'the thread reply');
    expect(blockText(reply?.blocks)).toMatch(/Take an on-demand snapshot of orders-prod: finished after/);
    // Only one message in the channel for the job; everything else is edits and the thread.
    expect(h.slack.channelMessages(channel).filter((m) => m.text.includes('orders-prod'))).toHaveLength(1);
    expect(h.audit.entries.map((e) => `${e.event}:${e.action}`)).toEqual(
      expect.arrayContaining(['requested:snapshot.take', 'executed:snapshot.take']),
    );
  });

  it('still shows the final state when Slack rate-limits an update of the job message', async () => {
    h.sim.clock.advance(10 * MINUTE);
    const posted = h.slack.channelMessages(channel).length;
    h.slack.failNext('chat.update', { status: 429, retryAfterSeconds: 0 }, 2);
    await h.command('snapshot take events-sharded --project Production');
    const message = await jobMessage(h, 'Take an on-demand snapshot of events-sharded', posted);
    h.sim.clock.advance(10 * MINUTE);
    await untilMessage(h, message, 'succeeded (completed)');
    expect(h.slack.callsTo('chat.update').length).toBeGreaterThanOrEqual(3);
    await waitFor(() => h.slack.threadReplies(channel, message.ts)[0], 'the thread reply');
  });

  it('explains a restore first, runs nothing until Confirm, then follows it to the end', async () => {
    const staging = project(h, 'Staging');
    const snap = completedSnapshot(h.sim, staging.id, 'orders-staging');
    const before = h.sim.store.listRestoreJobs(staging.id, 'orders-staging').length;
    const p = await proposal(h, `restore orders-staging ${snap.id} --to orders-staging --project Staging`);
    expect(p.post.body.response_type).toBe('ephemeral');
    expect(p.text).toContain(`Restore snapshot ${snap.id} of orders-staging onto orders-staging`);
    expect(p.text).toContain('Every database on orders-staging will be replaced');
    expect(p.text).toContain('rolled back to the snapshot');
    expect(p.confirm).toMatchObject({ action_id: 'atlas_confirm', style: 'danger', text: 'Confirm' });
    expect(p.cancel).toMatchObject({ action_id: 'atlas_cancel' });
    await h.bot.idle();
    expect(h.sim.store.listRestoreJobs(staging.id, 'orders-staging')).toHaveLength(before);

    const click = await h.click(p.confirm as { action_id: string; value: string });
    expect(click.status).toBe(200);
    const closed = await h.responseTo(click.responseUrl);
    expect(closed.body.replace_original).toBe(true);
    expect(blockText(closed.body.blocks)).toContain('Confirmed by <@U0ONCALL1>');
    const message = await jobMessage(h, `Restore snapshot ${snap.id}`);
    expect(h.sim.store.listRestoreJobs(staging.id, 'orders-staging')).toHaveLength(before + 1);
    h.sim.clock.advance(6 * MINUTE);
    await untilMessage(h, message, 'succeeded (finished)');
    await waitFor(() => h.slack.threadReplies(channel, message.ts)[0], 'the thread reply');
  });

  it('runs a confirmation once, however often Confirm is pressed', async () => {
    const staging = project(h, 'Staging');
    const snap = completedSnapshot(h.sim, staging.id, 'orders-staging');
    const before = h.sim.store.listRestoreJobs(staging.id, 'orders-staging').length;
    const p = await proposal(h, `restore orders-staging ${snap.id} --to orders-staging --project Staging`);
    const [a, b] = await Promise.all([
      h.click(p.confirm as { action_id: string; value: string }),
      h.click(p.confirm as { action_id: string; value: string }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    await h.bot.idle();
    expect(h.sim.store.listRestoreJobs(staging.id, 'orders-staging')).toHaveLength(before + 1);
    const refusals = [...h.slack.postsTo(a.responseUrl), ...h.slack.postsTo(b.responseUrl)].filter((x) =>
      blockText(x.body.blocks).includes('already answered'),
    );
    expect(refusals).toHaveLength(1);
  });

  it('does nothing on Cancel, and only the requester may answer', async () => {
    const staging = project(h, 'Staging');
    const snap = completedSnapshot(h.sim, staging.id, 'orders-staging');
    const before = h.sim.store.listRestoreJobs(staging.id, 'orders-staging').length;
    const p = await proposal(h, `restore orders-staging ${snap.id} --to orders-staging --project Staging`);
    const stranger = await h.click(p.confirm as { action_id: string; value: string }, { user: 'U0STRANGER' });
    expect(blockText((await h.responseTo(stranger.responseUrl)).body.blocks)).toContain(
      'Only the person who asked can confirm or cancel this',
    );
    const cancel = await h.click(p.cancel as { action_id: string; value: string });
    const closed = await h.responseTo(cancel.responseUrl);
    expect(closed.body.replace_original).toBe(true);
    expect(blockText(closed.body.blocks)).toContain('Cancelled. Nothing was done.');
    const late = await h.click(p.confirm as { action_id: string; value: string });
    expect(blockText((await h.responseTo(late.responseUrl)).body.blocks)).toContain('already answered');
    await h.bot.idle();
    expect(h.sim.store.listRestoreJobs(staging.id, 'orders-staging')).toHaveLength(before);
  });

  it('asks for the target cluster name to be typed on production, and refuses a wrong one', async () => {
    const prod = project(h, 'Production');
    const snap = completedSnapshot(h.sim, prod.id, 'orders-prod');
    const before = h.sim.store.listRestoreJobs(prod.id, 'orders-prod').length;
    const p = await proposal(h, `restore orders-prod ${snap.id} --to orders-prod --project Production`);
    expect(p.text).toContain('production');
    expect(p.text).toContain('you will be asked to type `orders-prod`');
    expect(p.confirm?.text).toBe('Confirm…');

    const opensBefore = h.slack.callsTo('views.open').length;
    await h.click(p.confirm as { action_id: string; value: string });
    const open = await waitFor(
      () => h.slack.callsTo('views.open')[opensBefore],
      'the typed-confirmation form',
    );
    const view = open.args.view as Record<string, unknown>;
    expect(view.callback_id).toBe('atlas_confirm_phrase');
    expect(blockText(view.blocks)).toContain('Type orders-prod to confirm');

    const wrong = await h.submitView(view, {
      phrase: { phrase_value: { type: 'plain_text_input', value: 'orders-staging' } },
    });
    expect(wrong.status).toBe(200);
    expect(wrong.json).toEqual({
      response_action: 'errors',
      errors: { phrase: 'That is not orders-prod. Type orders-prod exactly, or press Back.' },
    });
    await h.bot.idle();
    expect(h.sim.store.listRestoreJobs(prod.id, 'orders-prod')).toHaveLength(before);

    const right = await h.submitView(view, {
      phrase: { phrase_value: { type: 'plain_text_input', value: ' orders-prod ' } },
    });
    expect(right.status).toBe(200);
    expect(right.text).toBe('');
    await jobMessage(h, `Restore snapshot ${snap.id} of orders-prod onto orders-prod`);
    expect(h.sim.store.listRestoreJobs(prod.id, 'orders-prod')).toHaveLength(before + 1);
  });

  it('restores to a point in time, by --at and by --oplog', async () => {
    const staging = project(h, 'Staging');
    const at = new Date(h.sim.clock.now() - 2 * 3_600_000);
    const iso = `${at.toISOString().slice(0, 19)}Z`;
    const p = await proposal(h, `restore orders-staging --at ${iso} --to orders-staging --project Staging`);
    expect(p.text).toContain(`as of ${iso.slice(0, 10)}`);
    await h.click(p.confirm as { action_id: string; value: string });
    await jobMessage(h, 'Restore orders-staging to orders-staging as of');
    const job = h.sim.store.listRestoreJobs(staging.id, 'orders-staging')[0];
    expect(job).toMatchObject({
      deliveryType: 'pointInTime',
      pointInTimeUTCSeconds: Math.floor(at.getTime() / 1000),
    });

    const ts = Math.floor(at.getTime() / 1000) - 60;
    const q = await proposal(
      h,
      `restore orders-staging --oplog ${ts}:2 --to orders-staging --project Staging`,
    );
    expect(q.text).toContain(`oplog timestamp ${ts}:2`);
    await h.click(q.confirm as { action_id: string; value: string });
    await waitFor(
      () =>
        h.sim.store
          .listRestoreJobs(staging.id, 'orders-staging')
          .find((j) => j.oplogTs === ts && j.oplogInc === 2),
      'the oplog restore job',
    );
  });

  it('makes download links and shows them in the message and the thread', async () => {
    const staging = project(h, 'Staging');
    const snap = completedSnapshot(h.sim, staging.id, 'orders-staging');
    const p = await proposal(h, `restore orders-staging ${snap.id} --download --project Staging`);
    expect(p.text).toContain('Nothing is overwritten');
    expect(p.confirm?.style).toBe('primary');
    await h.click(p.confirm as { action_id: string; value: string });
    const message = await jobMessage(h, `Create download links for snapshot ${snap.id}`);
    h.sim.clock.advance(4 * MINUTE);
    const done = await untilMessage(h, message, 'Download links');
    expect(JSON.stringify(done.blocks)).toMatch(/<https?:\/\/[^|]+\|Download>/);
    const reply = await waitFor(() => h.slack.threadReplies(channel, message.ts)[0], 'the thread reply');
    expect(blockText(reply.blocks)).toContain('Download links');
  });

  it('keeps a job message going through a 429 storm on the poll, to its end', async () => {
    const staging = project(h, 'Staging');
    const snap = completedSnapshot(h.sim, staging.id, 'orders-staging');
    const p = await proposal(h, `restore orders-staging ${snap.id} --download --project Staging`);
    await h.click(p.confirm as { action_id: string; value: string });
    const message = await jobMessage(h, `Create download links for snapshot ${snap.id}`);
    // Every read of the cluster's restore jobs is refused for a while (the client retries each
    // three times, so this is four polls' worth).
    h.sim.faults.inject({
      status: 429,
      retryAfterSeconds: 0,
      times: 12,
      method: 'GET',
      path: /restoreJobs$/,
    });
    await waitFor(() => h.sim.faults.pending === 0 || undefined, 'the storm to pass');
    h.sim.clock.advance(4 * MINUTE);
    const done = await untilMessage(h, message, 'Download links');
    expect(blockText(done.blocks)).not.toMatch(/stopped following/i);
    const reply = await waitFor(() => h.slack.threadReplies(channel, message.ts)[0], 'the thread reply');
    expect(blockText(reply.blocks)).toContain('Download links');
    expect(h.sim.requests.filter((r) => r.status === 429 && /restoreJobs$/.test(r.path))).toHaveLength(12);
  });

  it('exports a snapshot with custom data and shows the collections climbing', async () => {
    const prod = project(h, 'Production');
    const snap = completedSnapshot(h.sim, prod.id, 'orders-prod');
    const bucket = prod.exportBucketIds[0] as string;
    const p = await proposal(
      h,
      `export orders-prod ${snap.id} --bucket ${bucket} --data ticket=INC-42 --data "note=sev 1" --project Production`,
    );
    expect(p.text).toContain('Export snapshot');
    expect(p.text).toContain('acme-atlas-exports');
    expect(p.text).toContain('Custom data: ticket=INC-42, note=sev 1');
    await h.click(p.confirm as { action_id: string; value: string });
    const message = await jobMessage(h, `Export snapshot ${snap.id}`);
    const job = h.sim.store.listExportJobs(prod.id, 'orders-prod')[0];
    expect(job?.customData).toEqual(
      expect.arrayContaining([
        { key: 'ticket', value: 'INC-42' },
        { key: 'note', value: 'sev 1' },
      ]),
    );
    h.sim.clock.advance(30_000 + 2.5 * MINUTE);
    const running = await untilMessage(h, message, 'running (InProgress)');
    expect(blockText(running.blocks)).toMatch(/▓+░+ \d+\/\d+ \d+%` collections/);
    h.sim.clock.advance(5 * MINUTE);
    await untilMessage(h, message, 'succeeded (Successful)');
    await waitFor(() => h.slack.threadReplies(channel, message.ts)[0], 'the thread reply');
  });

  it('changes retention: longer at once, shorter only after confirming', async () => {
    const staging = project(h, 'Staging');
    const snap = completedSnapshot(h.sim, staging.id, 'orders-staging');
    const longer = await h.command(`snapshot retain orders-staging ${snap.id} 2 years --project Staging`);
    const done = await h.responseTo(longer.responseUrl);
    expect(done.body.response_type).toBe('in_channel');
    expect(blockText(done.body.blocks)).toContain(`Snapshot ${snap.id} on orders-staging now expires`);
    const after = h.sim.store.getSnapshot(staging.id, 'orders-staging', snap.id);
    expect(after?.expiresAt).toBeGreaterThan(snap.createdAt + 700 * 86_400_000);

    const p = await proposal(h, `snapshot retain orders-staging ${snap.id} 1 years --project Staging`);
    expect(p.text).toContain('Shortens retention');
    const stillLong = h.sim.store.getSnapshot(staging.id, 'orders-staging', snap.id)?.expiresAt;
    await h.click(p.confirm as { action_id: string; value: string });
    await waitFor(
      () =>
        (h.sim.store.getSnapshot(staging.id, 'orders-staging', snap.id)?.expiresAt ?? 0) < (stillLong ?? 0),
      'the shorter retention',
    );
  });

  it('cancels a running restore; its own message turns to cancelled', async () => {
    const staging = project(h, 'Staging');
    const snap = completedSnapshot(h.sim, staging.id, 'orders-staging');
    const p = await proposal(h, `restore orders-staging ${snap.id} --to orders-staging --project Staging`);
    await h.click(p.confirm as { action_id: string; value: string });
    await h.bot.idle();
    const job = h.sim.store.listRestoreJobs(staging.id, 'orders-staging')[0];
    const message = await waitFor(
      () => h.slack.channelMessages(channel).find((m) => blockText(m.blocks).includes(job?.id ?? '?')),
      'the restore message',
    );
    const c = await proposal(h, `restore cancel orders-staging ${job?.id} --project Staging`);
    expect(c.text).toContain(`Cancel restore job ${job?.id} of orders-staging`);
    expect(c.text).toContain('may be left partly restored');
    const click = await h.click(c.confirm as { action_id: string; value: string });
    await untilMessage(h, message, 'cancelled');
    const summary = await waitFor(
      () => h.slack.postsTo(click.responseUrl).find((x) => x.body.response_type === 'in_channel'),
      'the cancel summary',
    );
    expect(blockText(summary.body.blocks)).toContain(`Restore job ${job?.id} on orders-staging cancelled`);
  });

  it('carries on following a job after the bot restarts', async () => {
    const staging = project(h, 'Staging');
    const snap = completedSnapshot(h.sim, staging.id, 'orders-staging');
    const p = await proposal(h, `restore orders-staging ${snap.id} --download --project Staging`);
    const posted = h.slack.channelMessages(channel).length;
    await h.click(p.confirm as { action_id: string; value: string });
    const message = await jobMessage(h, `Create download links for snapshot ${snap.id}`, posted);
    await untilMessage(h, message, 'running (inProgress)');
    await h.restart();
    h.sim.clock.advance(4 * MINUTE);
    await untilMessage(h, message, 'Download links');
    await waitFor(() => h.slack.threadReplies(channel, message.ts)[0], 'the thread reply after the restart');
    // No new message for the job: the restarted bot edited the one it had posted.
    expect(h.slack.channelMessages(channel).at(-1)?.ts).toBe(message.ts);
  });

  it("shows the core's message and hint when Atlas refuses the change", async () => {
    const staging = project(h, 'Staging');
    const snap = completedSnapshot(h.sim, staging.id, 'orders-staging');
    h.sim.faults.inject({
      status: 500,
      method: 'POST',
      path: '/clusters/orders-staging/backup/restoreJobs',
      times: 1,
    });
    const p = await proposal(h, `restore orders-staging ${snap.id} --to orders-staging --project Staging`);
    const click = await h.click(p.confirm as { action_id: string; value: string });
    const error = await waitFor(
      () => h.slack.postsTo(click.responseUrl).find((x) => blockText(x.body.blocks).includes('failed')),
      'the error',
    );
    expect(error.body.response_type).toBe('ephemeral');
    const text = blockText(error.body.blocks);
    expect(text).toContain('Starting the restore failed: Atlas 500');
    expect(text).toContain('Atlas had an internal error');
  });

  it('refuses before anything when a snapshot does not exist', async () => {
    const res = await h.command(
      `restore orders-staging ${'f'.repeat(24)} --to orders-staging --project Staging`,
    );
    const post = await h.responseTo(res.responseUrl);
    const text = blockText(post.body.blocks);
    expect(text).toContain('Starting the restore failed: Atlas 404');
    expect(text).toContain('No snapshot with that id');
    expect(buttons(post.body.blocks)).toHaveLength(0);
  });
});

describe('/atlas changes that policy sends for approval', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await BotHarness.start({ approvalStack: true, policy: new FilePolicyEngine(defaultPolicyDocument) });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('posts "waiting for approval" after Confirm and starts nothing', async () => {
    const staging = project(h, 'Staging');
    const snap = completedSnapshot(h.sim, staging.id, 'orders-staging');
    const before = h.sim.store.listRestoreJobs(staging.id, 'orders-staging').length;
    const p = await proposal(h, `restore orders-staging ${snap.id} --to orders-staging --project Staging`);
    const click = await h.click(p.confirm as { action_id: string; value: string });
    const waiting = await waitFor(
      () =>
        h.slack
          .postsTo(click.responseUrl)
          .find((x) => blockText(x.body.blocks).includes('Waiting for approval')),
      'the pending notice',
    );
    expect(waiting.body.response_type).toBe('in_channel');
    expect(blockText(waiting.body.blocks)).toContain('needs 1 approval');
    const open = (await h.approvals?.listOpen()) ?? [];
    expect(open).toHaveLength(1);
    expect(blockText(waiting.body.blocks)).toContain(open[0]?.id);
    expect(h.sim.store.listRestoreJobs(staging.id, 'orders-staging')).toHaveLength(before);
  });
});

describe('/atlas in read-only mode', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await BotHarness.start({ readOnly: true });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('refuses a change with the reason and changes nothing', async () => {
    const before = h.sim.store.listSnapshots(h.projectId, 'orders-prod').length;
    const res = await h.command('snapshot take orders-prod --project Production');
    const post = await h.responseTo(res.responseUrl);
    expect(post.body.response_type).toBe('ephemeral');
    expect(blockText(post.body.blocks)).toContain('Read-only mode');
    expect(h.sim.store.listSnapshots(h.projectId, 'orders-prod')).toHaveLength(before);
  });
});
