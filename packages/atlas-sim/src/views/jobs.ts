import {
  exportedCollections,
  exportState,
  flexRestoreStatus,
  isRestoreExpired,
  restoreExpiresAt,
  restorePhase,
} from '../model/lifecycle.js';
import type { ExportJobRecord, FlexRestoreJobRecord, RestoreJobRecord } from '../model/types.js';
import { API, clusterPath, iso, selfLinks } from './format.js';

const DOWNLOAD_HOST = 'atlas-sim.example';

function downloadUrl(job: RestoreJobRecord, member?: string): string {
  const file = member ? `${member}.tar.gz` : `restore-${job.snapshotId ?? job.id}.tar.gz`;
  return `https://restore-${job.id}.${DOWNLOAD_HOST}/${job.snapshotId ?? job.id}/${file}`;
}

/** Fields shared by cluster and serverless restore jobs, derived from the clock. */
function restoreFields(job: RestoreJobRecord, now: number): Record<string, unknown> {
  const phase = restorePhase(job, now);
  const view: Record<string, unknown> = { cancelled: phase === 'cancelled', deliveryType: job.deliveryType };
  if (job.deliveryType === 'download' && phase === 'succeeded') {
    view.deliveryUrl = job.shardNames ? job.shardNames.map((m) => downloadUrl(job, m)) : [downloadUrl(job)];
  }
  view.expired = isRestoreExpired(job, now);
  const expiresAt = restoreExpiresAt(job);
  if (expiresAt !== undefined && phase === 'succeeded') view.expiresAt = iso(expiresAt);
  view.failed = phase === 'failed';
  if (phase === 'succeeded' || phase === 'failed') view.finishedAt = iso(job.doneAt);
  view.id = job.id;
  return view;
}

function restoreTail(job: RestoreJobRecord, view: Record<string, unknown>): Record<string, unknown> {
  if (job.oplogInc !== undefined) view.oplogInc = job.oplogInc;
  if (job.oplogTs !== undefined) view.oplogTs = job.oplogTs;
  if (job.pointInTimeUTCSeconds !== undefined) view.pointInTimeUTCSeconds = job.pointInTimeUTCSeconds;
  if (job.snapshotId !== undefined) view.snapshotId = job.snapshotId;
  if (job.targetClusterName !== undefined) view.targetClusterName = job.targetClusterName;
  if (job.targetGroupId !== undefined) view.targetGroupId = job.targetGroupId;
  view.timestamp = iso(job.restoredTimestamp);
  return view;
}

/** DiskBackupSnapshotRestoreJob. */
export function restoreJobView(job: RestoreJobRecord, now: number, baseUrl: string): Record<string, unknown> {
  const view = restoreFields(job, now);
  const ready = job.deliveryType === 'download' && restorePhase(job, now) === 'succeeded';
  if (job.shardNames && job.deliveryType === 'download') {
    view.components = job.shardNames.map((replicaSetName) => ({
      ...(ready ? { downloadUrl: downloadUrl(job, replicaSetName) } : {}),
      replicaSetName,
    }));
  }
  view.links = selfLinks(
    baseUrl,
    `${clusterPath(job.groupId, job.clusterName)}/backup/restoreJobs/${job.id}`,
  );
  return restoreTail(job, view);
}

/** ServerlessBackupRestoreJob. */
export function serverlessRestoreJobView(
  job: RestoreJobRecord,
  now: number,
  baseUrl: string,
): Record<string, unknown> {
  const view = restoreFields(job, now);
  view.links = selfLinks(
    baseUrl,
    `${API}/groups/${job.groupId}/serverless/${job.clusterName}/backup/restoreJobs/${job.id}`,
  );
  return restoreTail(job, view);
}

/** DiskBackupExportJob. `prefix` is left out: the contract's pattern only admits its own template. */
export function exportJobView(job: ExportJobRecord, now: number, baseUrl: string): Record<string, unknown> {
  const state = exportState(job, now);
  const view: Record<string, unknown> = {};
  if (job.components) view.components = job.components;
  view.createdAt = iso(job.createdAt);
  view.customData = job.customData;
  view.exportBucketId = job.exportBucketId;
  view.exportStatus = {
    exportedCollections: exportedCollections(job, now),
    totalCollections: job.totalCollections,
  };
  if (state === 'Successful' || state === 'Failed') view.finishedAt = iso(job.doneAt);
  view.id = job.id;
  view.links = selfLinks(baseUrl, `${clusterPath(job.groupId, job.clusterName)}/backup/exports/${job.id}`);
  view.snapshotId = job.snapshotId;
  view.state = state;
  if (state === 'Failed') {
    view.stateReason = {
      errorCode: 'EXPORT_FAILED',
      message: 'The export could not write to the bucket; check the bucket policy and IAM role.',
    };
  }
  return view;
}

/** FlexBackupRestoreJob20241113 (restores and downloads alike). */
export function flexRestoreJobView(
  job: FlexRestoreJobRecord,
  now: number,
  baseUrl: string,
): Record<string, unknown> {
  const status = flexRestoreStatus(job, now);
  const view: Record<string, unknown> = {
    deliveryType: job.deliveryType,
    ...(job.expirationDate !== undefined ? { expirationDate: iso(job.expirationDate) } : {}),
    id: job.id,
    instanceName: job.instanceName,
    links: selfLinks(
      baseUrl,
      `${API}/groups/${job.groupId}/flexClusters/${job.instanceName}/backup/restoreJobs/${job.id}`,
    ),
    projectId: job.groupId,
  };
  if (status === 'COMPLETED' || status === 'FAILED') view.restoreFinishedDate = iso(job.doneAt);
  view.restoreScheduledDate = iso(job.createdAt);
  view.snapshotFinishedDate = iso(job.snapshotFinishedDate);
  view.snapshotId = job.snapshotId;
  if (job.deliveryType === 'DOWNLOAD' && status === 'COMPLETED') {
    view.snapshotUrl = `https://flex-download.${DOWNLOAD_HOST}/${job.groupId}/${job.snapshotId}/${job.id}.tar.gz`;
  }
  view.status = status;
  if (job.targetDeploymentItemName !== undefined)
    view.targetDeploymentItemName = job.targetDeploymentItemName;
  if (job.targetProjectId !== undefined) view.targetProjectId = job.targetProjectId;
  return view;
}
