// The built TUI always runs React's production build; measure the same React, not its dev checks.
import '#production-env';
import { setMaxListeners } from 'node:events';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '@atlas-backups/atlas-sim';
import {
  JobPoller,
  ManualTimer,
  RequestScheduler,
  listSnapshotRows,
  watchJob,
  type AtlasClient,
  type AtlasClientOptions,
  type JobRef,
} from '@atlas-backups/core';
import { round } from './pty.js';
import { clientFor, openTui } from './tui.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(what: string, check: () => boolean, ms = 60_000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

const perMinute = (count: number, ms: number) => round((count * 60_000) / ms);

/**
 * One idle TUI on the 10,000-snapshot list, beside what the TUI did before (every 5 s, walk
 * all 20 pages), each on its own simulator, over the same real window.
 */
async function idleTui(windowMs: number) {
  const [simNew, simOld] = await Promise.all([
    startSimulator({ large: true }),
    startSimulator({ large: true }),
  ]);
  const cluster = simNew.seed.replicaSetName;
  const tui = await openTui(simNew, cluster);
  const old = clientFor(simOld);
  try {
    await waitFor('the first page', () => /500 of 10000 items/.test(tui.stdout.last));
    await old.getProject(simOld.seed.projectId);
    simNew.resetRequestCounts();
    simOld.resetRequestCounts();
    const started = Date.now();
    const oldCluster = { name: cluster, kind: 'replicaSet' as const };
    const oldLoop = (async () => {
      while (Date.now() - started < windowMs) {
        await listSnapshotRows(old, simOld.seed.projectId, oldCluster);
        await sleep(5_000);
      }
    })();
    await sleep(windowMs);
    const elapsed = Date.now() - started;
    const now = simNew.requestCounts().atlas;
    const before = simOld.requestCounts().atlas;
    await oldLoop;
    return {
      windowSeconds: round(elapsed / 1000),
      requestsPerMinute: perMinute(now, elapsed),
      baselineRequestsPerMinute: perMinute(before, elapsed),
      target: '≤ 12 a minute',
      note: 'baseline: the previous refresh (all 20 pages every 5 s), on a second simulator over the same window',
    };
  } finally {
    await tui.close();
    await old.close();
    await Promise.all([simNew.close(), simOld.close()]);
  }
}

/** `count` replica sets in the first project: its own, and copies of it (the seed has one). */
function replicaSets(sim: RunningSimulator, count: number): { groupId: string; name: string }[] {
  const groupId = sim.seed.projectId;
  const source = sim.store.getCluster(groupId, sim.seed.replicaSetName);
  if (!source) throw new Error('the seed has no replica set');
  const snapshot = sim.store
    .listSnapshots(groupId, source.name)
    .find((s) => s.doneAt <= sim.clock.now() && s.outcome === 'succeeded');
  if (!snapshot) throw new Error(`no completed snapshot on ${source.name}`);
  const hex = (n: number) => `${'e'.repeat(18)}${n.toString(16).padStart(6, '0')}`;
  const names = [source.name];
  for (let i = 2; i <= count; i += 1) {
    const name = `${source.name}-${i}`;
    if (!sim.store.getCluster(groupId, name)) {
      sim.store.addCluster({ ...source, id: hex(i), name });
      sim.store.addSnapshot({ ...snapshot, id: hex(100 + i), clusterName: name });
    }
    names.push(name);
  }
  return names.map((name) => ({ groupId, name }));
}

/** Download restore jobs (they run for minutes), `perCluster` on each of `clusters` replica sets. */
async function restoreJobs(sim: RunningSimulator, client: AtlasClient, clusters: number, perCluster: number) {
  const refs: JobRef[] = [];
  for (const { groupId, name } of replicaSets(sim, clusters)) {
    const snapshot = sim.store
      .listSnapshots(groupId, name)
      .find((s) => s.doneAt <= sim.clock.now() && s.outcome === 'succeeded');
    if (!snapshot) throw new Error(`no completed snapshot on ${name}`);
    for (let i = 0; i < perCluster; i += 1) {
      const { value } = await client.createRestoreJob(groupId, name, {
        deliveryType: 'download',
        snapshotId: snapshot.id,
      });
      refs.push({ kind: 'restore', groupId, clusterName: name, id: value.id });
    }
  }
  return refs;
}

