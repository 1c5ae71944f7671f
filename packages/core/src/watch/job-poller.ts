import { setMaxListeners } from 'node:events';
import type { AtlasClient } from '../client/atlas-client.js';
import { WatchTimeoutError } from '../errors.js';
import { inBackground } from '../http/priority.js';
import { realSleep } from '../http/retry.js';
import type { SchedulerClock } from '../http/scheduler.js';
import {
  exportState,
  flexRestoreState,
  restoreState,
  snapshotState,
  type JobKind,
  type JobRef,
  type JobState,
} from './job-state.js';
import { fetchState, fingerprint, isTransient, type JobUpdate } from './watch-job.js';

export interface JobPollerOptions {
  /** How often a cluster's jobs are read while they move. */
  intervalMs?: number;
  /** The longest wait between reads while nothing moves (default 12 periods, at most a minute). */
  maxIntervalMs?: number;
  /** Jobs read per list call; running jobs are the newest, so one page covers them. */
  itemsPerPage?: number;
  clock?: SchedulerClock;
}

export interface FollowOptions {
  signal?: AbortSignal | undefined;
  /** Give up (WATCH_TIMEOUT) after this long; the job itself is not touched. */
  timeoutMs?: number | undefined;
}

type Found = Map<string, { job: unknown; state: JobState }>;
type Lister = (client: AtlasClient, ref: JobRef, itemsPerPage: number) => Promise<Found>;

const found = <T extends { id: string }>(items: readonly T[], state: (item: T) => JobState): Found =>
  new Map(items.map((job) => [job.id, { job, state: state(job) }]));

/**
 * One list call per cluster and job kind. Collection restores are read job by job: their state
 * needs each job's collections anyway.
 */
const listers: Partial<Record<JobKind, Lister>> = {
  snapshot: async (c, r, n) =>
    found((await c.listSnapshots(r.groupId, r.clusterName, { itemsPerPage: n })).results, snapshotState),
  flexSnapshot: async (c, r, n) =>
    found((await c.listFlexSnapshots(r.groupId, r.clusterName, { itemsPerPage: n })).results, snapshotState),
  export: async (c, r, n) =>
    found((await c.listExportJobs(r.groupId, r.clusterName, { itemsPerPage: n })).results, exportState),
  restore: async (c, r, n) =>
    found((await c.listRestoreJobs(r.groupId, r.clusterName, { itemsPerPage: n })).results, restoreState),
  flexRestore: async (c, r, n) =>
    found(
      (await c.listFlexRestoreJobs(r.groupId, r.clusterName, { itemsPerPage: n })).results,
      flexRestoreState,
    ),
};

interface Follower {
  ref: JobRef;
  started: number;
  timeoutMs: number;
  last: string | undefined;
  queue: JobUpdate[];
  error: Error | undefined;
  done: boolean;
  wake: (() => void) | undefined;
}

interface Group {
  key: string;
  /** By job id: everyone following that job here. */
  followers: Map<string, Set<Follower>>;
  delay: number;
  /** Ends the current wait early (a job joined). */
  nudge: AbortController | undefined;
}

/**
 * Follows many jobs for the price of their clusters: the jobs of one kind on one cluster are read
 * with one list call per round, however many are followed, and a cluster whose jobs do not move
 * is read less and less often (back to the full pace as soon as one moves). Each follower sees
 * what `watchJob` would show it: every change of state, ending with the final one. Polls are
 * background work for the request scheduler.
 */
export class JobPoller {
  private readonly groups = new Map<string, Group>();
  private readonly intervalMs: number;
  private readonly maxIntervalMs: number;
  private readonly itemsPerPage: number;
  private readonly clock: SchedulerClock;
  private readonly stopping = new AbortController();

  constructor(
    private readonly client: AtlasClient,
    options: JobPollerOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 5_000;
    this.maxIntervalMs = Math.max(
      this.intervalMs,
      options.maxIntervalMs ?? Math.min(60_000, this.intervalMs * 12),
    );
    this.itemsPerPage = options.itemsPerPage ?? 100;
    this.clock = options.clock ?? { now: Date.now, wait: realSleep };
    // Every cluster's wait listens to it: no limit applies.
    setMaxListeners(0, this.stopping.signal);
  }

  /** Clusters (and job kinds) being polled now. */
  get polling(): number {
    return this.groups.size;
  }

