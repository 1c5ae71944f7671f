import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor, type RecordedCall } from '../support/slack/fake-slack.js';
import { BotHarness, blockText, buttons } from '../support/slack/harness.js';

type View = Record<string, unknown> & { blocks: Record<string, unknown>[] };
type Values = Record<string, Record<string, Record<string, unknown>>>;

const selected = (value: string) => ({
  type: 'static_select',
  selected_option: { text: { type: 'plain_text', text: value }, value },
});

/** The form as Slack shows it after the bot's latest views.open/views.update for it. */
function latestView(h: BotHarness, after: number): Promise<{ view: View; call: RecordedCall }> {
  return waitFor(() => {
    const calls = h.slack.calls.filter((c) => c.method === 'views.open' || c.method === 'views.update');
    const call = calls[calls.length - 1];
    if (!call || calls.length <= after) return undefined;
    const view = call.args.view as View;
    const id = (call.args.view_id as string | undefined) ?? 'V00000001';
    return { view: { ...view, id }, call };
  }, 'the form to be updated');
}

const viewCalls = (h: BotHarness) =>
  h.slack.calls.filter((c) => c.method === 'views.open' || c.method === 'views.update').length;

function block(view: View, prefix: string): Record<string, unknown> | undefined {
  return view.blocks.find(
    (b) => typeof b.block_id === 'string' && (b.block_id === prefix || b.block_id.startsWith(`${prefix}@`)),
  );
}

function options(b: Record<string, unknown> | undefined): { value: string; text: string }[] {
  const el = (b?.element ?? {}) as { options?: { value: string; text: { text: string } }[] };
  return (el.options ?? []).map((o) => ({ value: o.value, text: o.text.text }));
}

