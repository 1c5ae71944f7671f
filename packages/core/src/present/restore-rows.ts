import type { AtlasClient } from '../client/atlas-client.js';
import type { ClusterKind } from '../schemas/clusters.js';
import type { CollectionRestoreJob } from '../schemas/collection-restores.js';
import type { FlexRestoreJob, RestoreJob } from '../schemas/restores.js';
import {
  collectionRestoreJobState,
  flexRestoreState,
  restoreState,
  type JobState,
} from '../watch/job-state.js';
import { formatTimeSeconds } from './format.js';
import { collectRows, pages, type RowsOptions } from './rows.js';

/** One restore job, whatever kind of cluster it belongs to: the columns both front ends list. */
export interface RestoreJobRow {
  id: string;
  /**
   * `automated`, `download` or `pointInTime`; a Flex job is a `restore` or a `download`; a
   * collection-level job is `collections` or `databases`.
   */
  delivery: string;
  state: JobState;
  snapshotId: string | undefined;
  /** A point-in-time restore's moment: `2025-03-01 09:30:00 UTC`, or `oplog 1740821400:3`. */
  moment: string | undefined;
  targetCluster: string | undefined;
  requestedAt: string | undefined;
  finishedAt: string | undefined;
  /** Until when a download's links work. */
  expiresAt: string | undefined;
  source: 'dedicated' | 'flex' | 'collections';
  raw: RestoreJob | FlexRestoreJob | CollectionRestoreJob;
}

const momentOf = (seconds: number | undefined, oplogTs: number | undefined, oplogInc: number | undefined) =>
  seconds !== undefined
    ? formatTimeSeconds(seconds * 1000)
    : oplogTs !== undefined
      ? `oplog ${oplogTs}:${oplogInc ?? '?'}`
      : undefined;

export function fromCollectionRestoreJob(job: CollectionRestoreJob): RestoreJobRow {
  return {
    id: job.id,
    delivery: (job.databases ?? []).length > 0 ? 'databases' : 'collections',
    state: collectionRestoreJobState(job),
    snapshotId: job.snapshotId,
    moment: momentOf(job.pointInTimeUtcSeconds, job.oplogTs, job.oplogInc),
    targetCluster: job.targetClusterName,
    requestedAt: job.createdAt,
    finishedAt: job.finishedAt,
    expiresAt: undefined,
    source: 'collections',
    raw: job,
  };
}

export function fromRestoreJob(job: RestoreJob): RestoreJobRow {
  const moment =
    job.deliveryType !== 'pointInTime'
      ? undefined
      : momentOf(job.pointInTimeUTCSeconds, job.oplogTs, job.oplogInc);
  return {
    id: job.id,
    delivery: job.deliveryType,
    state: restoreState(job),
    snapshotId: job.snapshotId,
    moment,
    targetCluster: job.targetClusterName,
    requestedAt: job.timestamp,
    finishedAt: job.finishedAt,
    expiresAt: job.expiresAt,
    source: 'dedicated',
    raw: job,
  };
}

export function fromFlexRestoreJob(job: FlexRestoreJob): RestoreJobRow {
  return {
    id: job.id,
    delivery: job.deliveryType === 'DOWNLOAD' ? 'download' : 'restore',
    state: flexRestoreState(job),
    snapshotId: job.snapshotId,
    moment: undefined,
    targetCluster: job.targetDeploymentItemName,
    requestedAt: job.restoreScheduledDate,
    finishedAt: job.restoreFinishedDate,
    expiresAt: undefined,
    source: 'flex',
    raw: job,
  };
}

/**
 * A deployment's restore jobs as rows: a dedicated cluster's from the cloud backup API (its
 * collection-level restores too, newest first with the others), a Flex cluster's from the Flex
 * API. Serverless instances have none this tool lists.
 */
export async function listRestoreJobRows(
  client: AtlasClient,
  groupId: string,
  cluster: { name: string; kind: ClusterKind },
  options: RowsOptions = {},
): Promise<RestoreJobRow[]> {
  const call = { signal: options.signal };
  if (cluster.kind === 'flex') {
    const list = pages((q) => client.listFlexRestoreJobs(groupId, cluster.name, q, call));
    return collectRows(list, fromFlexRestoreJob, options.limit);
  }
  const list = pages((q) => client.listRestoreJobs(groupId, cluster.name, q, call));
  const collections = pages((q) => client.listCollectionRestoreJobs(groupId, cluster.name, q, call));
  const [whole, chosen] = await Promise.all([
    collectRows(list, fromRestoreJob, options.limit),
    collectRows(collections, fromCollectionRestoreJob, options.limit),
  ]);
  if (chosen.length === 0) return whole;
  const newestFirst = [...whole, ...chosen].sort((a, b) =>
    (b.requestedAt ?? '').localeCompare(a.requestedAt ?? ''),
  );
  return newestFirst.slice(0, options.limit ?? newestFirst.length);
}
