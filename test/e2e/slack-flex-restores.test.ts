import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestButtons, seededProject, untilShown } from '../support/slack/approvals.js';
import { waitFor, type ShownMessage } from '../support/slack/fake-slack.js';
import { BotHarness, blockText, buttons } from '../support/slack/harness.js';

const channel = 'C0INCIDENT';
const approvalsChannel = 'C0APPROVALS';
const MINUTE = 60_000;

/** Flex restore jobs and downloads Atlas was asked to create, and accepted. */
const flexPosts = (h: BotHarness, what: 'restoreJobs' | 'download') =>
  h.sim.requests.filter(
    (r) =>
      r.method === 'POST' &&
      new RegExp(`/flexClusters/[^/]+/backup/${what}$`).test(r.path) &&
      r.status >= 200 &&
      r.status < 300,
  ).length;

function completedFlexSnapshot(h: BotHarness, projectId: string, cluster: string) {
  const now = h.sim.clock.now();
  const s = h.sim.store
    .listFlexSnapshots(projectId, cluster)
    .find((x) => x.finishTime <= now && x.outcome === 'succeeded');
  if (!s) throw new Error(`no completed Flex snapshot on ${cluster}`);
  return s;
}

async function proposal(h: BotHarness, text: string) {
  const res = await h.command(text, { channel });
  expect(res.status).toBe(200);
  const post = await h.responseTo(res.responseUrl, 1, `the answer to ${text}`);
  const [confirm] = buttons(post.body.blocks);
  return { res, confirm, text: blockText(post.body.blocks) };
}

/** The job's own message in the channel (not the approval request's). */
function jobMessage(h: BotHarness, jobId: string): Promise<ShownMessage> {
  return waitFor(
    () =>
      h.slack
        .channelMessages(channel)
        .find((m) => blockText(m.blocks).includes(jobId) && !blockText(m.blocks).includes('Request `')),
    `the job message of ${jobId}`,
  );
}

async function until(h: BotHarness, message: ShownMessage, needle: string): Promise<string> {
  return waitFor(() => {
    const text = blockText(h.slack.messages.get(`${message.channel}/${message.ts}`)?.blocks);
    return text.includes(needle) ? text : undefined;
  }, `the job message to show ${needle}`);
}

