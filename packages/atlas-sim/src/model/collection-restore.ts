import type { CollectionRestoreItem, CollectionRestoreJobRecord } from './types.js';

/**
 * What a collection-level restore job shows at an instant, derived from its record and the
 * clock like every other job: INITIALIZING, then IN_PROGRESS while documents are copied one
 * collection after another, then FINALIZING while indexes are built, then SUCCESSFUL; or
 * FAILED where a planned failure stops the copy, or CANCELED where a cancel stopped it.
 */
export type CollectionRestoreState =
  'INITIALIZING' | 'IN_PROGRESS' | 'FINALIZING' | 'SUCCESSFUL' | 'FAILED' | 'CANCELED';

export type CollectionItemState =
  | 'NOT_STARTED'
  | 'IN_PROGRESS'
  | 'FINALIZING'
  | 'UNSUPPORTED'
  | 'SUCCESSFUL'
  | 'NOT_RESTORED'
  | 'FAILED'
  | 'INDEX_BUILD_FAILED';

export type IndexState = 'NOT_STARTED' | 'IN_PROGRESS' | 'SUCCESSFUL' | 'FAILED' | 'NOT_RESTORED';

export function collectionRestoreState(job: CollectionRestoreJobRecord, now: number): CollectionRestoreState {
  if (job.cancelledAt !== undefined && now >= job.cancelledAt) return 'CANCELED';
  if (job.failsAt !== undefined && now >= job.failsAt) return 'FAILED';
  if (now < job.copyStartsAt) return 'INITIALIZING';
  if (now < job.copyEndsAt) return 'IN_PROGRESS';
  if (now < job.doneAt) return 'FINALIZING';
  return 'SUCCESSFUL';
}

export function isTerminal(state: CollectionRestoreState): boolean {
  return state === 'SUCCESSFUL' || state === 'FAILED' || state === 'CANCELED';
}

/** When the job stopped (finished, failed or was cancelled), if it has. */
export function finishedAt(job: CollectionRestoreJobRecord, now: number): number | undefined {
  const state = collectionRestoreState(job, now);
  if (state === 'CANCELED') return job.cancelledAt;
  if (state === 'FAILED') return job.failsAt;
  return state === 'SUCCESSFUL' ? job.doneAt : undefined;
}

/** Documents across the supported collections (the contract's `totalDocuments`). */
export function totalDocuments(job: CollectionRestoreJobRecord): number {
  return job.items.reduce((sum, i) => sum + (i.supported ? i.documents : 0), 0);
}

/** Documents copied so far: they climb linearly over IN_PROGRESS and stop where the job stopped. */
export function restoredDocuments(job: CollectionRestoreJobRecord, now: number): number {
  const until = Math.min(now, job.failsAt ?? Infinity, job.cancelledAt ?? Infinity);
  const span = job.copyEndsAt - job.copyStartsAt;
  const fraction = Math.min(1, Math.max(0, (until - job.copyStartsAt) / span));
  return Math.floor(totalDocuments(job) * fraction);
}

export interface CollectionProgress {
  item: CollectionRestoreItem;
  state: CollectionItemState;
  restoredDocuments: number;
  indexState: IndexState;
}

/**
 * Per-collection states. Empty while the job is INITIALIZING (Atlas creates them when copying
 * starts); collections are copied in order, so earlier ones finish first.
 */
export function collectionProgress(job: CollectionRestoreJobRecord, now: number): CollectionProgress[] {
  const state = collectionRestoreState(job, now);
  const stoppedAt = Math.min(now, job.failsAt ?? Infinity, job.cancelledAt ?? Infinity);
  if (stoppedAt < job.copyStartsAt) return [];
  let left = restoredDocuments(job, now);
  // The collection being copied when a failure struck is the one that failed.
  let failureShown = false;
  const out: CollectionProgress[] = [];
  for (const item of job.items) {
    if (!item.supported) {
      out.push({ item, state: 'UNSUPPORTED', restoredDocuments: 0, indexState: 'NOT_RESTORED' });
      continue;
    }
    const copied = Math.min(item.documents, left);
    const started = left > 0 || item.documents === 0;
    left -= copied;
    const done = copied === item.documents && started;
    let itemState = stateOf(state, done, started);
    if (state === 'FAILED' && !done) {
      itemState = failureShown ? 'NOT_RESTORED' : 'FAILED';
      failureShown = true;
    }
    const indexState = itemIndexState(job, state, item);
    if (indexState === 'FAILED') itemState = 'INDEX_BUILD_FAILED';
    out.push({
      item,
      state: itemState,
      restoredDocuments: copied,
      indexState,
    });
  }
  return out;
}

function stateOf(state: CollectionRestoreState, done: boolean, started: boolean): CollectionItemState {
  switch (state) {
    case 'IN_PROGRESS':
      // Copied collections wait for the index builds at the end.
      return done ? 'FINALIZING' : started ? 'IN_PROGRESS' : 'NOT_STARTED';
    case 'FINALIZING':
      return 'FINALIZING';
    case 'SUCCESSFUL':
      return 'SUCCESSFUL';
    case 'FAILED':
    case 'CANCELED':
      return done ? 'SUCCESSFUL' : 'NOT_RESTORED';
    default:
      return 'NOT_STARTED';
  }
}

function itemIndexState(
  job: CollectionRestoreJobRecord,
  state: CollectionRestoreState,
  item: CollectionRestoreItem,
): IndexState {
  if (job.indexStrategy === 'NONE') return 'NOT_RESTORED';
  switch (state) {
    case 'SUCCESSFUL':
      return item.sourceNamespace === job.indexFailureNamespace ? 'FAILED' : 'SUCCESSFUL';
    case 'FINALIZING':
      return 'IN_PROGRESS';
    case 'FAILED':
    case 'CANCELED':
      return 'NOT_RESTORED';
    default:
      return 'NOT_STARTED';
  }
}

/** The job's overall index status. */
export function jobIndexStatus(
  job: CollectionRestoreJobRecord,
  now: number,
): { state: IndexState; failedCollectionCount: number } {
  if (job.indexStrategy === 'NONE') return { state: 'NOT_RESTORED', failedCollectionCount: 0 };
  const state = collectionRestoreState(job, now);
  switch (state) {
    case 'SUCCESSFUL': {
      const failed = job.indexFailureNamespace === undefined ? 0 : 1;
      return { state: failed ? 'FAILED' : 'SUCCESSFUL', failedCollectionCount: failed };
    }
    case 'FINALIZING':
      return { state: 'IN_PROGRESS', failedCollectionCount: 0 };
    case 'FAILED':
    case 'CANCELED':
      return { state: 'NOT_RESTORED', failedCollectionCount: 0 };
    default:
      return { state: 'NOT_STARTED', failedCollectionCount: 0 };
  }
}

/** The collection a planned failure hit: the one being copied when the job stopped. */
export function failedNamespace(job: CollectionRestoreJobRecord, now: number): string | undefined {
  return collectionProgress(job, now).find((p) => p.state === 'FAILED')?.item.sourceNamespace;
}
