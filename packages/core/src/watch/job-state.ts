import type { CollectionRestoreCollection, CollectionRestoreJob } from '../schemas/collection-restores.js';
import type { ExportJob } from '../schemas/exports.js';
import type { FlexRestoreJob, RestoreJob } from '../schemas/restores.js';
import type { FlexSnapshot, Snapshot } from '../schemas/snapshots.js';

/** A job Atlas runs, by what is needed to look it up again (serialisable, so it survives restarts). */
export type JobRef =
  | { kind: 'snapshot'; groupId: string; clusterName: string; id: string }
  | { kind: 'export'; groupId: string; clusterName: string; id: string }
  | { kind: 'restore'; groupId: string; clusterName: string; id: string }
  | { kind: 'flexSnapshot'; groupId: string; clusterName: string; id: string }
  | { kind: 'flexRestore'; groupId: string; clusterName: string; id: string }
  | { kind: 'collectionRestore'; groupId: string; clusterName: string; id: string };
export type JobKind = JobRef['kind'];

export type JobPhase = 'pending' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'expired';

export interface JobState {
  phase: JobPhase;
  /** Atlas's own status word, as shown to people. */
  status: string;
  terminal: boolean;
  /** How far it is: collections exported, or documents restored. */
  progress?: { done: number; total: number; unit: 'collections' | 'documents' } | undefined;
  /** Download links, once a download restore has them. */
  urls?: string[] | undefined;
  /** When the download links stop working (ISO 8601), when Atlas says. */
  expiresAt?: string | undefined;
  /** A collection restore's collections, each with where it lands and how far it is. */
  collections?: CollectionRestoreProgress[] | undefined;
}

export interface CollectionRestoreProgress {
  source: string;
  /** Where Atlas writes it (after a CREATE_NEW rename, when there was one). */
  target: string;
  /** Atlas's state word for it: NOT_STARTED, IN_PROGRESS, SUCCESSFUL, FAILED, … */
  state: string;
  restoredDocuments: number | undefined;
  totalDocuments: number | undefined;
  indexState: string | undefined;
}

const terminalPhases = new Set<JobPhase>(['succeeded', 'failed', 'cancelled', 'expired']);
const state = (phase: JobPhase, status: string, extra: Partial<JobState> = {}): JobState => ({
  phase,
  status,
  terminal: terminalPhases.has(phase),
  ...extra,
});

export function snapshotState(s: Snapshot | FlexSnapshot): JobState {
  switch (s.status) {
    case 'queued':
    case 'PENDING':
    case 'QUEUED':
      return state('pending', s.status);
    case 'inProgress':
    case 'RUNNING':
      return state('running', s.status);
    case 'completed':
    case 'COMPLETED':
      return state('succeeded', s.status);
    case 'failed':
    case 'FAILED':
      return state('failed', s.status);
    default:
      // A status Atlas added later (or none): not finished, shown as Atlas sent it.
      return state('pending', s.status ?? 'unknown');
  }
}

export function exportState(job: ExportJob): JobState {
  const total = job.exportStatus?.totalCollections;
  const progress =
    total !== undefined && total > 0
      ? { done: job.exportStatus?.exportedCollections ?? 0, total, unit: 'collections' as const }
      : undefined;
  switch (job.state) {
    case 'Queued':
      return state('pending', 'Queued', { progress });
    case 'InProgress':
      return state('running', 'InProgress', { progress });
    case 'Successful':
      return state('succeeded', 'Successful', { progress });
    case 'Failed':
      return state('failed', 'Failed', { progress });
    case 'Cancelled':
      return state('cancelled', 'Cancelled', { progress });
    default:
      return state('pending', job.state ?? 'unknown', { progress });
  }
}

/** Restore jobs have no status field; their flags and timestamps say where they are. */
export function restoreState(job: RestoreJob): JobState {
  const urls = [
    ...(job.deliveryUrl ?? []),
    ...(job.components ?? []).flatMap((c) => (c.downloadUrl ? [c.downloadUrl] : [])),
  ];
  if (job.cancelled) return state('cancelled', 'cancelled');
  if (job.failed) return state('failed', 'failed');
  if (job.expired) return state('expired', 'expired');
  if (job.deliveryType === 'download' && urls.length > 0)
    return state('succeeded', 'ready', { urls, expiresAt: job.expiresAt });
  if (job.finishedAt) return state('succeeded', 'finished');
  return state('running', 'inProgress');
}

export function flexRestoreState(job: FlexRestoreJob): JobState {
  const base = snapshotState({ id: job.id, status: job.status });
  if (job.deliveryType === 'DOWNLOAD' && job.snapshotUrl && base.phase === 'succeeded') {
    return { ...base, status: 'ready', urls: [job.snapshotUrl], expiresAt: job.expirationDate };
  }
  return base;
}

/**
 * A collection restore job from its state word, its document counts and (once copying has
 * started) its collections. A state Atlas added later is taken for not finished.
 */
export function collectionRestoreJobState(
  job: CollectionRestoreJob,
  collections: readonly CollectionRestoreCollection[] = [],
): JobState {
  const total = job.totalDocuments;
  const extra: Partial<JobState> = {
    progress:
      total !== undefined && total > 0
        ? { done: Math.min(job.restoredDocuments ?? 0, total), total, unit: 'documents' }
        : undefined,
    collections: collections.map((c) => ({
      source: c.sourceNamespace ?? '?',
      target: c.effectiveTargetNamespace ?? c.targetNamespace ?? c.sourceNamespace ?? '?',
      state: c.state ?? 'unknown',
      restoredDocuments: c.restoredDocuments,
      totalDocuments: c.totalDocuments,
      indexState: c.indexStatus?.state,
    })),
  };
  const status = job.state ?? 'unknown';
  switch (job.state) {
    case 'INITIALIZING':
      return state('pending', status, extra);
    case 'IN_PROGRESS':
    case 'FINALIZING':
      return state('running', status, extra);
    case 'SUCCESSFUL':
      return state('succeeded', status, extra);
    case 'FAILED':
      return state('failed', status, extra);
    case 'CANCELED':
      return state('cancelled', status, extra);
    default:
      return state('pending', status, extra);
  }
}