  /** Every change of the job's state until it ends, as `watchJob` yields them. */
  async *watch(ref: JobRef, options: FollowOptions = {}): AsyncGenerator<JobUpdate> {
    const follower: Follower = {
      ref,
      started: this.clock.now(),
      timeoutMs: options.timeoutMs ?? 6 * 3_600_000,
      last: undefined,
      queue: [],
      error: undefined,
      done: false,
      wake: undefined,
    };
    const onAbort = () => {
      follower.done = true;
      follower.wake?.();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    this.join(follower);
    try {
      for (;;) {
        const update = follower.queue.shift();
        if (update) {
          yield update;
          if (update.terminal) return;
          continue;
        }
        if (follower.error !== undefined) throw follower.error;
        if (follower.done || options.signal?.aborted) return;
        await new Promise<void>((resolve) => (follower.wake = resolve));
        follower.wake = undefined;
      }
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
      this.leave(follower);
    }
  }

  /** Stops every poll; followers end quietly. */
  stop(): void {
    this.stopping.abort();
    for (const group of this.groups.values())
      for (const set of group.followers.values())
        for (const f of set) {
          f.done = true;
          f.wake?.();
        }
  }

  private join(follower: Follower): void {
    const { kind, groupId, clusterName } = follower.ref;
    const key = `${kind}|${groupId}|${clusterName}`;
    let group = this.groups.get(key);
    if (!group) {
      group = { key, followers: new Map(), delay: this.intervalMs, nudge: undefined };
      this.groups.set(key, group);
      group.followers.set(follower.ref.id, new Set([follower]));
      void this.run(group);
      return;
    }
    const set = group.followers.get(follower.ref.id) ?? new Set();
    set.add(follower);
    group.followers.set(follower.ref.id, set);
    // A job that just joined is read at the next round, which comes now.
    group.delay = this.intervalMs;
    group.nudge?.abort();
  }

  private leave(follower: Follower): void {
    const { kind, groupId, clusterName, id } = follower.ref;
    const group = this.groups.get(`${kind}|${groupId}|${clusterName}`);
    const set = group?.followers.get(id);
    if (!group || !set) return;
    set.delete(follower);
    if (set.size === 0) group.followers.delete(id);
    if (group.followers.size === 0) group.nudge?.abort();
  }

  private async run(group: Group): Promise<void> {
    try {
      await inBackground(async () => {
        while (group.followers.size > 0 && !this.stopping.signal.aborted) {
          const moved = await this.round(group);
          group.delay = moved ? this.intervalMs : Math.min(this.maxIntervalMs, Math.ceil(group.delay * 1.5));
          if (group.followers.size === 0) break;
          group.nudge = new AbortController();
          const wait = AbortSignal.any([group.nudge.signal, this.stopping.signal]);
          await this.clock.wait(group.delay, wait).catch(() => undefined);
          group.nudge = undefined;
        }
      });
    } finally {
      if (this.groups.get(group.key) === group) this.groups.delete(group.key);
      // Followers that joined as the group ended get a group of their own.
      for (const set of group.followers.values()) for (const f of set) if (!f.done) this.join(f);
    }
  }

  /** One read of a cluster's jobs; true when any followed job moved. */
  private async round(group: Group): Promise<boolean> {
    const first = [...group.followers.values()][0]?.values().next().value;
    if (!first) return false;
    const lister = listers[first.ref.kind];
    let moved = false;
    let list: Found = new Map();
    try {
      if (lister) list = await lister(this.client, first.ref, this.itemsPerPage);
    } catch (error) {
      if (!isTransient(error)) this.failAll(group, error);
      group.delay = Math.min(this.maxIntervalMs, group.delay * 2);
      return false;
    }
    for (const [id, set] of [...group.followers]) {
      const any = set.values().next().value;
      if (!any) continue;
      let entry = list.get(id);
      if (!entry) {
        // Not among the newest (or a kind without a list call): its own GET.
        try {
          const [job, state] = await fetchState(this.client, any.ref);
          entry = { job, state };
        } catch (error) {
          if (!isTransient(error)) this.fail(group, id, error);
          continue;
        }
      }
      for (const f of set) if (this.deliver(f, entry.job, entry.state)) moved = true;
      if (entry.state.terminal) group.followers.delete(id);
    }
    this.checkTimeouts(group);
    return moved;
  }

  private deliver(f: Follower, job: unknown, state: JobState): boolean {
    const print = fingerprint(state);
    if (print === f.last) return false;
    f.last = print;
    f.queue.push({ ...state, ref: f.ref, job, elapsedMs: this.clock.now() - f.started });
    f.wake?.();
    return true;
  }

  private checkTimeouts(group: Group): void {
    const now = this.clock.now();
    for (const [id, set] of group.followers) {
      for (const f of set) {
        if (now - f.started < f.timeoutMs) continue;
        f.error = new WatchTimeoutError(`${f.ref.kind} ${f.ref.id}`, f.timeoutMs);
        set.delete(f);
        f.wake?.();
      }
      if (set.size === 0) group.followers.delete(id);
    }
  }

  private fail(group: Group, id: string, error: unknown): void {
    for (const f of group.followers.get(id) ?? []) {
      f.error = error instanceof Error ? error : new Error(String(error));
      f.wake?.();
    }
    group.followers.delete(id);
  }

  private failAll(group: Group, error: unknown): void {
    for (const id of [...group.followers.keys()]) this.fail(group, id, error);
  }
}
