import { afterEach, describe, expect, it } from 'vitest';
import { JobPoller, ManualTimer, type AtlasClient, type JobRef, type JobUpdate } from '../src/index.js';
import { simHarness, type SimHarness } from './support/sim.js';

let h: SimHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function setUp() {
  h = await simHarness();
  const sim = h.sim;
  const client: AtlasClient = h.client({ requestsPerMinute: 6_000 });
  const timer = new ManualTimer(sim.clock, () => {
    const { inFlight } = client.scheduler.state();
    return inFlight.interactive + inFlight.background > 0;
  });
  const groupId = sim.seed.projectId;
  const clusters = (sim.seed.projects[0]?.clusters ?? []).map((c) => c.name).slice(0, 2);
  /** Download restore jobs (they run for minutes of simulated time) on a cluster. */
  const restores = async (clusterName: string, count: number): Promise<JobRef[]> => {
    const snapshot = sim.store
      .listSnapshots(groupId, clusterName)
      .find((s) => s.doneAt <= sim.clock.now() && s.outcome === 'succeeded');
    if (!snapshot) throw new Error(`no completed snapshot on ${clusterName}`);
    const refs: JobRef[] = [];
    for (let i = 0; i < count; i += 1) {
      const { value } = await client.createRestoreJob(groupId, clusterName, {
        deliveryType: 'download',
        snapshotId: snapshot.id,
      });
      refs.push({ kind: 'restore', groupId, clusterName, id: value.id });
    }
    return refs;
  };
  const served = () => {
    const ops = sim.requestCounts().byOperation;
    return {
      lists: ops.listGroupClusterBackupRestoreJobs?.requests ?? 0,
      gets: ops.getGroupClusterBackupRestoreJob?.requests ?? 0,
    };
  };
  return { sim, client, timer, clusters, restores, served };
}

/** Follows each job, collecting its updates; resolves when every watch has ended. */
function follow(poller: JobPoller, refs: JobRef[], signal?: AbortSignal) {
  const updates = new Map<string, JobUpdate[]>(refs.map((r) => [r.id, []]));
  const errors: unknown[] = [];
  const done = Promise.all(
    refs.map(async (ref) => {
      try {
        for await (const u of poller.watch(ref, { signal })) updates.get(ref.id)?.push(u);
      } catch (error) {
        errors.push(error);
      }
    }),
  );
  return { updates, errors, done };
}

describe('job poller', () => {
  it('reads the followed jobs of one cluster with one list call per round, however many there are', async () => {
    const t = await setUp();
    const [a, b] = t.clusters;
    if (!a || !b) throw new Error('the seed has two clusters');
    const refs = [...(await t.restores(a, 3)), ...(await t.restores(b, 2))];
    const before = t.served();
    const poller = new JobPoller(t.client, { intervalMs: 5_000, clock: t.timer.clock });
    const stop = new AbortController();
    const f = follow(poller, refs, stop.signal);
    await t.timer.settle();
    // First round: one list per cluster, every job's state shown.
    expect(t.served()).toEqual({ lists: before.lists + 2, gets: before.gets });
    expect([...f.updates.values()].every((u) => u.length === 1)).toBe(true);
    expect(poller.polling).toBe(2);

    await t.timer.advance(5_000);
    expect(t.served()).toEqual({ lists: before.lists + 4, gets: before.gets });
    stop.abort();
    await f.done;
    expect(f.errors).toEqual([]);
  });

  it('reads a cluster less often while its jobs do not move, and follows them to the end', async () => {
    const t = await setUp();
    const [a] = t.clusters;
    if (!a) throw new Error('the seed has a cluster');
    const refs = await t.restores(a, 2);
    const poller = new JobPoller(t.client, { intervalMs: 1_000, maxIntervalMs: 8_000, clock: t.timer.clock });
    const f = follow(poller, refs);
    await t.timer.settle();
    const start = t.served().lists;
    // Two simulated minutes: at a steady 1 s that would be 120 reads; backing off while
    // nothing changes, far fewer.
    await t.timer.advance(120_000);
    const reads = t.served().lists - start;
    expect(reads).toBeLessThan(40);
    await t.timer.advance(30 * 60_000);
    await f.done;
    for (const updates of f.updates.values()) expect(updates.at(-1)?.terminal).toBe(true);
  });

  it('rides out a 429 storm: followers keep their jobs and see them end', async () => {
    const t = await setUp();
    const [a] = t.clusters;
    if (!a) throw new Error('the seed has a cluster');
    const refs = await t.restores(a, 3);
    t.sim.faults.inject({
      status: 429,
      retryAfterSeconds: 5,
      times: 20,
      method: 'GET',
      path: /restoreJobs$/,
    });
    const poller = new JobPoller(t.client, { intervalMs: 1_000, clock: t.timer.clock });
    const f = follow(poller, refs);
    await t.timer.advance(5 * 60_000);
    expect(t.sim.requestCounts().rateLimited).toBe(20);
    await t.timer.advance(30 * 60_000);
    await f.done;
    expect(f.errors).toEqual([]);
    for (const updates of f.updates.values()) expect(updates.at(-1)?.terminal).toBe(true);
  });
});
