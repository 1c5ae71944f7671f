import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MINUTE,
  completedFlexSnapshot,
  requestButtons,
  seededProject,
  untilShown,
} from '../support/slack/approvals.js';
import { waitFor, type ShownMessage } from '../support/slack/fake-slack.js';
import { BotHarness, blockText, buttons } from '../support/slack/harness.js';
import { jobMessage, proposal, untilMessage } from '../support/slack/jobs.js';

const channel = 'C0INCIDENT';
const approvalsChannel = 'C0APPROVALS';

/** Flex restore jobs and downloads Atlas was asked to create, and accepted. */
const flexPosts = (h: BotHarness, what: 'restoreJobs' | 'download') =>
  h.sim.requests.filter(
    (r) =>
      r.method === 'POST' &&
      new RegExp(`/flexClusters/[^/]+/backup/${what}$`).test(r.path) &&
      r.status >= 200 &&
      r.status < 300,
  ).length;

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
    snapshotId = completedFlexSnapshot(h.sim, prodId, 'sandbox-flex').id;
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
      async () => (await h.approvals?.store.recent(10))?.find((r) => r.action === 'restore.flex'),
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
    const jobId = (await h.approvals?.get(request.id))?.execution?.atlasJobId as string;
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
    await untilMessage(h, message, 'succeeded (COMPLETED)');
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
      async () => (await h.approvals?.store.recent(10))?.find((r) => r.action === 'restore.download.flex'),
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
    const jobId = (await h.approvals?.get(request.id))?.execution?.atlasJobId as string;

    const message = await jobMessage(h, jobId);
    h.sim.clock.advance(3 * MINUTE);
    const done = blockText((await untilMessage(h, message, 'Download links')).blocks);
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

type View = Record<string, unknown> & { blocks: Record<string, unknown>[] };
type Values = Record<string, Record<string, Record<string, unknown>>>;
const selected = (value: string) => ({
  type: 'static_select',
  selected_option: { text: { type: 'plain_text', text: value }, value },
});
const radio = (value: string) => ({ type: 'radio_buttons', selected_option: { value } });

/** The restore form with a Flex source: its snapshots, onto a cluster or as a download, nothing else. */
describe('the restore form with a Flex source', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await BotHarness.start({ simulator: { now: new Date('2026-11-27T12:00:00Z') } });
  });
  afterAll(async () => {
    await h?.close();
  });

  const viewCalls = () =>
    h.slack.calls.filter((c) => c.method === 'views.open' || c.method === 'views.update');
  async function latest(after: number): Promise<View> {
    return waitFor(() => {
      const calls = viewCalls();
      const call = calls.at(-1);
      if (!call || calls.length <= after) return undefined;
      return { ...(call.args.view as View), id: (call.args.view_id as string | undefined) ?? 'V00000001' };
    }, 'the form to be updated');
  }
  const blockOf = (view: View, prefix: string) =>
    view.blocks.find(
      (b) => typeof b.block_id === 'string' && (b.block_id === prefix || b.block_id.startsWith(`${prefix}@`)),
    ) as { block_id: string; element: { options: { value: string }[] } } | undefined;
  async function change(view: View, values: Values, blockId: string, actionId: string, value: string) {
    const count = viewCalls().length;
    await h.pick(view, values, { block_id: blockId, action_id: actionId, value });
    return latest(count);
  }

  it('offers the Flex cluster, its snapshots, a restore or a download, and proposes the Flex action', async () => {
    const prod = seededProject(h, 'Production');
    const snap = completedFlexSnapshot(h.sim, prod.id, 'sandbox-flex');
    const res = await h.command('restore', { channel: 'C0FORMS' });
    let view = await waitFor(async () => {
      const v = await latest(0);
      return blockOf(v, 'form_project') ? v : undefined;
    }, 'the form with its projects');
    let values: Values = { form_project: { form_project: selected(prod.id) } };
    view = await change(view, values, 'form_project', 'form_project', prod.id);
    expect(blockOf(view, 'form_cluster')?.element.options.map((o) => o.value)).toContain('sandbox-flex');
    values = { ...values, [`form_cluster@${prod.id}`]: { form_cluster: selected('sandbox-flex') } };
    view = await change(view, values, `form_cluster@${prod.id}`, 'form_cluster', 'sandbox-flex');

    const text = blockText(view.blocks);
    expect(text).toContain('sandbox-flex is a Flex cluster: its snapshot restores whole, or downloads.');
    expect(text).not.toContain('Restore a point in time');
    expect(text).not.toContain('What to restore');
    const delivery = blockOf(view, 'form_delivery');
    expect(delivery?.element.options.map((o) => o.value)).toEqual(['automated', 'download']);
    expect(blockOf(view, 'form_snapshot')?.element.options.map((o) => o.value)).toContain(snap.id);
    const targets = blockOf(view, 'form_target_cluster')?.element.options.map((o) => o.value);
    expect(targets).toEqual(expect.arrayContaining(['sandbox-flex', 'orders-prod']));
    expect(targets).not.toContain('metrics-serverless');

    values = {
      ...values,
      [`form_snapshot@${prod.id}/sandbox-flex`]: { form_snapshot: selected(snap.id) },
      form_delivery: { form_delivery: radio('automated') },
      [`form_target_cluster@${prod.id}`]: { form_target_cluster: selected('sandbox-flex') },
    };
    const submitted = await h.submitView(view, values);
    expect(submitted.text).toBe('');
    const restore = blockText((await h.responseTo(res.responseUrl)).body.blocks);
    expect(restore).toContain(`Restore Flex snapshot ${snap.id} of sandbox-flex onto sandbox-flex`);
    expect(restore).toContain('you will be asked to type `sandbox-flex`');

    values = { ...values, form_delivery: { form_delivery: radio('download') } };
    view = await change(view, values, 'form_delivery', 'form_delivery', 'download');
    expect(blockOf(view, 'form_target_cluster')).toBeUndefined();
    await h.submitView(view, values);
    const download = blockText((await h.responseTo(res.responseUrl, 2)).body.blocks);
    expect(download).toContain(`Create a download link for Flex snapshot ${snap.id} of sandbox-flex`);
    expect(flexPosts(h, 'restoreJobs') + flexPosts(h, 'download')).toBe(0);
  });
});
