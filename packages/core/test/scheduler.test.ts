import { afterEach, describe, expect, it } from 'vitest';
import { inBackground, ManualTimer, type AtlasClient, type AtlasClientOptions } from '../src/index.js';
import { simHarness, type SimHarness } from './support/sim.js';

let h: SimHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** A client whose scheduler and retry waits both run on the simulator's manual clock. */
async function setUp(rateLimit: string | false, overrides: Partial<AtlasClientOptions> = {}) {
  h = await simHarness({ rateLimit });
  const clients: AtlasClient[] = [];
  // Between moments, let every request in flight come back before time moves on.
  const timer = new ManualTimer(h.sim.clock, () =>
    clients.some((c) => {
      const { inFlight } = c.scheduler.state();
      return inFlight.interactive + inFlight.background > 0;
    }),
  );
  const client = h.client({ schedulerClock: timer.clock, sleep: timer.clock.wait, ...overrides });
  clients.push(client);
  const { projectId, replicaSetName } = h.sim.seed;
  const snapshots = () => h!.sim.requestCounts().byOperation.listGroupClusterBackupSnapshots?.requests ?? 0;
  const list = (c: AtlasClient = client) => c.listSnapshots(projectId, replicaSetName, { itemsPerPage: 1 });
  // Sign in first, so the token request does not count among the waits below.
  await client.listProjects();
  return { sim: h.sim, timer, client, snapshots, list };
}

/** Lets the event loop run until `check` holds (bounded; the clock does not move). */
async function until(check: () => boolean, what: string) {
  for (let i = 0; i < 500; i += 1) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('request scheduler', () => {
  it("honours a 429's Retry-After: the retry and every other request to that bucket wait it out", async () => {
    const t = await setUp('2/60s');
    await t.list();
    await t.list();
    let done = 0;
    const third = t.list().then(() => (done += 1));
    await until(() => t.client.scheduler.state().rateLimited.interactive === 1, 'the 429');
    const other = t.list().then(() => (done += 1));
    await t.timer.advance(30_000);
    // Atlas asked for 60 s (the refill): nothing more was sent meanwhile.
    expect(t.snapshots()).toBe(3);
    expect(done).toBe(0);
    expect(
      t.client.scheduler.state().buckets.find((b) => b.bucket.startsWith('backupSnapshots')),
    ).toMatchObject({
      limit: 2,
      remaining: 0,
    });
    await t.timer.advance(30_000);
    await Promise.all([third, other]);
    expect(done).toBe(2);
    expect(t.sim.requestCounts().rateLimited).toBe(1);
    expect(t.client.scheduler.state().rateLimited).toEqual({ interactive: 1, background: 0 });
  });

  it("reads RateLimit-Remaining: background work leaves Atlas's last half to people, then probes", async () => {
    const t = await setUp('10/60s', { requestsPerMinute: 600 });
    for (let i = 0; i < 5; i += 1) await t.list(); // 5 of 10 left: the reserved half
    let background = false;
    const waiting = inBackground(() => t.list()).then(() => (background = true));
    await until(() => t.client.scheduler.state().heldBack === 1, 'the background request to be held');
    // A person's request goes past it at once.
    await t.list();
    expect(t.snapshots()).toBe(6);
    expect(background).toBe(false);
    // The probe goes after a few seconds; Atlas says 3 left, so the next one waits twice as long.
    await t.timer.advance(5_000);
    await waiting;
    expect(t.snapshots()).toBe(7);
    let second = false;
    const next = inBackground(() => t.list()).then(() => (second = true));
    await t.timer.advance(9_000);
    expect(second).toBe(false);
    await t.timer.advance(1_000);
    await next;
    expect(second).toBe(true);
    // The minute passes and Atlas refills; a person's request brings the news, and background
    // work goes at once again.
    await t.timer.advance(50_000);
    await t.list();
    const sent = t.snapshots();
    await inBackground(() => t.list());
    expect(t.snapshots()).toBe(sent + 1);
    expect(t.sim.requestCounts().rateLimited).toBe(0);
  });

  it('lets interactive requests overtake queued background ones', async () => {
    const t = await setUp(false, { requestsPerMinute: 6 }); // one token, one more every 10 s
    const order: string[] = [];
    const first = inBackground(() => t.list()).then(() => order.push('background 1'));
    const second = inBackground(() => t.list()).then(() => order.push('background 2'));
    await first;
    await until(() => t.client.scheduler.state().queued.background === 1, 'the second to queue');
    await t.list().then(() => order.push('interactive'));
    await t.timer.advance(20_000);
    await second;
    expect(order).toEqual(['background 1', 'interactive', 'background 2']);
  });

  it('caps background work at the budget, however much is asked', async () => {
    const t = await setUp(false, { requestsPerMinute: 12 });
    const before = t.snapshots();
    let stop = false;
    const loop = inBackground(async () => {
      while (!stop) await t.list();
    });
    await t.timer.advance(60_000);
    stop = true;
    await t.timer.advance(10_000);
    await loop;
    const sent = t.snapshots() - before;
    // The bucket's first two tokens, then one every 5 s.
    expect(sent).toBeGreaterThanOrEqual(12);
    expect(sent).toBeLessThanOrEqual(2 + 12 + 2);
  });
});
