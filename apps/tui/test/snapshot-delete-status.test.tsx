import { afterEach, describe, expect, it } from 'vitest';
import { flat, openSnapshots, snapshotsListed, startTui, type TuiHarness } from './support/harness.js';

let h: TuiHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** The frame as running text: box borders gone, wrapped lines joined. */
const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A detail pane's label and value (its two text blocks may sit with no space between them). */
const pair = (label: string, value: string) => new RegExp(`${escaped(label)}\\s*${escaped(value)}`);
const deletes = (t: TuiHarness) =>
  t.sim.requests.filter((r) => r.method === 'DELETE' && r.path.includes('/backup/snapshots/'));

describe('backup status', () => {
  it('shows each cluster’s backups in the cluster list, flags the one behind its schedule, and explains it', async () => {
    const t = (h = await startTui({ simClock: true, size: { columns: 200, rows: 40 } }));
    await t.waitFor('Analytics', 'the project list');
    await t.open('Analytics', '› clusters');
    const list = await t.waitFor(/reporting .*BEHIND 1d 8h/, 'the status column');
    expect(list).toContain('BACKUPS');
    const detail = flat(await t.waitFor('BEHIND: 1d 8h old, due every 6h'));
    expect(detail).toMatch(pair('newest snapshot', '2026-11-26 03:15, 1d 8h ago (daily)'));
    expect(detail).toMatch(pair('point in time', 'off'));
    expect(detail).toMatch(/failed \(7 days\)\s*[1-9]/);
    expect(detail).toMatch(pair('running now', 'nothing'));

    // Back, then the filter cleared.
    await t.press('escape');
    await t.waitFor('Project Analytics');
    await t.press('escape');
    await t.waitFor('Production');
    await t.open('Production', '› clusters');
    const prod = flat(await t.waitFor(/orders-prod .*ok 2h 4\dm/, 'Production on schedule'));
    expect(prod).not.toContain('BEHIND');
    expect(prod).toMatch(pair('window', '7 days (compliance policy)'));
  });

  it("shows a project's Backup Compliance Policy in its details", async () => {
    const t = (h = await startTui({ size: { columns: 200, rows: 40 } }));
    await t.waitFor('Production', 'the project list');
    // Sorted by name: Analytics, Production, Staging.
    await t.press('down');
    await t.waitFor('Project Production');
    const detail = flat(await t.waitFor('forbidden before they expire'));
    expect(detail).toMatch(pair('compliance policy', 'ACTIVE'));
    expect(detail).toMatch(pair('on-demand kept', 'at least 2 days'));
    expect(detail).toMatch(pair('continuous backup', 'required, 7 days restorable'));
    expect(detail).toMatch(pair('authorized by', 'Zoë Müller <compliance@acme.example>'));
    await t.press('down');
    await t.waitFor('Project Staging');
    await t.waitFor(/compliance policy\s*none/);
  });
});

describe('deleting a snapshot', () => {
  it('explains what is lost, deletes only after a deliberate confirmation, and once', async () => {
    const t = (h = await startTui({ simClock: true }));
    await openSnapshots(t, 'Staging', 'orders-staging', snapshotsListed);
    await t.select('Pre-release', 'Pre-release checkpoint');
    const staging = t.sim.seed.projects.find((p) => p.name === 'Staging');
    const snapshot = t.sim.store
      .listSnapshots(staging?.id ?? '', 'orders-staging')
      .find((s) => s.description === 'Pre-release checkpoint');
    if (!snapshot) throw new Error('no snapshot');

    await t.press('D');
    const confirm = flat(await t.waitFor('[DESTRUCTIVE]'));
    expect(confirm).toContain(`Delete snapshot ${snapshot.id} of orders-staging`);
    expect(confirm).toContain('on-demand, completed');
    expect(confirm).toContain('It would have been kept until 2026-12-08 05:00:00 UTC (11 more days).');
    expect(confirm).not.toContain('Type orders-staging');

    // Enter on Cancel cancels; nothing is sent.
    await t.press('enter');
    await t.waitFor('Cancelled; nothing was changed.');
    expect(deletes(t)).toHaveLength(0);

    await t.press('D');
    await t.waitFor('[DESTRUCTIVE]');
    await t.press('tab', 'y');
    await t.waitFor(`Snapshot ${snapshot.id} of orders-staging deleted`);
    expect(deletes(t)).toHaveLength(1);
    expect(
      t.sim.store.listSnapshots(staging?.id ?? '', 'orders-staging').some((s) => s.id === snapshot.id),
    ).toBe(false);
    expect(t.auditLog.read().map((e) => `${e.event} ${e.action}`)).toEqual([
      'requested snapshot.delete',
      'executed snapshot.delete',
    ]);
  });

  it('is refused at once on a project whose Backup Compliance Policy forbids it; nothing is sent', async () => {
    const t = (h = await startTui());
    await openSnapshots(t, 'Production', 'orders-prod', snapshotsListed);
    await t.select('Pre-release', 'Pre-release checkpoint');
    await t.press('D');
    const refused = flat(await t.waitFor('✖'));
    expect(refused).toContain(
      'The Backup Compliance Policy of project Production forbids deleting snapshots before they expire',
    );
    expect(refused).not.toContain('[DESTRUCTIVE]');
    expect(deletes(t)).toHaveLength(0);
    expect(t.auditLog.read()).toEqual([]);
  });
});
