import { ApiError, notFound } from '../http/errors.js';
import { empty, list, object, type HandlerContext, type Operation } from '../http/operation.js';
import { restorePhase, snapshotStatus } from '../model/lifecycle.js';
import { timings } from '../model/timings.js';
import type { ClusterRecord, RestoreJobRecord } from '../model/types.js';
import { restoreJobView } from '../views/jobs.js';
import { createRestoreJobBody, restoreRuleViolations, type RestoreJobBody } from './bodies.js';
import { checkPointInTime } from './backup-rules.js';
import { param, requireCluster, snapshotNotCompleted, V20230101 } from './common.js';
import { parseBody, violations } from './validate.js';

const BASE = '/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/restoreJobs';

/** The target of an automated or point-in-time restore must be an existing dedicated cluster. */
function requireTarget(ctx: HandlerContext, body: RestoreJobBody): void {
  if (body.targetGroupId === undefined || body.targetClusterName === undefined) return;
  if (!ctx.store.getProject(body.targetGroupId)) throw notFound.group(body.targetGroupId);
  if (!ctx.store.getCluster(body.targetGroupId, body.targetClusterName)) {
    throw notFound.cluster(body.targetGroupId, body.targetClusterName);
  }
}

/** A point in time must lie inside the source cluster's restorable window. */
function pointInTime(ctx: HandlerContext, cluster: ClusterRecord, body: RestoreJobBody): number {
  const field = body.pointInTimeUTCSeconds !== undefined ? 'pointInTimeUTCSeconds' : 'oplogTs';
  return checkPointInTime(ctx, cluster, field, body.pointInTimeUTCSeconds ?? body.oplogTs ?? 0);
}

function createRestoreJob(ctx: HandlerContext): RestoreJobRecord {
  const cluster = requireCluster(ctx);
  const body = parseBody(createRestoreJobBody, ctx.body);
  const broken = restoreRuleViolations(body);
  if (broken.length > 0) throw violations(broken);
  let restoredTimestamp: number;
  if (body.deliveryType === 'pointInTime') {
    restoredTimestamp = pointInTime(ctx, cluster, body);
  } else {
    const snapshotId = body.snapshotId as string;
    const snapshot = ctx.store.getSnapshot(cluster.groupId, cluster.name, snapshotId);
    if (!snapshot) throw notFound.snapshot(snapshotId, cluster.name);
    const status = snapshotStatus(snapshot, ctx.now);
    if (status !== 'completed') throw snapshotNotCompleted(snapshotId, status, 'restored');
    restoredTimestamp = snapshot.createdAt;
  }
  requireTarget(ctx, body);
  const sharded = cluster.kind === 'sharded';
  const duration =
    body.deliveryType === 'download'
      ? timings.restoreDownloadReady
      : body.deliveryType === 'pointInTime'
        ? timings.restorePointInTime
        : timings.restoreAutomated[sharded ? 'shardedCluster' : 'replicaSet'];
  const failed = ctx.store.takePlannedFailure('restoreJob', cluster.groupId, cluster.name);
  const job: RestoreJobRecord = {
    id: ctx.ids.objectId(ctx.now),
    groupId: cluster.groupId,
    clusterName: cluster.name,
    deliveryType: body.deliveryType,
    ...(body.snapshotId !== undefined ? { snapshotId: body.snapshotId } : {}),
    ...(body.targetGroupId !== undefined ? { targetGroupId: body.targetGroupId } : {}),
    ...(body.targetClusterName !== undefined ? { targetClusterName: body.targetClusterName } : {}),
    ...(body.pointInTimeUTCSeconds !== undefined
      ? { pointInTimeUTCSeconds: body.pointInTimeUTCSeconds }
      : {}),
    ...(body.oplogTs !== undefined ? { oplogTs: body.oplogTs } : {}),
    ...(body.oplogInc !== undefined ? { oplogInc: body.oplogInc } : {}),
    restoredTimestamp,
    createdAt: ctx.now,
    doneAt: ctx.now + duration,
    outcome: failed ? 'failed' : 'succeeded',
    linkLifetimeMs: timings.downloadLinkLifetime,
    ...(sharded && body.deliveryType === 'download'
      ? { shardNames: cluster.shards.map((s) => s.replicaSetName) }
      : {}),
  };
  return ctx.store.addRestoreJob(job);
}

function requireRestoreJob(ctx: HandlerContext, cluster: ClusterRecord): RestoreJobRecord {
  const id = param(ctx, 'restoreJobId');
  const job = ctx.store.getRestoreJob(cluster.groupId, cluster.name, id);
  if (!job) throw notFound.restoreJob(id, cluster.name);
  return job;
}

/** Restore jobs of dedicated clusters: automated, download and point-in-time. */
export const restoreOperations: Operation[] = [
  {
    operationId: 'listGroupClusterBackupRestoreJobs',
    method: 'GET',
    path: BASE,
    versions: [V20230101],
    successStatus: 200,
    handle: (ctx) => {
      const cluster = requireCluster(ctx);
      return list(ctx.store.listRestoreJobs(cluster.groupId, cluster.name), (j) =>
        restoreJobView(j, ctx.now, ctx.baseUrl),
      );
    },
  },
  {
    operationId: 'createGroupClusterBackupRestoreJob',
    method: 'POST',
    path: BASE,
    versions: [V20230101],
    successStatus: 200,
    handle: (ctx) => object(restoreJobView(createRestoreJob(ctx), ctx.now, ctx.baseUrl)),
  },
  {
    operationId: 'getGroupClusterBackupRestoreJob',
    method: 'GET',
    path: `${BASE}/{restoreJobId}`,
    versions: [V20230101],
    successStatus: 200,
    handle: (ctx) =>
      object(restoreJobView(requireRestoreJob(ctx, requireCluster(ctx)), ctx.now, ctx.baseUrl)),
  },
  {
    operationId: 'cancelGroupClusterBackupRestoreJob',
    method: 'DELETE',
    path: `${BASE}/{restoreJobId}`,
    versions: [V20230101],
    successStatus: 204,
    handle: (ctx) => {
      const cluster = requireCluster(ctx);
      const job = requireRestoreJob(ctx, cluster);
      if (cluster.kind === 'sharded') {
        // Atlas does not cancel sharded cluster restores through the API, whatever their state.
        throw new ApiError(
          405,
          'ATLAS_BACKUP_CANCEL_SHARD_RESTORE_JOB_NOT_ALLOWED',
          `Restore job ${job.id} of sharded cluster ${cluster.name} cannot be cancelled.`,
          { headers: { Allow: 'GET' } },
        );
      }
      const phase = restorePhase(job, ctx.now);
      if (phase !== 'pending') {
        const state =
          phase === 'succeeded'
            ? 'already finished'
            : phase === 'failed'
              ? 'already failed'
              : 'already been cancelled';
        throw new ApiError(
          400,
          'CANNOT_CANCEL_RESTORE_JOB',
          `Restore job ${job.id} has ${state} and cannot be cancelled.`,
        );
      }
      job.cancelledAt = ctx.now;
      return empty;
    },
  },
];
