import { notFound } from '../http/errors.js';
import { list, object, type HandlerContext, type Operation } from '../http/operation.js';
import { flexSnapshotStatus } from '../model/lifecycle.js';
import { timings } from '../model/timings.js';
import type {
  FlexClusterRecord,
  FlexRestoreJobRecord,
  FlexSnapshotRecord,
  ServerlessSnapshotRecord,
} from '../model/types.js';
import { flexRestoreJobView } from '../views/jobs.js';
import { flexSnapshotView } from '../views/snapshots.js';
import { createFlexRestoreJobBody, flexDownloadBody } from './bodies.js';
import {
  param,
  requireFlexCluster,
  requireFlexDeployment,
  snapshotNotCompleted,
  V20241113,
  type FlexDeployment,
} from './common.js';
import { parseBody } from './validate.js';

const BASE = '/api/atlas/v2/groups/{groupId}/flexClusters/{name}/backup';

/** The serverless snapshot record seen as a Flex one: same id, same times. */
function asFlexSnapshot(s: ServerlessSnapshotRecord): FlexSnapshotRecord {
  return {
    id: s.id,
    groupId: s.groupId,
    clusterName: s.instanceName,
    mongoDBVersion: s.mongodVersion,
    scheduledTime: s.createdAt,
    startTime: s.startedAt,
    finishTime: s.doneAt,
    expiration: s.expiresAt,
    outcome: s.outcome,
  };
}

function listSnapshots(ctx: HandlerContext, d: FlexDeployment): FlexSnapshotRecord[] {
  const { groupId, name } = d.cluster;
  return d.migratedServerless
    ? ctx.store.listServerlessSnapshots(groupId, name).map(asFlexSnapshot)
    : ctx.store.listFlexSnapshots(groupId, name);
}

function findSnapshot(ctx: HandlerContext, d: FlexDeployment, id: string): FlexSnapshotRecord {
  const { groupId, name } = d.cluster;
  const found = d.migratedServerless
    ? ctx.store.getServerlessSnapshot(groupId, name, id)
    : ctx.store.getFlexSnapshot(groupId, name, id);
  if (!found) throw notFound.snapshot(id, name);
  return 'instanceName' in found ? asFlexSnapshot(found) : found;
}

function completedSnapshot(ctx: HandlerContext, d: FlexDeployment, id: string): FlexSnapshotRecord {
  const snapshot = findSnapshot(ctx, d, id);
  const status = flexSnapshotStatus(snapshot, ctx.now);
  if (status !== 'COMPLETED') throw snapshotNotCompleted(id, status, 'restored or downloaded');
  return snapshot;
}

function newJob(
  ctx: HandlerContext,
  cluster: FlexClusterRecord,
  snapshot: FlexSnapshotRecord,
  fields: Pick<FlexRestoreJobRecord, 'deliveryType'> & Partial<FlexRestoreJobRecord>,
): FlexRestoreJobRecord {
  const runningAt = ctx.now + timings.flexRestoreQueued;
  const failed = ctx.store.takePlannedFailure('flexRestoreJob', cluster.groupId, cluster.name);
  return ctx.store.addFlexRestoreJob({
    id: ctx.ids.objectId(ctx.now),
    groupId: cluster.groupId,
    instanceName: cluster.name,
    snapshotId: snapshot.id,
    snapshotFinishedDate: snapshot.finishTime,
    createdAt: ctx.now,
    runningAt,
    doneAt: runningAt + timings.flexRestoreRunning,
    outcome: failed ? 'failed' : 'succeeded',
    ...fields,
  });
}

/** Flex cluster snapshots, downloads and restore jobs. */
export const flexBackupOperations: Operation[] = [
  {
    operationId: 'listGroupFlexClusterBackupSnapshots',
    method: 'GET',
    path: `${BASE}/snapshots`,
    versions: [V20241113],
    successStatus: 200,
    handle: (ctx) =>
      list(listSnapshots(ctx, requireFlexDeployment(ctx)), (s) => flexSnapshotView(s, ctx.now, ctx.baseUrl)),
  },
  {
    operationId: 'getGroupFlexClusterBackupSnapshot',
    method: 'GET',
    path: `${BASE}/snapshots/{snapshotId}`,
    versions: [V20241113],
    successStatus: 200,
    handle: (ctx) => {
      const snapshot = findSnapshot(ctx, requireFlexDeployment(ctx), param(ctx, 'snapshotId'));
      return object(flexSnapshotView(snapshot, ctx.now, ctx.baseUrl));
    },
  },
  {
    operationId: 'downloadGroupFlexClusterBackup',
    method: 'POST',
    path: `${BASE}/download`,
    versions: [V20241113],
    successStatus: 200,
    handle: (ctx) => {
      const d = requireFlexDeployment(ctx);
      const body = parseBody(flexDownloadBody, ctx.body);
      const snapshot = completedSnapshot(ctx, d, body.snapshotId);
      const job = newJob(ctx, d.cluster, snapshot, {
        deliveryType: 'DOWNLOAD',
        expirationDate: ctx.now + timings.flexDownloadLifetime,
      });
      return object(flexRestoreJobView(job, ctx.now, ctx.baseUrl));
    },
  },
  {
    operationId: 'listGroupFlexClusterBackupRestoreJobs',
    method: 'GET',
    path: `${BASE}/restoreJobs`,
    versions: [V20241113],
    successStatus: 200,
    handle: (ctx) => {
      const c = requireFlexCluster(ctx);
      return list(ctx.store.listFlexRestoreJobs(c.groupId, c.name), (j) =>
        flexRestoreJobView(j, ctx.now, ctx.baseUrl),
      );
    },
  },
  {
    operationId: 'createGroupFlexClusterBackupRestoreJob',
    method: 'POST',
    path: `${BASE}/restoreJobs`,
    versions: [V20241113],
    successStatus: 200,
    handle: (ctx) => {
      const d = requireFlexDeployment(ctx);
      const c = d.cluster;
      const body = parseBody(createFlexRestoreJobBody, ctx.body);
      const snapshot = completedSnapshot(ctx, d, body.snapshotId);
      const targetProjectId = body.targetProjectId ?? c.groupId;
      if (!ctx.store.getProject(targetProjectId)) throw notFound.group(targetProjectId);
      const target = body.targetDeploymentItemName;
      // A Flex snapshot restores into another Flex cluster or a dedicated cluster.
      if (
        !ctx.store.getFlexCluster(targetProjectId, target) &&
        !ctx.store.getCluster(targetProjectId, target)
      ) {
        throw notFound.cluster(targetProjectId, target);
      }
      const job = newJob(ctx, c, snapshot, {
        deliveryType: 'RESTORE',
        targetDeploymentItemName: target,
        targetProjectId,
      });
      return object(flexRestoreJobView(job, ctx.now, ctx.baseUrl));
    },
  },
  {
    operationId: 'getGroupFlexClusterBackupRestoreJob',
    method: 'GET',
    path: `${BASE}/restoreJobs/{restoreJobId}`,
    versions: [V20241113],
    successStatus: 200,
    handle: (ctx) => {
      const c = requireFlexCluster(ctx);
      const id = param(ctx, 'restoreJobId');
      const job = ctx.store.getFlexRestoreJob(c.groupId, c.name, id);
      if (!job) throw notFound.restoreJob(id, c.name);
      return object(flexRestoreJobView(job, ctx.now, ctx.baseUrl));
    },
  },
];
