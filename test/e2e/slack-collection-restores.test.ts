import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MINUTE,
  completedSnapshot,
  requestButtons,
  seededProject,
  untilShown,
} from '../support/slack/approvals.js';
import { waitFor, type ShownMessage } from '../support/slack/fake-slack.js';
import { BotHarness, blockText, buttons } from '../support/slack/harness.js';
import { proposal, untilMessage } from '../support/slack/jobs.js';

const channel = 'C0INCIDENT';
const approvalsChannel = 'C0APPROVALS';

/** Collection restore jobs Atlas was asked to create. */
const creates = (h: BotHarness) =>
  h.sim.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/collectionRestoreJobs'));

function jobMessage(h: BotHarness, needle: string): Promise<ShownMessage> {
  return waitFor(
    () => h.slack.channelMessages(channel).findLast((m) => blockText(m.blocks).includes(needle)),
    `a job message about ${needle}`,
  );
}

/** `/atlas restore … --collections …` with the default policy and the approval UI wired as main wires it. */
describe('/atlas restore --collections', () => {
  let h: BotHarness;
  let prodId: string;
  let snapshotId: string;
  beforeAll(async () => {
    h = await BotHarness.start({
      approvals: { approvalsChannel },
      simulator: { now: new Date('2026-11-27T12:00:00Z') },
    });
    prodId = seededProject(h, 'Production').id;
    snapshotId = completedSnapshot(h.sim, prodId, 'orders-prod').id;
  });
  afterAll(async () => {
    await h?.close();
  });

  it('restores two collections as new ones with a suffix: explained, confirmed, no approval, followed with documents', async () => {
    const p = await proposal(
      h,
      `restore orders-prod ${snapshotId} --collections sales.orders,sales.customers --to orders-prod --suffix _restored --project Production`,
    );
    expect(p.text).toContain('sales.orders → orders-prod sales.orders_restored (new)');
    expect(p.text).toContain('sales.customers → orders-prod sales.customers_restored (new)');
    expect(p.text).toContain('CREATE_NEW (existing data is never touched)');
    expect(p.text).not.toContain('you will be asked to type');
    expect(creates(h)).toHaveLength(0);

    await h.click(p.confirm as { action_id: string; value: string });
    const message = await jobMessage(h, 'Collection restore job');
    expect(creates(h)).toHaveLength(1);
    expect(h.slack.channelMessages(approvalsChannel)).toEqual([]);

    h.sim.clock.advance(2 * MINUTE);
    const halfway = await untilMessage(h, message, /running \(IN_PROGRESS\)/);
    expect(blockText(halfway.blocks)).toMatch(/▓+░+ [\d,]+\/1,368,741 \d+%` documents/);
    expect(blockText(halfway.blocks)).toContain('`sales.orders` → `sales.orders_restored`');
    h.sim.clock.advance(5 * MINUTE);
    const done = await untilMessage(h, message, 'succeeded (SUCCESSFUL)');
    expect(blockText(done.blocks)).toContain('1,368,741/1,368,741 100%` documents');
    expect(blockText(done.blocks)).toContain('`sales.customers` → `sales.customers_restored`: SUCCESSFUL');
    await waitFor(() => h.slack.threadReplies(channel, message.ts)[0], 'the thread reply');
    expect(creates(h)).toHaveLength(1);
  });

  it('overwrites only after the production name is typed and someone else approves; runs once', async () => {
    const before = creates(h).length;
    const p = await proposal(
      h,
      `restore orders-prod ${snapshotId} --collections sales.orders --to orders-prod --overwrite --indexes all-except-ttl --project Production --reason "INC-7 bad migration"`,
    );
    expect(p.text).toContain('sales.orders → orders-prod sales.orders (REPLACES the existing collection)');
    expect(p.text).toContain(
      '1 existing collection on orders-prod will be dropped and replaced: sales.orders.',
    );
    expect(p.text).toContain('you will be asked to type `orders-prod`');

    const opens = h.slack.callsTo('views.open').length;
    await h.click(p.confirm as { action_id: string; value: string });
    const open = await waitFor(() => h.slack.callsTo('views.open')[opens], 'the typed-confirmation form');
    const view = open.args.view as Record<string, unknown>;
    const typed = await h.submitView(view, {
      phrase: { phrase_value: { type: 'plain_text_input', value: 'orders-prod' } },
    });
    expect(typed.status).toBe(200);

    const request = await waitFor(
      async () =>
        (await h.approvals?.store.recent(10))?.find((r) => r.action === 'restore.collections.overwrite'),
      'the approval request',
    );
    const [shown] = await untilShown(h, request.id, 'Waiting for approval');
    expect(blockText(shown?.blocks)).toContain('INC-7 bad migration');
    await h.bot.idle();
    expect(creates(h)).toHaveLength(before);

    const approve = requestButtons(shown as ShownMessage).approve();
    await h.click(approve, { user: 'U0LEAD0001', channel: approvalsChannel });
    await untilShown(h, request.id, 'Executed');
    await h.bot.idle();
    expect(creates(h)).toHaveLength(before + 1);
    const body = h.sim.store.listCollectionRestoreJobs(prodId, 'orders-prod')[0];
    expect(body).toMatchObject({ writeStrategy: 'OVERWRITE_EXISTING', indexStrategy: 'ALL_EXCEPT_TTL' });
  });

  it('refuses, before any confirmation and with nothing sent, a moment outside the window and a namespace not in the snapshot', async () => {
    const before = creates(h).length;
    const outside = await proposal(
      h,
      `restore orders-prod --at 2026-11-18T09:00:00Z --collections sales.orders --to orders-prod --suffix _pit --project Production`,
    );
    expect(outside.text).toContain('OUTSIDE_RESTORE_WINDOW');
    expect(outside.text).toMatch(/restorable from 2026-11-2\d \d\d:\d\d:\d\d UTC to now/);
    expect(outside.text).toContain('2026-11-18 09:00:00 UTC is before it');
    expect(outside.confirm).toBeUndefined();

    const missing = await proposal(
      h,
      `restore orders-prod ${snapshotId} --collections sales.orders,sales.nope --to orders-prod --project Production`,
    );
    expect(missing.text).toContain('NAMESPACE_NOT_IN_SNAPSHOT');
    expect(missing.text).toContain('sales.nope');
    expect(missing.confirm).toBeUndefined();

    const malformed = await h.command(
      `restore orders-prod ${snapshotId} --collections orders --to orders-prod`,
    );
    expect(JSON.stringify(malformed.json)).toContain('must be a namespace of the form db.collection');

    await h.bot.idle();
    expect(creates(h)).toHaveLength(before);
  });
});

type View = Record<string, unknown> & { blocks: Record<string, unknown>[] };
type Values = Record<string, Record<string, Record<string, unknown>>>;
const selected = (value: string) => ({
  type: 'static_select',
  selected_option: { text: { type: 'plain_text', text: value }, value },
});
const radio = (value: string) => ({ type: 'radio_buttons', selected_option: { value } });
const typed = (value: string) => ({ type: 'plain_text_input', value });

/** The restore form: what to restore, picked from what the snapshot holds; a moment checked against the window. */
describe('the restore form', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await BotHarness.start();
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
    );
  /** Reports a change as Slack does (the form's state with it), and waits for the form drawn anew. */
  async function change(view: View, values: Values, blockId: string, actionId: string, value: string) {
    const count = viewCalls().length;
    await h.pick(view, values, { block_id: blockId, action_id: actionId, value });
    return latest(count);
  }

  it('offers the snapshot’s collections, refuses a moment outside the window as it is typed, and proposes the restore', async () => {
    const prod = seededProject(h, 'Production');
    const res = await h.command('restore', { channel: 'C0FORMS' });
    let view = await waitFor(async () => {
      const v = await latest(0);
      return blockOf(v, 'form_project') ? v : undefined;
    }, 'the form with its projects');
    let values: Values = { form_project: { form_project: selected(prod.id) } };
    view = await change(view, values, 'form_project', 'form_project', prod.id);
    values = { ...values, [`form_cluster@${prod.id}`]: { form_cluster: selected('orders-prod') } };
    view = await change(view, values, `form_cluster@${prod.id}`, 'form_cluster', 'orders-prod');

    // A point in time: the window is shown, and a moment before it is refused as it is typed.
    values = { ...values, form_delivery: { form_delivery: radio('pointInTime') } };
    view = await change(view, values, 'form_delivery', 'form_delivery', 'pointInTime');
    expect(blockText(view.blocks)).toMatch(
      /orders-prod is restorable from \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC to now \(7 days of continuous backup, as the project's Backup Compliance Policy requires\)/,
    );
    values = { ...values, form_point_in_time: { form_point_in_time: typed('2020-01-01 00:00') } };
    view = await change(view, values, 'form_point_in_time', 'form_point_in_time', '2020-01-01 00:00');
    expect(blockText(view.blocks)).toContain('2020-01-01 00:00:00 UTC is before it');
    values = {
      ...values,
      [`form_target_cluster@${prod.id}`]: { form_target_cluster: selected('orders-prod') },
    };
    const early = await h.submitView(view, values);
    expect(JSON.stringify(early.json)).toContain('2020-01-01 00:00:00 UTC is before it');

    // From a snapshot, chosen collections: the picker lists what the snapshot holds.
    const snap = completedSnapshot(h.sim, prod.id, 'orders-prod');
    values = { ...values, form_delivery: { form_delivery: radio('automated') } };
    view = await change(view, values, 'form_delivery', 'form_delivery', 'automated');
    values = { ...values, [`form_snapshot@${prod.id}/orders-prod`]: { form_snapshot: selected(snap.id) } };
    values = { ...values, form_scope: { form_scope: radio('collections') } };
    view = await change(view, values, 'form_scope', 'form_scope', 'collections');
    const picker = blockOf(view, 'form_namespaces') as {
      block_id: string;
      element: { type: string; options: { value: string }[] };
    };
    expect(picker.element.type).toBe('multi_static_select');
    expect(picker.element.options.map((o) => o.value)).toEqual(
      expect.arrayContaining(['sales.orders', 'sales.customers', 'inventory.items', '마케팅.캠페인']),
    );

    const before = creates(h).length;
    const submitted = await h.submitView(view, {
      ...values,
      [picker.block_id]: {
        form_namespaces: { type: 'multi_static_select', selected_options: [{ value: 'sales.orders' }] },
      },
      form_write_strategy: { form_write_strategy: radio('CREATE_NEW') },
      form_suffix: { form_suffix: typed('_restored') },
    });
    expect(submitted.text).toBe('');
    const confirmation = await h.responseTo(res.responseUrl);
    const text = blockText(confirmation.body.blocks);
    expect(text).toContain('sales.orders → orders-prod sales.orders_restored (new)');
    const [confirm] = buttons(confirmation.body.blocks);
    await h.click(confirm as { action_id: string; value: string }, { channel: 'C0FORMS' });
    await waitFor(() => creates(h).length === before + 1, 'the collection restore job');
  });
});