/** `/atlas restore <flex-cluster> …` with the default policy and the approval UI wired as main wires it. */
describe('/atlas restore on a Flex cluster', () => {
  let h: BotHarness;
  let prodId: string;
  let stagingId: string;
  let snapshotId: string;
  beforeAll(async () => {
    h = await BotHarness.start({
      approvals: { approvalsChannel },
      simulator: { now: new Date('2026-11-27T12:00:00Z') },
    });
    prodId = seededProject(h, 'Production').id;
    stagingId = seededProject(h, 'Staging').id;
    snapshotId = completedFlexSnapshot(h, prodId, 'sandbox-flex').id;
  });
  afterAll(async () => {
    await h?.close();
  });

  it('restores onto another Flex cluster: explained, name typed, approved by someone else, run once, followed to the end', async () => {
    const p = await proposal(
      h,
      `restore sandbox-flex ${snapshotId} --to staging-flex --target-project Staging --project Production --reason "INC-9 seed the sandbox"`,
    );
    expect(p.text).toContain(`Restore Flex snapshot ${snapshotId} of sandbox-flex onto staging-flex`);
    expect(p.text).toContain(`Target: Flex cluster staging-flex in project Staging (${stagingId})`);
    expect(p.text).toContain('Every database on staging-flex will be replaced');
    expect(p.text).toContain('you will be asked to type `staging-flex`');
    expect(flexPosts(h, 'restoreJobs')).toBe(0);

    const opens = h.slack.callsTo('views.open').length;
    await h.click(p.confirm as { action_id: string; value: string }, { channel });
    const open = await waitFor(() => h.slack.callsTo('views.open')[opens], 'the typed-confirmation form');
    const typed = await h.submitView(open.args.view as Record<string, unknown>, {
      phrase: { phrase_value: { type: 'plain_text_input', value: 'staging-flex' } },
    });
    expect(typed.status).toBe(200);

    const request = await waitFor(
      () => h.approvals?.store.recent(10).find((r) => r.action === 'restore.flex'),
      'the approval request',
    );
    const [shown] = await untilShown(h, request.id, 'Waiting for approval');
    expect(blockText(shown?.blocks)).toContain('INC-9 seed the sandbox');
    await h.bot.idle();
    expect(flexPosts(h, 'restoreJobs')).toBe(0);

    await h.click(requestButtons(shown as ShownMessage).approve(), {
      user: 'U0LEAD0001',
      channel: approvalsChannel,
    });
    await untilShown(h, request.id, 'Executed');
    const jobId = h.approvals?.get(request.id)?.execution?.atlasJobId as string;
    expect(jobId).toMatch(/^[0-9a-f]{24}$/);
    const stored = h.sim.store.getFlexRestoreJob(prodId, 'sandbox-flex', jobId);
    expect(stored).toMatchObject({
      deliveryType: 'RESTORE',
      snapshotId,
      targetDeploymentItemName: 'staging-flex',
      targetProjectId: stagingId,
    });

    const message = await jobMessage(h, jobId);
    expect(blockText(message.blocks)).toContain('Flex restore job');
    h.sim.clock.advance(3 * MINUTE);
    await until(h, message, 'succeeded (COMPLETED)');
    await waitFor(() => h.slack.threadReplies(channel, message.ts)[0], 'the thread reply');
    await h.bot.idle();
    expect(flexPosts(h, 'restoreJobs')).toBe(1);
  });

  it('creates a download link after approval and shows it, with its expiry, when it is ready', async () => {
    const p = await proposal(h, `restore sandbox-flex ${snapshotId} --download --project Production`);
    expect(p.text).toContain(`Create a download link for Flex snapshot ${snapshotId} of sandbox-flex`);
    expect(p.text).toContain('Nothing is overwritten.');
    expect(p.text).toContain('Anyone holding the download link can fetch the data until it expires.');
    expect(p.text).not.toContain('you will be asked to type');

    await h.click(p.confirm as { action_id: string; value: string }, { channel });
    const request = await waitFor(
      () => h.approvals?.store.recent(10).find((r) => r.action === 'restore.download.flex'),
      'the approval request',
    );
    const [shown] = await untilShown(h, request.id, 'Waiting for approval');
    await h.bot.idle();
    expect(flexPosts(h, 'download')).toBe(0);
    await h.click(requestButtons(shown as ShownMessage).approve(), {
      user: 'U0LEAD0001',
      channel: approvalsChannel,
    });
    await untilShown(h, request.id, 'Executed');
    const jobId = h.approvals?.get(request.id)?.execution?.atlasJobId as string;

    const message = await jobMessage(h, jobId);
    h.sim.clock.advance(3 * MINUTE);
    const done = await until(h, message, 'Download links');
    const expires = h.sim.store.getFlexRestoreJob(prodId, 'sandbox-flex', jobId)?.expirationDate ?? 0;
    const shownExpiry = new Date(expires).toISOString().slice(0, 16).replace('T', ' ');
    expect(done).toContain(`*Download links* (work until ${shownExpiry} UTC)`);
    expect(done).toMatch(
      new RegExp(`<https://flex-download\\.[^|>]+/${prodId}/${snapshotId}/${jobId}\\.tar\\.gz\\|Download>`),
    );
    expect(flexPosts(h, 'download')).toBe(1);
  });

  it('refuses what a Flex cluster does not offer, before any confirmation', async () => {
    const res = await h.command(
      `restore sandbox-flex --at 2026-11-27T09:00:00Z --to sandbox-flex --project Production`,
      { channel },
    );
    const post = await h.responseTo(res.responseUrl, 1, 'the refusal');
    const text = blockText(post.body.blocks);
    expect(text).toContain(
      'clusterName: Flex backups are managed by Atlas; of them this tool only restores and downloads snapshots',
    );
    expect(text).toContain('INVALID_INPUT');
    expect(buttons(post.body.blocks)).toEqual([]);
    // Atlas was asked what sandbox-flex is, and nothing else about it.
    expect(h.sim.requests.filter((r) => r.path.includes('/clusters/sandbox-flex/'))).toEqual([]);
  });
});
