import { afterEach, describe, expect, it } from 'vitest';
import { flat, openSnapshots, startTui, type TuiHarness } from './support/harness.js';

let h: TuiHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const creates = (t: TuiHarness) =>
  t.sim.requests.filter((r) => r.method === 'POST' && /collectionRestoreJobs$/.test(r.path));
const MINUTE = 60_000;

/** From a snapshot's restore form, to its namespace picker with `scope` (collections or databases). */
async function pickScope(t: TuiHarness, scope: 'collections' | 'databases') {
  await t.select('Pre-release', 'Pre-release checkpoint');
  await t.press('R');
  await t.waitFor('‹ orders-prod (replica set) ›', 'the target cluster choices');
  await t.press('down', 'down', 'down', 'down');
  await t.waitFor(/› What to restore\s+‹ the whole cluster ›/);
  await t.press('right');
  if (scope === 'databases') await t.press('right');
  await t.waitFor(`‹ chosen ${scope} ›`);
  await t.press('down');
  await t.waitFor('filter: ▏', 'the namespace picker');
}

describe('collection restores in the terminal', () => {
  it('picks collections from the snapshot by filter and restores them as new ones with a suffix, then shows them climb in the jobs view', async () => {
    const t = (h = await startTui({ simClock: true }));
    await openSnapshots(t, 'Production', 'orders-prod');
    await pickScope(t, 'collections');
    await t.waitFor('[ ] sales.customers', "the snapshot's collections");
    expect(t.frame()).toContain('[ ] 마케팅.구독자');
    expect(t.frame()).toContain('9 match; ↑/↓ to see the others');

    await t.type('cust');
    await t.waitFor((f) => f.includes('› [ ] sales.customers') && !f.includes('sales.orders'));
    await t.press(' ');
    await t.waitFor('› [x] sales.customers');
    await t.press('\u0015');
    await t.type('orders');
    await t.waitFor('› [ ] sales.orders');
    await t.press(' ');
    await t.waitFor('2 chosen: sales.customers, sales.orders');

    await t.press('tab', 'tab', 'tab');
    await t.waitFor(/› Name suffix/);
    await t.type('_restored');
    await t.press('enter');

    const confirm = flat(await t.waitFor('[COSTLY]'));
    expect(confirm).toContain('sales.orders → orders-prod sales.orders_restored (new)');
    expect(confirm).toContain('sales.customers → orders-prod sales.customers_restored (new)');
    expect(confirm).toContain('CREATE_NEW (existing data is never touched)');
    expect(confirm).not.toContain('to confirm:');
    expect(creates(t)).toHaveLength(0);
    await t.press('tab', 'y');
    await t.waitFor(/✔ Collection restore job [0-9a-f]{24} \(CREATE_NEW\) from orders-prod to orders-prod/);
    expect(creates(t)).toHaveLength(1);

    await t.press('J');
    await t.waitFor(/collectionRestore\s+[0-9a-f]{24}\s+orders-prod\s+INITIALIZING/);
    t.sim.clock.advance(2 * MINUTE);
    const halfway = await t.waitFor(/IN_PROGRESS\s+\d+% docs/);
    // Copied in the order chosen: customers first, then orders.
    expect(flat(halfway)).toContain('sales.customers → sales.customers_restored: FINALIZING 84,211/84,211');
    expect(flat(halfway)).toMatch(/sales\.orders → sales\.orders_restored: IN_PROGRESS [\d,]+\/1,284,530/);
    t.sim.clock.advance(5 * MINUTE);
    const done = flat(await t.waitFor(/SUCCESSFUL\s+100% docs/));
    expect(done).toContain('1,368,741 of 1,368,741 documents');
    expect(done).toContain('sales.orders → sales.orders_restored: SUCCESSFUL');
    expect(creates(t)).toHaveLength(1);
  });

  it('overwrites a collection only as a destructive change with the production name typed', async () => {
    const t = (h = await startTui({ simClock: true }));
    await openSnapshots(t, 'Production', 'orders-prod');
    await pickScope(t, 'collections');
    await t.type('sales.orders');
    await t.waitFor('› [ ] sales.orders');
    await t.press(' ', 'tab', 'right');
    await t.waitFor('‹ over the existing ones (drops and replaces them) ›');
    await t.press('enter');

    const confirm = flat(await t.waitFor('[DESTRUCTIVE]'));
    expect(confirm).toContain('sales.orders → orders-prod sales.orders (REPLACES the existing collection)');
    expect(confirm).toContain(
      '1 existing collection on orders-prod will be dropped and replaced: sales.orders.',
    );
    expect(confirm).toContain('Type orders-prod to confirm');
    await t.press('tab', 'tab', 'y');
    await t.waitFor('Type orders-prod exactly first.');
    expect(creates(t)).toHaveLength(0);
    await t.press('shift-tab');
    await t.type('orders-prod');
    await t.press('tab', 'y');
    await t.waitFor(/✔ Collection restore job [0-9a-f]{24} \(OVERWRITE_EXISTING\)/);
    expect(creates(t)).toHaveLength(1);

    // The cluster's restore jobs list it, newest first; Atlas has no cancel for it.
    await t.press('escape', '2');
    await t.waitFor(/› restores/);
    await t.waitFor(/[0-9a-f]{24}\s+collections\s+INITIALIZING/);
    await t.press('c');
    await t.waitFor('Atlas has no way to cancel a collection restore job through its API');
  });

  it('shows the restorable window and refuses a moment outside it as it is typed; nothing reaches Atlas', async () => {
    const t = (h = await startTui({ simClock: true }));
    await openSnapshots(t, 'Production', 'orders-prod');
    await t.press('2');
    await t.waitFor('› restores');
    await t.press('R');
    await t.waitFor('‹ to a point in time (overwrites the target) ›');
    await t.waitFor('Window: restorable from 2026-11-20 12:00:00 UTC to now (7 days of continuous backup,');
    await t.press('down', 'down', 'down', 'down');
    await t.waitFor(/› Date-time \(UTC\)/);
    await t.type('2026-11-18 09:00');
    await t.waitFor('2026-11-18 09:00▏  ✖ before the restorable window');
    await t.press('enter');
    expect(t.frame()).not.toContain('[DESTRUCTIVE]');
    await t.press('\u0015');
    await t.type('2026-11-28 09:00');
    await t.waitFor('2026-11-28 09:00▏  ✖ in the future');

    // A collection the newest snapshot holds but that did not exist at the moment: refused in the preview.
    await t.press('\u0015');
    await t.type('2026-11-22 12:00');
    await t.waitFor((f) => !f.includes('✖'));
    await t.press('down', 'right');
    await t.waitFor('‹ chosen collections ›');
    await t.press('down');
    await t.waitFor('[ ] sales.returns');
    await t.type('returns');
    await t.press(' ');
    await t.waitFor('1 chosen: sales.returns');
    await t.press('enter');
    const refused = flat(await t.waitFor('✖ Not in'));
    expect(refused).toContain('sales.returns');
    await t.press('escape');
    expect(t.sim.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/api/atlas/'))).toEqual([]);
  });
});