describe('/atlas restore and /atlas export forms', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await BotHarness.start();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('opens the restore form at once and fills it from Atlas as the person picks project, cluster and snapshot', async () => {
    const staging = h.sim.seed.projects.find((p) => p.name === 'Staging');
    const start = viewCalls(h);
    const res = await h.command('restore', { channel: 'C0FORMS', triggerId: 'trigger-restore-1' });
    expect(res.status).toBe(200);
    expect(res.text).toBe('');

    const open = await waitFor(() => h.slack.callsTo('views.open').at(-1), 'views.open');
    expect(open.args.trigger_id).toBe('trigger-restore-1');
    expect(blockText((open.args.view as View).blocks)).toContain('Loading projects from Atlas');

    let { view } = await latestView(h, start + 1);
    const projects = options(block(view, 'form_project'));
    expect(projects.map((o) => o.text)).toEqual(['Analytics', 'Production', 'Staging']);
    expect(block(view, 'form_project')?.dispatch_action).toBe(true);

    let values: Values = { form_project: { form_project: selected(staging?.id ?? '') } };
    let count = viewCalls(h);
    await h.pick(view, values, {
      block_id: 'form_project',
      action_id: 'form_project',
      value: staging?.id ?? '',
    });
    ({ view } = await latestView(h, count));
    const clusterBlock = block(view, 'form_cluster');
    expect(clusterBlock?.block_id).toBe(`form_cluster@${staging?.id}`);
    // Flex clusters are sources too (a snapshot restored whole, or downloaded).
    expect(options(clusterBlock).map((o) => o.value)).toEqual(['orders-staging', 'staging-flex']);
    // Restoring onto a cluster: the target project defaults to the source's, with its clusters listed.
    expect(options(block(view, 'form_target_cluster')).map((o) => o.value)).toEqual(['orders-staging']);

    values = { ...values, [`form_cluster@${staging?.id}`]: { form_cluster: selected('orders-staging') } };
    count = viewCalls(h);
    await h.pick(view, values, {
      block_id: `form_cluster@${staging?.id}`,
      action_id: 'form_cluster',
      value: 'orders-staging',
    });
    ({ view } = await latestView(h, count));
    const snapshotBlock = block(view, 'form_snapshot');
    const snapshots = options(snapshotBlock);
    const completed = h.sim.store
      .listSnapshots(staging?.id ?? '', 'orders-staging')
      .filter((s) => s.doneAt <= h.sim.clock.now() && s.outcome === 'succeeded');
    expect(snapshots.length).toBe(Math.min(completed.length, 100));
    expect(snapshots[0]?.value).toBe(completed[0]?.id);

    // Submitting without a target cluster names the missing field; nothing is proposed.
    const snapshotId = snapshots[0]?.value ?? '';
    values = {
      ...values,
      [`form_snapshot@${staging?.id}/orders-staging`]: { form_snapshot: selected(snapshotId) },
      form_delivery: { form_delivery: { type: 'radio_buttons', selected_option: { value: 'automated' } } },
    };
    const incomplete = await h.submitView(view, values);
    expect(incomplete.json).toEqual({
      response_action: 'errors',
      errors: { [`form_target_cluster@${staging?.id}`]: 'Choose the cluster to restore onto.' },
    });

    values = {
      ...values,
      [`form_target_cluster@${staging?.id}`]: { form_target_cluster: selected('orders-staging') },
    };
    const submitted = await h.submitView(view, values);
    expect(submitted.status).toBe(200);
    expect(submitted.text).toBe('');
    // The explanation and Confirm arrive where the command was typed, as for a typed restore.
    const confirmation = await h.responseTo(res.responseUrl);
    expect(confirmation.body.response_type).toBe('ephemeral');
    expect(blockText(confirmation.body.blocks)).toContain(
      `Restore snapshot ${snapshotId} of orders-staging onto orders-staging`,
    );
    const before = h.sim.store.listRestoreJobs(staging?.id ?? '', 'orders-staging').length;
    const [confirm] = buttons(confirmation.body.blocks);
    await h.click(confirm as { action_id: string; value: string }, { channel: 'C0FORMS' });
    await waitFor(
      () => h.sim.store.listRestoreJobs(staging?.id ?? '', 'orders-staging').length === before + 1,
      'the restore job',
    );
    await waitFor(
      () => h.slack.channelMessages('C0FORMS').find((m) => m.text.includes(snapshotId)),
      'the job message',
    );
  });

  it("starts the form on the channel's default project and offers download links", async () => {
    const staging = h.sim.seed.projects.find((p) => p.name === 'Staging');
    await h.responseTo((await h.command('use Staging', { channel: 'C0DEFAULT' })).responseUrl);
    const start = viewCalls(h);
    const res = await h.command('restore', { channel: 'C0DEFAULT' });
    const { view } = await latestView(h, start + 1);
    const project = block(view, 'form_project')?.element as { initial_option?: { value: string } };
    expect(project.initial_option?.value).toBe(staging?.id);
    expect(options(block(view, 'form_cluster')).map((o) => o.value)).toEqual([
      'orders-staging',
      'staging-flex',
    ]);

    const snapshot = h.sim.store
      .listSnapshots(staging?.id ?? '', 'orders-staging')
      .find((s) => s.doneAt <= h.sim.clock.now());
    const values: Values = {
      form_project: { form_project: selected(staging?.id ?? '') },
      [`form_cluster@${staging?.id}`]: { form_cluster: selected('orders-staging') },
      [`form_snapshot@${staging?.id}/orders-staging`]: { form_snapshot: selected(snapshot?.id ?? '') },
      form_delivery: { form_delivery: { type: 'radio_buttons', selected_option: { value: 'download' } } },
    };
    const submitted = await h.submitView(view, values);
    expect(submitted.text).toBe('');
    // Answered where the command was typed: the form's origin is kept by the bot, not in the view.
    expect(JSON.parse(view.private_metadata as string)).toEqual({ kind: 'restore' });
    const confirmation = await h.responseTo(res.responseUrl);
    expect(blockText(confirmation.body.blocks)).toContain(
      `Create download links for snapshot ${snapshot?.id}`,
    );
  });

  it('builds an export from project, cluster, snapshot, bucket and custom data', async () => {
    const prod = h.sim.seed.projects.find((p) => p.name === 'Production');
    const start = viewCalls(h);
    const res = await h.command('export', { channel: 'C0EXPORT' });
    let { view } = await latestView(h, start + 1);
    expect(view.callback_id).toBe('atlas_export_form');
    let values: Values = { form_project: { form_project: selected(prod?.id ?? '') } };
    let count = viewCalls(h);
    await h.pick(view, values, {
      block_id: 'form_project',
      action_id: 'form_project',
      value: prod?.id ?? '',
    });
    ({ view } = await latestView(h, count));
    // Flex and serverless deployments have no cloud-backup exports: only dedicated clusters are offered.
    expect(options(block(view, 'form_cluster')).map((o) => o.value)).toEqual([
      'events-sharded',
      'orders-prod',
    ]);
    expect(options(block(view, 'form_bucket'))).toEqual([
      { value: prod?.exportBucketIds[0], text: 'acme-atlas-exports (AWS)' },
    ]);

    values = { ...values, [`form_cluster@${prod?.id}`]: { form_cluster: selected('orders-prod') } };
    count = viewCalls(h);
    await h.pick(view, values, {
      block_id: `form_cluster@${prod?.id}`,
      action_id: 'form_cluster',
      value: 'orders-prod',
    });
    ({ view } = await latestView(h, count));
    const snapshotId = options(block(view, 'form_snapshot'))[0]?.value ?? '';

    const bad = await h.submitView(view, {
      ...values,
      [`form_snapshot@${prod?.id}/orders-prod`]: { form_snapshot: selected(snapshotId) },
      [`form_bucket@${prod?.id}`]: { form_bucket: selected(prod?.exportBucketIds[0] ?? '') },
      form_custom_data: { form_custom_data: { type: 'plain_text_input', value: 'ticket INC-7' } },
    });
    expect(bad.json).toEqual({
      response_action: 'errors',
      errors: { form_custom_data: '"ticket INC-7" is not key=value.' },
    });

    const good = await h.submitView(view, {
      ...values,
      [`form_snapshot@${prod?.id}/orders-prod`]: { form_snapshot: selected(snapshotId) },
      [`form_bucket@${prod?.id}`]: { form_bucket: selected(prod?.exportBucketIds[0] ?? '') },
      form_custom_data: {
        form_custom_data: { type: 'plain_text_input', value: 'ticket=INC-7\nowner = dba' },
      },
    });
    expect(good.text).toBe('');
    const confirmation = await h.responseTo(res.responseUrl);
    const text = blockText(confirmation.body.blocks);
    expect(text).toContain(`Export snapshot ${snapshotId} of orders-prod to acme-atlas-exports`);
    expect(text).toContain('Custom data: ticket=INC-7, owner=dba');
  });

  it('answers the form with the failure when Atlas fails while it loads', async () => {
    const prod = h.sim.seed.projects.find((p) => p.name === 'Production');
    h.sim.faults.inject({
      status: 500,
      path: new RegExp(`/groups/${prod?.id}/clusters$`),
      method: 'GET',
      times: 1,
    });
    const start = viewCalls(h);
    await h.command('restore', { channel: 'C0FAIL' });
    let { view } = await latestView(h, start + 1);
    const count = viewCalls(h);
    await h.pick(
      view,
      { form_project: { form_project: selected(prod?.id ?? '') } },
      {
        block_id: 'form_project',
        action_id: 'form_project',
        value: prod?.id ?? '',
      },
    );
    ({ view } = await latestView(h, count));
    expect(blockText(view.blocks)).toContain('Could not load clusters: Atlas 500');
  });
});
