import type { AtlasClient } from '../client/atlas-client.js';
import type { ClusterKind } from '../schemas/clusters.js';
import type { FlexRestoreJob, RestoreJob } from '../schemas/restores.js';
import { flexRestoreState, restoreState, type JobState } from '../watch/job-state.js';
import { formatTimeSeconds } from './format.js';
import { collectRows, pages, type RowsOptions } from './rows.js';

/** One restore job, whatever kind of cluster it belongs to: the columns both front ends list. */
export interface RestoreJobRow {
  id: string;
  /** `automated`, `download` or `pointInTime`; a Flex job is a `restore` or a `download`. */
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
  source: 'dedicated' | 'flex';
  raw: RestoreJob | FlexRestoreJob;
}

export function fromRestoreJob(job: RestoreJob): RestoreJobRow {
  const moment =
    job.deliveryType !== 'pointInTime'
      ? undefined
      : job.pointInTimeUTCSeconds !== undefined
        ? formatTimeSeconds(job.pointInTimeUTCSeconds * 1000)
        : job.oplogTs !== undefined
          ? `oplog ${job.oplogTs}:${job.oplogInc ?? '?'}`
          : undefined;
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
 * A deployment's restore jobs as rows: a dedicated cluster's from the cloud backup API, a Flex
 * cluster's from the Flex API. Serverless instances have none this tool lists.
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
  return collectRows(list, fromRestoreJob, options.limit);
}
