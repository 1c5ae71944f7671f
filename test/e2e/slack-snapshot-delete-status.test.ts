import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestButtons, seededProject, untilShown } from '../support/slack/approvals.js';
import { waitFor, type ShownMessage } from '../support/slack/fake-slack.js';
import { BotHarness, blockText, buttons } from '../support/slack/harness.js';

const channel = 'C0INCIDENT';
const approvalsChannel = 'C0APPROVALS';

/** Snapshot deletions Atlas was asked for (either endpoint). */
const deletes = (h: BotHarness) =>
  h.sim.requests.filter((r) => r.method === 'DELETE' && r.path.includes('/backup/snapshots/'));
const patches = (h: BotHarness) => h.sim.requests.filter((r) => r.method === 'PATCH');

async function answer(h: BotHarness, text: string, user?: string) {
  const res = await h.command(text, { channel, ...(user ? { user } : {}) });
  expect(res.status).toBe(200);
  const post = await h.responseTo(res.responseUrl, 1, `the answer to ${text}`);
  const confirm = buttons(post.body.blocks).find((b) => b.action_id === 'atlas_confirm');
  return { post, confirm, text: blockText(post.body.blocks) };
}

function storedSnapshot(h: BotHarness, projectName: string, cluster: string, description: string) {
  const project = seededProject(h, projectName);
  const s = h.sim.store.listSnapshots(project.id, cluster).find((x) => x.description === description);
  if (!s) throw new Error(`no snapshot "${description}" on ${cluster}`);
  return s;
}

/** With the default policy (deletion needs a second person) and the approval UI as main wires it. */
describe('/atlas snapshot delete', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await BotHarness.start({ approvals: { approvalsChannel } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('explains what is lost, waits for approval, and deletes exactly once', async () => {
    const snap = storedSnapshot(h, 'Staging', 'orders-staging', 'Pre-release checkpoint');
    const p = await answer(
      h,
      `snapshot delete orders-staging ${snap.id} --project Staging --reason "OPS-9 bad data"`,
    );
    expect(p.text).toContain(`Delete snapshot ${snap.id} of orders-staging`);
    expect(p.text).toContain(`Snapshot: ${snap.id} of orders-staging, on-demand, completed`);
    expect(p.text).toContain('Expires: ');
    expect(p.text).toMatch(
      /It would have been kept until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(\d+ more days?\)/,
    );
    expect(p.text).toContain('deleted for good');
    expect(p.confirm).toBeDefined();
    expect(deletes(h)).toHaveLength(0);

    await h.click(p.confirm as { action_id: string; value: string }, { channel });
    const request = await waitFor(
      async () => (await h.approvals?.store.recent(10))?.find((r) => r.action === 'snapshot.delete'),
      'the approval request',
    );
    const [shown] = await untilShown(h, request.id, 'Waiting for approval');
    expect(blockText(shown?.blocks)).toContain('OPS-9 bad data');
    await h.bot.idle();
    expect(deletes(h)).toHaveLength(0);

    const approve = requestButtons(shown as ShownMessage).approve();
    await h.click(approve, { user: 'U0LEAD0001', channel: approvalsChannel });
    await untilShown(h, request.id, 'Executed');
    await h.bot.idle();
    expect(deletes(h).map((r) => [r.path, r.status])).toEqual([
      [
        `/api/atlas/v2/groups/${seededProject(h, 'Staging').id}/clusters/orders-staging/backup/snapshots/${snap.id}`,
        204,
      ],
    ]);
    expect(
      h.sim.store
        .listSnapshots(seededProject(h, 'Staging').id, 'orders-staging')
        .some((s) => s.id === snap.id),
    ).toBe(false);

    // A second approval click does not delete again.
    await h.click(approve, { user: 'U0LEAD0002', channel: approvalsChannel });
    await h.bot.idle();
    expect(deletes(h)).toHaveLength(1);
    expect(
      h.audit.entries.filter((e) => e.action === 'snapshot.delete' && e.event === 'executed'),
    ).toHaveLength(1);
  });

  it('is refused at once, naming the Backup Compliance Policy, with nothing sent to Atlas', async () => {
    const before = deletes(h).length;
    const snap = storedSnapshot(h, 'Production', 'orders-prod', 'Pre-release checkpoint');
    const p = await answer(h, `snapshot delete orders-prod ${snap.id} --project Production`);
    expect(p.text).toContain('COMPLIANCE_POLICY_FORBIDS');
    expect(p.text).toContain(
      'The Backup Compliance Policy of project Production forbids deleting snapshots before they expire',
    );
    expect(p.confirm).toBeUndefined();
    await h.bot.idle();
    expect(deletes(h)).toHaveLength(before);
    expect((await h.approvals?.store.recent(10))?.filter((r) => r.action === 'snapshot.delete')).toHaveLength(
      1,
    );
  });

  it('refuses a retention below the policy minimum before anyone confirms', async () => {
    const snap = storedSnapshot(h, 'Production', 'orders-prod', 'Pre-release checkpoint');
    const p = await answer(h, `snapshot retain orders-prod ${snap.id} 1 days --project Production`);
    expect(p.text).toContain('COMPLIANCE_POLICY_FORBIDS');
    expect(p.text).toContain(
      'The Backup Compliance Policy of project Production keeps on-demand snapshots at least 2 days',
    );
    expect(p.confirm).toBeUndefined();
    await h.bot.idle();
    expect(patches(h)).toHaveLength(0);
  });
});

describe('/atlas status', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await BotHarness.start();
  });
  afterAll(async () => {
    await h?.close();
  });

  async function status(project: string): Promise<string> {
    const res = await h.command(`status ${project}`, { channel });
    expect(res.status).toBe(200);
    const post = await h.responseTo(res.responseUrl, 1, `the status of ${project}`);
    return blockText(post.body.blocks);
  }

  it('flags the cluster behind its schedule', async () => {
    const text = await status('Analytics');
    expect(text).toContain('Backup status of Analytics');
    expect(text).toContain('1 cluster is behind its schedule:* `reporting`');
    expect(text).toMatch(/reporting\s+RS\s+BEHIND\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+1d \d+h\s+off/);
    expect(text).toMatch(
      /BEHIND SCHEDULE: newest completed snapshot is 1d \d+h old \(the schedule promises one every 6h\)/,
    );
    expect(text).toContain('Point in time: continuous cloud backup is off for reporting');
    expect(text).toMatch(/Failed in the last 7 days: daily|Failed in the last 7 days: hourly/);
    expect(text).toContain('Backup Compliance Policy:* none');
  });

  it('shows every cluster of Production on schedule, and its Backup Compliance Policy', async () => {
    const text = await status('Production');
    expect(text).not.toContain('behind');
    for (const [name, kind] of [
      ['orders-prod', 'RS'],
      ['events-sharded', 'SHARDED'],
      ['sandbox-flex', 'FLEX'],
    ] as const)
      expect(text).toMatch(new RegExp(`${name}\\s+${kind}\\s+ok\\s+\\d{4}-`));
    expect(text).toMatch(
      /orders-prod\*: Point in time: restorable from .* to now \(7 days of continuous backup, as the project's Backup Compliance Policy requires\)/,
    );
    expect(text).toContain('Backup Compliance Policy:* ACTIVE');
    expect(text).toContain('forbidden before they expire');
    expect(text).toContain('at least hourly 2 days, daily 7 days, weekly 4 weeks, monthly 12 months');
    expect(text).toContain('Zoë Müller <compliance@acme.example>');
    expect(h.sim.requests.filter((r) => r.method !== 'GET' && r.path.startsWith('/api/atlas/'))).toEqual([]);
  });
});
