import { afterEach, describe, expect, it } from 'vitest';
import { flat, openSnapshots, startTui, type TuiHarness } from './support/harness.js';

let h: TuiHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const restorePosts = (t: TuiHarness) =>
  t.sim.requests.filter((r) => r.method === 'POST' && /restoreJobs$/.test(r.path));

describe('restores', () => {
  it('restores a snapshot onto a production cluster only after the cluster name is typed', async () => {
    const t = (h = await startTui());
    await openSnapshots(t, 'Production', 'orders-prod');
    await t.select('Pre-release', 'Pre-release checkpoint');

    await t.press('R');
    const form = await t.waitFor('‹ orders-prod (replica set) ›', 'the target cluster choices');
    expect(form).toContain('‹ onto a cluster (automated; overwrites it) ›');
    expect(form).toMatch(/Target project\s+‹ Production/);
    await t.press('enter');

    const confirm = flat(await t.waitFor('[DESTRUCTIVE]'));
    expect(confirm).toContain('Every database on orders-prod will be replaced by the restored data');
    expect(confirm).toContain('The target is the source cluster itself');
    expect(confirm).toContain('Type orders-prod to confirm');

    // Enter alone, y on Cancel, and y without the name all leave Atlas alone.
    await t.press('y');
    await t.waitFor('Move to Confirm (tab) first; Cancel is focused.');
    await t.press('tab', 'tab', 'y');
    await t.waitFor('Type orders-prod exactly first.');
    expect(restorePosts(t)).toHaveLength(0);

    await t.press('shift-tab');
    await t.type('orders-prod');
    await t.press('tab', 'y');
    await t.waitFor(/✔ Restore job [0-9a-f]{24} \(automated\) from orders-prod to orders-prod started/);
    expect(restorePosts(t)).toHaveLength(1);
    await t.press('J');
    await t.waitFor(/restore\s+[0-9a-f]{24}\s+orders-prod\s+inProgress/);
    t.sim.clock.advance(6 * 60_000);
    await t.waitFor(/orders-prod\s+finished/);
  });

  it('restores to a point in time by date-time, and by oplog timestamp and increment', async () => {
    const t = (h = await startTui());
    await openSnapshots(t, 'Staging', 'orders-staging');
    await t.press('2');
    await t.waitFor('› restores');
    await t.press('R');
    await t.waitFor('‹ to a point in time (overwrites the target) ›');
    await t.waitFor('‹ orders-staging (replica set) ›');
    await t.press('down', 'down', 'down', 'down');
    await t.waitFor(/› Date-time \(UTC\)/);
    await t.type('yesterday');
    await t.waitFor('✖ not YYYY-MM-DD HH:MM[:SS] (UTC)');
    // Impossible moments are refused, not rolled over to the next minute, day or month.
    const impossible: [string, string][] = [
      ['2026-02-29 10:00', 'not a real date: February 2026 has 28 days'],
      ['2026-04-31 10:00', 'not a real date: April 2026 has 30 days'],
      ['2026-11-27 10:60', 'not a real time: minutes run 00 to 59'],
      ['2026-11-27 10:30:60', 'not a real time: seconds run 00 to 59'],
    ];
    for (const [typed, problem] of impossible) {
      await t.press('\u0015');
      await t.type(typed);
      await t.waitFor(`${typed}▏  ✖ ${problem}`);
      await t.press('enter');
      expect(t.frame()).not.toContain('[DESTRUCTIVE]');
    }
    await t.press('\u0015');
    await t.type('2026-11-27 11:30');
    await t.waitFor((f) => !f.includes('✖'));
    await t.press('enter');
    const byTime = flat(await t.waitFor('[DESTRUCTIVE]'));
    expect(byTime).toContain('Restore orders-staging to orders-staging as of 2026-11-27 11:30:00 UTC');
    expect(byTime).not.toContain('to confirm:');
    await t.press('tab', 'y');
    await t.waitFor(/✔ Restore job [0-9a-f]{24} \(pointInTime\)/);
    await t.press('escape');

    await t.press('R');
    await t.waitFor('‹ to a point in time (overwrites the target) ›');
    await t.waitFor('‹ orders-staging (replica set) ›');
    await t.press('down', 'down', 'down', 'right');
    await t.waitFor('‹ oplog timestamp + increment ›');
    await t.press('down');
    await t.type(String(Date.parse('2026-11-27T11:00:00Z') / 1000));
    await t.press('down');
    await t.type('0');
    await t.waitFor('✖ oplogInc must be at least 1');
    await t.press('backspace');
    await t.type('7');
    await t.press('enter');
    const byOplog = flat(await t.waitFor('[DESTRUCTIVE]'));
    expect(byOplog).toContain(`oplog timestamp ${Date.parse('2026-11-27T11:00:00Z') / 1000}:7`);
    await t.press('tab', 'y');
    await t.waitFor(/✔ Restore job [0-9a-f]{24} \(pointInTime\)/);
    const jobs = t.sim.store.listRestoreJobs(t.sim.seed.projects[1]?.id ?? '', 'orders-staging');
    expect(
      jobs.filter((j) => j.deliveryType === 'pointInTime').map((j) => j.oplogInc ?? j.pointInTimeUTCSeconds),
    ).toEqual([7, Date.parse('2026-11-27T11:30:00Z') / 1000]);
  });

  it('creates download links and shows them when ready', async () => {
    const t = (h = await startTui());
    await openSnapshots(t, 'Staging', 'orders-staging');
    await t.select('Pre-release', 'Pre-release checkpoint');
    await t.press('R');
    await t.waitFor('‹ onto a cluster (automated; overwrites it) ›');
    await t.press('right', 'right');
    await t.waitFor('‹ download links (nothing overwritten) ›');
    expect(t.frame()).not.toContain('Target cluster');
    await t.press('enter');
    const confirm = flat(await t.waitFor('[COSTLY]'));
    expect(confirm).toContain('Nothing is overwritten.');
    await t.press('tab', 'enter');
    await t.waitFor('Press y to confirm; Enter alone does not.');
    await t.press('y');
    await t.waitFor(/✔ Restore job [0-9a-f]{24} \(download\)/);
    await t.press('enter', 'J');
    await t.waitFor(/restore\s+[0-9a-f]{24}\s+orders-staging\s+inProgress/);
    t.sim.clock.advance(4 * 60_000);
    const ready = await t.waitFor(/orders-staging\s+ready\s+links ready/);
    expect(ready).toMatch(/download 1\s+https?:\/\/\S+/);
  });

  it('cancels a running restore job after confirmation', async () => {
    const t = (h = await startTui());
    await openSnapshots(t, 'Staging', 'orders-staging');
    await t.select('Pre-release', 'Pre-release checkpoint');
    await t.press('R');
    await t.waitFor('‹ orders-staging (replica set) ›');
    await t.press('enter');
    await t.waitFor('[DESTRUCTIVE]');
    await t.press('tab', 'y');
    const started = await t.waitFor(/✔ Restore job ([0-9a-f]{24})/);
    const jobId = /✔ Restore job ([0-9a-f]{24})/.exec(started)?.[1] ?? '';
    await t.press('escape', 'escape');
    await t.waitFor((f) => !f.includes('match /'));
    await t.press('2');
    await t.waitFor(new RegExp(`${jobId}\\s+automated\\s+inProgress`));
    await t.select(jobId, `Restore job ${jobId}`);
    await t.press('c');
    const confirm = flat(await t.waitFor('[DESTRUCTIVE] Cancel restore job'));
    expect(confirm).toContain('orders-staging may be left partly restored');
    await t.press('enter');
    await t.waitFor('Cancelled; nothing was changed.');
    expect(t.sim.requests.filter((r) => r.method === 'DELETE')).toHaveLength(0);
    await t.press('c');
    await t.waitFor('[DESTRUCTIVE] Cancel restore job');
    await t.press('tab', 'y');
    await t.waitFor(`✔ Restore job ${jobId} on orders-staging cancelled`);
    await t.press('J');
    await t.waitFor(new RegExp(`${jobId}\\s+orders-staging\\s+cancelled`));
    expect(
      t.auditLog
        .read()
        .filter((e) => e.action === 'restore.cancel')
        .map((e) => e.event),
    ).toEqual(['requested', 'executed']);
  });
});
