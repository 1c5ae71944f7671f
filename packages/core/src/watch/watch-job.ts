import type { AtlasClient } from '../client/atlas-client.js';
import { AtlasApiError, TransportError, WatchTimeoutError } from '../errors.js';
import { realSleep, type Sleep } from '../http/retry.js';
import {
  collectionRestoreJobState,
  exportState,
  flexRestoreState,
  restoreState,
  snapshotState,
  type JobRef,
  type JobState,
} from './job-state.js';

export interface JobUpdate extends JobState {
  ref: JobRef;
  /** The job as Atlas last described it. */
  job: unknown;
  /** Milliseconds since watching began. */
  elapsedMs: number;
}

export interface WatchOptions {
  pollIntervalMs?: number;
  /** Polling slows down to at most this while Atlas is failing. */
  maxPollIntervalMs?: number;
  /** Give up (WATCH_TIMEOUT) after this long; the job itself is not touched. */
  timeoutMs?: number;
  signal?: AbortSignal;
  sleep?: Sleep;
  now?: () => number;
}

/** One job's state by its own GET (what a poll falls back to for a job not in its list). */
export async function fetchState(
  client: AtlasClient,
  ref: JobRef,
  signal?: AbortSignal,
): Promise<[unknown, JobState]> {
  const o = { signal };
  switch (ref.kind) {
    case 'snapshot': {
      const job = await client.getSnapshot(ref.groupId, ref.clusterName, ref.id, o);
      return [job, snapshotState(job)];
    }
    case 'flexSnapshot': {
      const job = await client.getFlexSnapshot(ref.groupId, ref.clusterName, ref.id, o);
      return [job, snapshotState(job)];
    }
    case 'export': {
      const job = await client.getExportJob(ref.groupId, ref.clusterName, ref.id, o);
      return [job, exportState(job)];
    }
    case 'restore': {
      const job = await client.getRestoreJob(ref.groupId, ref.clusterName, ref.id, o);
      return [job, restoreState(job)];
    }
    case 'flexRestore': {
      const job = await client.getFlexRestoreJob(ref.groupId, ref.clusterName, ref.id, o);
      return [job, flexRestoreState(job)];
    }
    case 'collectionRestore': {
      const job = await client.getCollectionRestoreJob(ref.groupId, ref.clusterName, ref.id, o);
      // Atlas creates the collections' states when copying starts.
      const collections =
        job.state === 'INITIALIZING'
          ? []
          : await client.listCollectionRestoreJobCollections(ref.groupId, ref.clusterName, ref.id, o);
      return [job, collectionRestoreJobState(job, collections)];
    }
  }
}

/** Errors worth waiting out: Atlas busy or briefly unreachable. Anything else ends the watch. */
export function isTransient(error: unknown): boolean {
  if (error instanceof TransportError) return true;
  return error instanceof AtlasApiError && (error.status === 429 || error.status >= 500);
}

/** What a change of state is judged by: two states with one fingerprint look the same. */
export const fingerprint = (s: JobState) =>
  `${s.phase}|${s.status}|${s.progress?.done ?? ''}/${s.progress?.total ?? ''}|${s.urls?.length ?? 0}|${(s.collections ?? []).map((c) => `${c.state}:${c.restoredDocuments ?? ''}:${c.indexState ?? ''}`).join(',')}`;

/**
 * Follows a job until it ends, yielding each change of state (status, progress, links). Polls at
 * a steady interval, backs off while Atlas is failing, stops at `timeoutMs`, and ends quietly
 * when `signal` aborts.
 */
export async function* watchJob(
  client: AtlasClient,
  ref: JobRef,
  options: WatchOptions = {},
): AsyncGenerator<JobUpdate> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const interval = options.pollIntervalMs ?? 2_000;
  const maxInterval = options.maxPollIntervalMs ?? 30_000;
  const timeoutMs = options.timeoutMs ?? 6 * 3_600_000;
  const started = now();
  let last: string | undefined;
  let delay = interval;

  while (!options.signal?.aborted) {
    try {
      const [job, state] = await fetchState(client, ref, options.signal);
      delay = interval;
      const print = fingerprint(state);
      if (print !== last) {
        last = print;
        yield { ...state, ref, job, elapsedMs: now() - started };
      }
      if (state.terminal) return;
    } catch (error) {
      if (options.signal?.aborted) return;
      if (!isTransient(error)) throw error;
      delay = Math.min(maxInterval, delay * 2);
    }
    if (now() - started >= timeoutMs) throw new WatchTimeoutError(`${ref.kind} ${ref.id}`, timeoutMs);
    try {
      await sleep(Math.min(delay, Math.max(0, timeoutMs - (now() - started))), options.signal);
    } catch {
      return; // aborted while waiting
    }
  }
}