/** Requests a minute of the bot's job following (its JobPoller, 5 s period) over 60 simulated seconds. */
async function following(jobs: number, clusters: number, how: 'poller' | 'per-job') {
  const sim = await startSimulator({ clock: 'manual' });
  const busy = { client: undefined as AtlasClient | undefined };
  const timer = new ManualTimer(sim.clock, () => {
    const s = busy.client?.scheduler.state();
    return s !== undefined && s.inFlight.interactive + s.inFlight.background > 0;
  });
  const client = clientFor(sim, { schedulerClock: timer.clock, sleep: timer.clock.wait });
  busy.client = client;
  try {
    const refs = await restoreJobs(sim, client, clusters, jobs / clusters);
    sim.resetRequestCounts();
    const stop = new AbortController();
    setMaxListeners(0, stop.signal);
    const atlas = client;
    const poller = new JobPoller(atlas, { intervalMs: 5_000, clock: timer.clock });
    const follows = refs.map(async (ref) => {
      const updates =
        how === 'poller'
          ? poller.watch(ref, { signal: stop.signal })
          : watchJob(atlas, ref, { pollIntervalMs: 5_000, signal: stop.signal, sleep: timer.clock.wait });
      for await (const update of updates) void update;
    });
    await timer.advance(60_000);
    const count = sim.requestCounts().atlas;
    stop.abort();
    await timer.advance(1);
    await Promise.allSettled(follows);
    return count;
  } finally {
    await client.close();
    await sim.close();
  }
}

async function followingJobs() {
  const five = await following(5, 5, 'poller');
  const fifty = await following(50, 5, 'poller');
  const fiftyPerJob = await following(50, 5, 'per-job');
  return {
    requestsPerMinute: { jobs5: five, jobs50: fifty },
    ratio50to5: round(fifty / five),
    baselinePerJobPolling: { jobs50: fiftyPerJob },
    target: '50-job figure ≤ 1.5x the 5-job figure',
    note: '60 s on the simulator’s manual clock, 5 s poll period, default budget (30/min); baseline: one GET per job per tick as before',
  };
}

/**
 * Ten TUIs (each its own client and scheduler, as ten terminals would be) and the bot's job
 * follower on one project with Atlas-like limits (100 a minute per endpoint set and project).
 * Each TUI refreshes its snapshot list on its own and a person presses Enter (fetch the snapshot)
 * every 20 s. Beside it, the same on a second simulator with background work that does not give
 * way (no reserve, no budget).
 */
async function crowd(windowMs: number, disciplined: boolean) {
  const simOptions: SimulatorOptions = { rateLimit: 'on' };
  const sim = await startSimulator(simOptions);
  const clusters = sim.seed.projects[0]?.clusters.map((c) => c.name) ?? [];
  const options = (): Partial<AtlasClientOptions> =>
    disciplined ? {} : { scheduler: new RequestScheduler({ requestsPerMinute: 6_000, reserveFraction: 0 }) };
  const tuis: Awaited<ReturnType<typeof openTui>>[] = [];
  const bot = clientFor(sim, options());
  try {
    for (let i = 0; i < 10; i += 1)
      tuis.push(await openTui(sim, clusters[i % clusters.length] ?? '', { client: options() }));
    await waitFor('ten lists', () => tuis.every((t) => /\d+ items/.test(t.stdout.last)));
    const refs = await restoreJobs(sim, bot, 5, 1);
    const poller = new JobPoller(bot, { intervalMs: 5_000 });
    const stop = new AbortController();
    const follows = refs.map(async (ref) => {
      for await (const update of poller.watch(ref, { signal: stop.signal })) void update;
    });
    const started = Date.now();
    const presses = tuis.map(async (t, i) => {
      await sleep(i * 2_000);
      while (Date.now() - started < windowMs - 2_000) {
        t.press('\r');
        await sleep(20_000);
      }
    });
    await sleep(windowMs);
    await Promise.all(presses);
    stop.abort();
    await Promise.allSettled(follows);
    const counts = sim.requestCounts();
    const states = [...tuis.map((t) => t.client), bot].map((c) => c.scheduler.state());
    const sum = (pick: (s: (typeof states)[number]) => number) => states.reduce((n, s) => n + pick(s), 0);
    return {
      interactive429s: sum((s) => s.rateLimited.interactive),
      keyPress429sAtSimulator: counts.byOperation.getGroupClusterBackupSnapshot?.rateLimited ?? 0,
      background429s: sum((s) => s.rateLimited.background),
      requests: { interactive: sum((s) => s.sent.interactive), background: sum((s) => s.sent.background) },
      atlasRequestsServed: counts.atlas,
    };
  } finally {
    await Promise.all(tuis.map((t) => t.close()));
    await bot.close();
    await sim.close();
  }
}

/**
 * `pnpm bench budget`: the cost of keeping things fresh, counted at the simulator, each figure
 * beside its baseline from the same run.
 */
export async function benchBudget(windowMs = Number(process.env.BENCH_BUDGET_SECONDS ?? 60) * 1000) {
  const [idle, crowded, crowdedBaseline] = await Promise.all([
    idleTui(windowMs),
    crowd(windowMs, true),
    crowd(windowMs, false),
  ]);
  const jobs = await followingJobs();
  return {
    idleTuiOn10000Snapshots: idle,
    botFollowingJobs: jobs,
    tenTuisAndBotAtlasLimits: {
      withBudget: crowded,
      baselineBackgroundNotGivingWay: crowdedBaseline,
      target: '0 429s seen by interactive requests',
      windowSeconds: windowMs / 1000,
    },
  };
}
