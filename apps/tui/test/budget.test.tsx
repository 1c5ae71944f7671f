import { afterEach, describe, expect, it } from 'vitest';
import { inBackground, realSleep, type SchedulerClock } from '@atlas-backups/core';
import { flat, openSnapshots, startTui, type TuiHarness } from './support/harness.js';

let h: TuiHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** The snapshot list requests the simulator served for the large cluster, with their page numbers. */
function listRequests(t: TuiHarness) {
  return t.sim.requests
    .filter((r) => r.operationId === 'listGroupClusterBackupSnapshots' && r.path.includes('/orders-prod/'))
    .map((r) => ({ page: new URLSearchParams(r.query).get('pageNum'), status: r.status }));
}

async function until(check: () => boolean, what: string, ms = 8_000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Real waits (the harness skips them otherwise). */
const realClock: SchedulerClock = { now: () => Date.now(), wait: realSleep };

describe('refreshing what is visible', () => {
  it('reads the first page of 10,000 snapshots, each refresh of an unchanged list costs one request, older pages load on scroll', async () => {
    const t = (h = await startTui({ sim: { large: true }, refreshMs: 30 }));
    await openSnapshots(t, 'Production', 'orders-prod', '500 of 10000 items');
    // Opening read the first page only (a refresh, every 30 ms, may already have read it again).
    expect(listRequests(t)[0]).toEqual({ page: '1', status: 200 });
    expect(new Set(listRequests(t).map((r) => r.page))).toEqual(new Set(['1']));

    await until(() => listRequests(t).length >= 4, 'three refreshes');
    // Each refresh read the first page only, and the screen did not change.
    expect(new Set(listRequests(t).map((r) => r.page))).toEqual(new Set(['1']));
    expect(flat(t.frame())).toContain('500 of 10000 items');

    // Scrolling to the last row read asks for the next page, once.
    await t.press('end');
    await t.waitFor('1000 of 10000 items', 'the second page');
    const pages = listRequests(t).map((r) => r.page);
    expect(pages.filter((p) => p === '2')).toHaveLength(1);

    // Refreshes still cost one request each, and keep the older rows read on scroll.
    const before = listRequests(t).length;
    await until(() => listRequests(t).length >= before + 3, 'three more refreshes');
    expect(
      listRequests(t)
        .slice(before)
        .every((r) => r.page === '1' || r.page === '3'),
    ).toBe(true);
    expect(flat(t.frame())).toMatch(/(1000|1500) of 10000 items/);

    // A full reload (r) reads again every page read so far.
    const beforeReload = listRequests(t).length;
    await t.press('r');
    await until(
      () =>
        listRequests(t)
          .slice(beforeReload)
          .some((r) => r.page === '2'),
      'the reload',
    );
  });

  it('shows in the header when refreshes are held back by the budget, and people still go first', async () => {
    const t = (h = await startTui({
      refreshMs: 20,
      // A budget of one request per 10 s.
      client: { requestsPerMinute: 6, schedulerClock: realClock },
    }));
    await openSnapshots(t, 'Production', 'orders-prod');
    const header = await t.waitFor('held back (budget)', 'the budget notice');
    expect(header.split('\n')[0]).toContain('⏸ 1 held back (budget)');
    // A key press (Enter fetches the snapshot) is not held back.
    const state = t.client.scheduler.state();
    expect(state.heldBack).toBe(1);
    const sent = state.sent.interactive;
    await t.press('enter');
    await until(() => t.client.scheduler.state().sent.interactive > sent, 'the interactive request');
    expect(t.client.scheduler.state().heldBack).toBe(1);
  });

  it('a view opened from a task a background refresh began still loads at once', async () => {
    // React runs effects from tasks it scheduled while some callback ran, e.g. a refresh's
    // answer, and such a task carries that callback's priority. Drawing the whole app from a
    // background task is the surest form of it: every view opened must still load at once.
    const t = (h = await inBackground(() =>
      startTui({ refreshMs: 0, client: { requestsPerMinute: 6, schedulerClock: realClock } }),
    ));
    await openSnapshots(t, 'Production', 'orders-prod');
    expect(t.client.scheduler.state().sent.background).toBe(0);
  });

  it('slows refreshes down while Atlas answers 429, keeping the rows on screen', async () => {
    const t = (h = await startTui({ refreshMs: 1_000 }));
    await openSnapshots(t, 'Production', 'orders-prod');
    const rows = flat(t.frame()).match(/(\d+) items/)?.[1];
    const calm = t.services.pace.delay(1_000);
    t.sim.faults.inject({
      status: 429,
      retryAfterSeconds: 2,
      times: 3,
      method: 'GET',
      path: /orders-prod\/backup\/snapshots$/,
    });
    await t.press('r');
    await t.waitFor('✖ Atlas 429', 'the 429 line');
    // The rows stay, the keys still answer, and the next refresh waits four times longer.
    expect(flat(t.frame())).toContain(`${rows} items`);
    expect(t.services.pace.delay(1_000)).toBeGreaterThanOrEqual(4 * calm);
    await t.press('?');
    await t.waitFor('Keys — snapshots');
    await t.press('escape');
    await t.press('r');
    await t.waitFor((f) => !f.includes('✖ Atlas 429'), 'recovery');
    expect(flat(t.frame())).toContain(`${rows} items`);
  });
});
