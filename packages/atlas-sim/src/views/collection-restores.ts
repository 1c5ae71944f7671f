import {
  collectionRestoreState,
  failedNamespace,
  finishedAt,
  jobIndexStatus,
  restoredDocuments,
  totalDocuments,
  type CollectionProgress,
} from '../model/collection-restore.js';
import type { CollectionRestoreJobRecord } from '../model/types.js';
import { iso } from './format.js';

/** The index a planned index build failure names (what Atlas reports as `failedIndexes`). */
const FAILED_INDEX = {
  key: { customerId: 1, createdAt: -1 },
  name: 'customerId_1_createdAt_-1',
  unique: true,
};

function errorMessage(job: CollectionRestoreJobRecord, now: number): string | undefined {
  const state = collectionRestoreState(job, now);
  if (state === 'CANCELED') return 'The collection restore job was canceled before it finished.';
  if (state !== 'FAILED') return undefined;
  const namespace = failedNamespace(job, now);
  return `Restoring ${namespace ?? 'the collections'} into ${job.targetClusterName} failed: the target cluster stopped accepting writes (simulated failure).`;
}

/** ApiAtlasCollectionRestoreJobResponse. */
export function collectionRestoreJobView(
  job: CollectionRestoreJobRecord,
  now: number,
): Record<string, unknown> {
  const view: Record<string, unknown> = {
    collectionSuffix: job.collectionSuffix,
    collections: job.collections.map((c) => ({ ...c })),
    createdAt: iso(job.createdAt),
    databaseSuffix: job.databaseSuffix,
    databases: job.databases.map((d) => ({ ...d })),
  };
  const message = errorMessage(job, now);
  if (message !== undefined) view.errorMessage = message;
  const finished = finishedAt(job, now);
  if (finished !== undefined) view.finishedAt = iso(finished);
  view.id = job.id;
  view.indexStatus = jobIndexStatus(job, now);
  view.indexStrategy = job.indexStrategy;
  if (job.oplogInc !== undefined) view.oplogInc = job.oplogInc;
  if (job.oplogTs !== undefined) view.oplogTs = job.oplogTs;
  if (job.pointInTimeUtcSeconds !== undefined) view.pointInTimeUtcSeconds = job.pointInTimeUtcSeconds;
  view.restoredDocuments = restoredDocuments(job, now);
  if (job.snapshotId !== undefined) view.snapshotId = job.snapshotId;
  view.state = collectionRestoreState(job, now);
  view.targetClusterName = job.targetClusterName;
  view.targetGroupId = job.targetGroupId;
  view.totalDocuments = totalDocuments(job);
  view.writeStrategy = job.writeStrategy;
  return view;
}

/** ApiAtlasCollectionRestoreCollectionStateResponse. */
export function collectionStateView(p: CollectionProgress): Record<string, unknown> {
  const indexStatus: Record<string, unknown> = { state: p.indexState };
  if (p.indexState === 'FAILED') {
    indexStatus.errorMessage = `Index build failed on ${p.item.effectiveTargetNamespace}: E11000 duplicate key error for index ${FAILED_INDEX.name}.`;
    indexStatus.failedIndexes = [FAILED_INDEX];
  }
  return {
    effectiveTargetNamespace: p.item.effectiveTargetNamespace,
    indexStatus,
    restoredDocuments: p.restoredDocuments,
    sourceNamespace: p.item.sourceNamespace,
    state: p.state,
    targetNamespace: p.item.targetNamespace,
    totalDocuments: p.item.documents,
  };
}
