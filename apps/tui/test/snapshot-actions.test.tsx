import { afterEach, describe, expect, it } from 'vitest';
import { flat, openSnapshots, snapshotsListed, startTui, type TuiHarness } from './support/harness.js';

let h: TuiHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** The frame as running text: box borders gone, wrapped lines joined. */

const posts = (t: TuiHarness, path: RegExp) =>
  t.sim.requests.filter((r) => r.method === 'POST' && path.test(r.path));

describe('snapshot actions', () => {
  it('takes an on-demand snapshot after a deliberate confirmation and watches it complete', async () => {
    const t = (h = await startTui());
    await openSnapshots(t, 'Staging', 'orders-staging', snapshotsListed);

    await t.press('n');
    await t.waitFor('Take an on-demand snapshot of orders-staging');
    await t.type('before upgrade');
    await t.press('enter');
    await t.waitFor('[SAFE] Take an on-demand snapshot of orders-staging');
    expect(t.frame()).toContain('Description: before upgrade');

    // Focus starts on Cancel: Enter alone cancels and nothing is sent.
    await t.press('enter');
    await t.waitFor('Cancelled; nothing was changed.');
    expect(posts(t, /backup\/snapshots$/)).toHaveLength(0);

    await t.press('n');
    await t.waitFor('Take an on-demand snapshot of orders-staging');
    await t.type('before upgrade');
    await t.press('enter');
    await t.waitFor('[SAFE]');
    await t.press('tab', 'enter');
    const done = await t.waitFor(/✔ Snapshot [0-9a-f]{24} queued on orders-staging/);
    expect(done).toContain('1 job running');
    expect(posts(t, /backup\/snapshots$/)).toHaveLength(1);

    await t.press('enter');
    await t.waitFor(/description\s+before upgrade\n/, 'the new snapshot in the list');
    await t.press('J');
    await t.waitFor(/snapshot\s+[0-9a-f]{24}\s+orders-staging\s+queued/);

    t.sim.clock.advance(11_000);
    await t.waitFor(/orders-staging\s+inProgress/);
    t.sim.clock.advance(2 * 60_000);
    const finished = await t.waitFor(/orders-staging\s+completed/);
    expect(finished).not.toContain('job running');

    const entries = t.auditLog.read();
    expect(entries.map((e) => e.event)).toEqual(['requested', 'executed']);
    expect(entries[1]).toMatchObject({
      action: 'snapshot.take',
      actor: { id: 'local:tester', source: 'tui' },
      clusterName: 'orders-staging',
    });
  });

  it('changes retention, showing the old and new expiry, with the cluster name typed on production', async () => {
    const t = (h = await startTui());
    await openSnapshots(t, 'Production', 'orders-prod', snapshotsListed);
    await t.select('Pre-release', 'Pre-release checkpoint');
    const snapshot = t.sim.store
      .listSnapshots(t.sim.seed.projectId, 'orders-prod')
      .find((s) => s.description === 'Pre-release checkpoint');
    expect(snapshot).toBeDefined();

    await t.press('e');
    await t.waitFor('Change retention of snapshot');
    expect(t.frame()).toContain('Expires now:   2026-12-08');
    await t.press('tab');
    await t.type('5');
    await t.waitFor('Expires after: 2026-11-29 05:00:00 UTC (9 days earlier)');
    await t.press('enter');

    const confirm = await t.waitFor('[DESTRUCTIVE]');
    expect(confirm).toContain('PRODUCTION');
    expect(confirm).toContain('Shortens retention: the snapshot will be deleted 9 days earlier.');
    expect(confirm).toContain('Type orders-prod to confirm');

    // A half-typed name does not confirm.
    await t.press('tab');
    await t.type('orders');
    await t.press('tab', 'y');
    await t.waitFor('Type orders-prod exactly first.');
    expect(t.sim.requests.filter((r) => r.method === 'PATCH')).toHaveLength(0);

    await t.press('shift-tab');
    await t.type('-prod');
    await t.press('tab', 'enter');
    await t.waitFor('Press y to confirm; Enter alone does not.');
    await t.press('y');
    await t.waitFor(/✔ Snapshot [0-9a-f]{24} on orders-prod now expires 2026-11-29 05:00:00 UTC/);
    expect(snapshot?.expiresAt).toBe(Date.parse('2026-11-29T05:00:00Z'));
    expect(t.auditLog.read().map((e) => e.event)).toEqual(['requested', 'executed']);
  });

  it('exports a snapshot to a chosen bucket with custom data and follows the export', async () => {
    const t = (h = await startTui());
    await openSnapshots(t, 'Production', 'orders-prod', snapshotsListed);
    await t.select('Pre-release', 'Pre-release checkpoint');

    await t.press('x');
    await t.waitFor('‹ acme-atlas-exports (AWS) ›', 'the bucket choices');
    await t.press('tab');
    await t.type('ticket=OPS-1, oops');
    await t.waitFor('✖ "oops" is not key=value');
    await t.press('enter');
    expect(t.frame()).toContain('Export snapshot');
    await t.press('\u0015');
    await t.type('ticket=OPS-1');
    await t.waitFor((f) => !f.includes('is not key=value'));
    await t.press('enter');

    const confirm = await t.waitFor('[COSTLY]');
    expect(confirm).toContain('Bucket: acme-atlas-exports');
    expect(confirm).toContain('Custom data: ticket=OPS-1');
    expect(confirm).not.toContain('to confirm:');
    await t.press('tab', 'y');
    await t.waitFor(/✔ Export [0-9a-f]{24} of snapshot/);
    await t.press('enter', 'J');
    await t.waitFor(/export\s+[0-9a-f]{24}\s+orders-prod\s+Queued/);
    t.sim.clock.advance(31_000 + 5 * 60_000);
    await t.waitFor(/orders-prod\s+Successful\s+\d+\/\d+/);
    const job = t.sim.store.listExportJobs(t.sim.seed.projectId, 'orders-prod')[0];
    expect(job?.customData).toContainEqual({ key: 'ticket', value: 'OPS-1' });
  });

  it('checks form input as it is typed, with the core schema, next to the field', async () => {
    const t = (h = await startTui());
    await openSnapshots(t, 'Staging', 'orders-staging', snapshotsListed);
    await t.press('n');
    await t.waitFor('Keep for (days)');
    await t.press('tab', 'backspace');
    await t.type('abc');
    await t.waitFor(/Keep for \(days\) abc▏\s+✖ retentionInDays must be a number/);
    await t.press('backspace', 'backspace', 'backspace');
    await t.type('0');
    await t.waitFor('✖ retentionInDays must be at least 1');
    await t.press('enter');
    await t.press('backspace');
    await t.type('2.5');
    await t.waitFor('✖ retentionInDays must be');
    expect(t.frame()).toContain('Take an on-demand snapshot of orders-staging');
    expect(posts(t, /backup\/snapshots$/)).toHaveLength(0);
    await t.press('escape');
    await t.waitFor('CREATED▼');
  });

  it('refuses huge typed numbers with the range, and the live expiry preview keeps working', async () => {
    const t = (h = await startTui());
    await openSnapshots(t, 'Production', 'orders-prod', snapshotsListed);
    await t.select('Pre-release', 'Pre-release checkpoint');
    await t.press('e');
    await t.waitFor('Change retention of snapshot');
    await t.press('tab');
    await t.type('2147483647');
    await t.waitFor('✖ retentionValue must be 1 to 36500 days (100 years)');
    expect(t.frame()).toContain('Expires now:   2026-12-08');
    expect(t.frame()).not.toContain('Expires after');
    await t.press('enter');
    expect(t.frame()).toContain('Change retention of snapshot');

    // Fewer digits in a larger unit: the unit's own range is named.
    await t.press('\u0015');
    await t.type('101');
    await t.press('shift-tab', 'right', 'right', 'right');
    await t.waitFor('‹ years ›');
    await t.waitFor('✖ retentionValue must be 1 to 100 years');
    await t.press('left');
    await t.waitFor('‹ months ›');
    await t.waitFor((f) => !f.includes('✖') && /Expires after: 2035-/.test(f), 'the preview of 101 months');
    await t.press('escape');

    await t.press('n');
    await t.waitFor('Keep for (days)');
    await t.press('tab', 'backspace');
    await t.waitFor('Description     (optional, up to 967 characters)');
    await t.type('999999999');
    await t.waitFor('✖ retentionInDays must be 1 to 36500 days (100 years)');
    await t.press('enter');
    expect(t.frame()).toContain('Take an on-demand snapshot of orders-prod');
    expect(t.frame()).not.toContain('Invalid time value');
    await t.press('escape');
    await t.waitFor('CREATED▼');
    expect(t.sim.requests.filter((r) => r.method !== 'GET' && r.path.includes('/backup/'))).toHaveLength(0);
  });

  it('shows an Atlas refusal as one line with the hint, and keeps running', async () => {
    const t = (h = await startTui());
    await openSnapshots(t, 'Staging', 'orders-staging', snapshotsListed);
    for (let i = 0; i < 2; i += 1) {
      await t.press('n');
      await t.waitFor('Take an on-demand snapshot');
      await t.press('enter');
      await t.waitFor('[SAFE]');
      await t.press('tab', 'y');
      if (i === 0) {
        await t.waitFor('✔ Snapshot');
        await t.press('escape');
        await t.waitFor('CREATED▼');
      }
    }
    const raw = await t.waitFor('✖ Cluster orders-staging already has an on-demand');
    expect(flat(raw)).toContain('Atlas allows one on-demand snapshot at a time per cluster');
    expect(raw).not.toMatch(/^\W*at .*:\d+:\d+\)?\W*$/m);
    await t.press('escape');
    await t.waitFor('CREATED▼');
    expect(t.auditLog.read().map((e) => e.event)).toEqual(['requested', 'executed', 'requested', 'failed']);
  });
});
