import type {
  ExportJobRecord,
  FlexRestoreJobRecord,
  FlexSnapshotRecord,
  FlexStatus,
  RestoreJobRecord,
  ServerlessSnapshotRecord,
  SnapshotRecord,
} from './types.js';

/** Status derivations: every state a client can observe is a function of a record and `now`. */

export type SnapshotStatus = 'queued' | 'inProgress' | 'completed' | 'failed';

export function snapshotStatus(s: SnapshotRecord | ServerlessSnapshotRecord, now: number): SnapshotStatus {
  if (now < s.startedAt) return 'queued';
  if (now < s.doneAt) return 'inProgress';
  return s.outcome === 'succeeded' ? 'completed' : 'failed';
}

export function isSnapshotPending(s: SnapshotRecord | ServerlessSnapshotRecord, now: number): boolean {
  return now < s.doneAt;
}

export type RestorePhase = 'pending' | 'succeeded' | 'failed' | 'cancelled';

export function restorePhase(job: RestoreJobRecord, now: number): RestorePhase {
  if (job.cancelledAt !== undefined && job.cancelledAt < job.doneAt) return 'cancelled';
  if (now < job.doneAt) return 'pending';
  return job.outcome;
}

/** A ready download expires this long after its links were handed out. */
export function restoreExpiresAt(job: RestoreJobRecord): number | undefined {
  return job.deliveryType === 'download' ? job.doneAt + job.linkLifetimeMs : undefined;
}

export function isRestoreExpired(job: RestoreJobRecord, now: number): boolean {
  const expiresAt = restoreExpiresAt(job);
  return expiresAt !== undefined && restorePhase(job, now) === 'succeeded' && now >= expiresAt;
}

export type ExportState = 'Queued' | 'InProgress' | 'Successful' | 'Failed';

export function exportState(job: ExportJobRecord, now: number): ExportState {
  if (now < job.startedAt) return 'Queued';
  if (now < job.doneAt) return 'InProgress';
  return job.outcome === 'succeeded' ? 'Successful' : 'Failed';
}

/** Collections exported so far: climbs linearly while the job runs. */
export function exportedCollections(job: ExportJobRecord, now: number): number {
  const state = exportState(job, now);
  if (state === 'Queued') return 0;
  if (state === 'Successful') return job.totalCollections;
  const end = state === 'Failed' ? job.doneAt : now;
  const fraction = (end - job.startedAt) / (job.doneAt - job.startedAt);
  const done = Math.floor(job.totalCollections * fraction);
  // A failed job stops short of the total.
  return state === 'Failed' ? Math.min(done, job.totalCollections - 1) : done;
}

export function flexSnapshotStatus(s: FlexSnapshotRecord, now: number): FlexStatus {
  if (now < s.startTime) return 'QUEUED';
  if (now < s.finishTime) return 'RUNNING';
  return s.outcome === 'succeeded' ? 'COMPLETED' : 'FAILED';
}

export function flexRestoreStatus(job: FlexRestoreJobRecord, now: number): FlexStatus {
  if (now < job.runningAt) return 'QUEUED';
  if (now < job.doneAt) return 'RUNNING';
  return job.outcome === 'succeeded' ? 'COMPLETED' : 'FAILED';
}
