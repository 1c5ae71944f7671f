import { notFound } from '../http/errors.js';
import { list, object, type HandlerContext, type Operation } from '../http/operation.js';
import { snapshotStatus } from '../model/lifecycle.js';
import { DAY, timings } from '../model/timings.js';
import type { RestoreJobRecord, ServerlessInstanceRecord } from '../model/types.js';
import { serverlessRestoreJobView } from '../views/jobs.js';
import { serverlessSnapshotView } from '../views/snapshots.js';
import { createServerlessRestoreJobBody, restoreRuleViolations } from './bodies.js';
import { param, requireServerless, snapshotNotCompleted, V20230101_SERVERLESS_BACKUP } from './common.js';
import { parseBody, violations } from './validate.js';

const BASE = '/api/atlas/v2/groups/{groupId}/serverless/{clusterName}/backup';
const VERSIONS = [V20230101_SERVERLESS_BACKUP];

/** Serverless instances keep two days of continuous backup for point-in-time restores. */
const SERVERLESS_RESTORE_WINDOW = 2 * DAY;

function createJob(ctx: HandlerContext, instance: ServerlessInstanceRecord): RestoreJobRecord {
  const body = parseBody(createServerlessRestoreJobBody, ctx.body);
  const broken = restoreRuleViolations(body);
  if (broken.length > 0) throw violations(broken);
  let restoredTimestamp: number;
  if (body.deliveryType === 'pointInTime') {
    const field = body.pointInTimeUTCSeconds !== undefined ? 'pointInTimeUTCSeconds' : 'oplogTs';
    restoredTimestamp = (body.pointInTimeUTCSeconds ?? body.oplogTs ?? 0) * 1000;
    if (restoredTimestamp > ctx.now) throw violations([{ field, description: 'must not be in the future' }]);
    if (restoredTimestamp < ctx.now - SERVERLESS_RESTORE_WINDOW) {
      throw violations([{ field, description: 'must be within the 2-day restore window' }]);
    }
  } else {
    const id = body.snapshotId as string;
    const snapshot = ctx.store.getServerlessSnapshot(instance.groupId, instance.name, id);
    if (!snapshot) throw notFound.snapshot(id, instance.name);
    const status = snapshotStatus(snapshot, ctx.now);
    if (status !== 'completed') throw snapshotNotCompleted(id, status, 'restored');
    restoredTimestamp = snapshot.createdAt;
  }
  if (!ctx.store.getProject(body.targetGroupId)) throw notFound.group(body.targetGroupId);
  const target = body.targetClusterName;
  if (
    !ctx.store.getServerlessInstance(body.targetGroupId, target) &&
    !ctx.store.getCluster(body.targetGroupId, target)
  ) {
    throw notFound.cluster(body.targetGroupId, target);
  }
  const failed = ctx.store.takePlannedFailure('serverlessRestoreJob', instance.groupId, instance.name);
  return ctx.store.addServerlessRestoreJob({
    id: ctx.ids.objectId(ctx.now),
    groupId: instance.groupId,
    clusterName: instance.name,
    deliveryType: body.deliveryType,
    ...(body.snapshotId !== undefined ? { snapshotId: body.snapshotId } : {}),
    targetGroupId: body.targetGroupId,
    targetClusterName: target,
    ...(body.pointInTimeUTCSeconds !== undefined
      ? { pointInTimeUTCSeconds: body.pointInTimeUTCSeconds }
      : {}),
    ...(body.oplogTs !== undefined ? { oplogTs: body.oplogTs } : {}),
    ...(body.oplogInc !== undefined ? { oplogInc: body.oplogInc } : {}),
    restoredTimestamp,
    createdAt: ctx.now,
    doneAt: ctx.now + timings.serverlessRestore,
    outcome: failed ? 'failed' : 'succeeded',
    linkLifetimeMs: timings.downloadLinkLifetime,
  });
}

/** Serverless backups: only version 2023-01-01, sunset on 2026-01-22 (410 afterwards). */
export const serverlessBackupOperations: Operation[] = [
  {
    operationId: 'listGroupServerlessBackupSnapshots',
    method: 'GET',
    path: `${BASE}/snapshots`,
    versions: VERSIONS,
    successStatus: 200,
    handle: (ctx) => {
      const s = requireServerless(ctx, 'clusterName');
      return list(ctx.store.listServerlessSnapshots(s.groupId, s.name), (x) =>
        serverlessSnapshotView(x, ctx.now, ctx.baseUrl),
      );
    },
  },
  {
    operationId: 'getGroupServerlessBackupSnapshot',
    method: 'GET',
    path: `${BASE}/snapshots/{snapshotId}`,
    versions: VERSIONS,
    successStatus: 200,
    handle: (ctx) => {
      const s = requireServerless(ctx, 'clusterName');
      const id = param(ctx, 'snapshotId');
      const snapshot = ctx.store.getServerlessSnapshot(s.groupId, s.name, id);
      if (!snapshot) throw notFound.snapshot(id, s.name);
      return object(serverlessSnapshotView(snapshot, ctx.now, ctx.baseUrl));
    },
  },
  {
    operationId: 'listGroupServerlessBackupRestoreJobs',
    method: 'GET',
    path: `${BASE}/restoreJobs`,
    versions: VERSIONS,
    successStatus: 200,
    handle: (ctx) => {
      const s = requireServerless(ctx, 'clusterName');
      return list(ctx.store.listServerlessRestoreJobs(s.groupId, s.name), (j) =>
        serverlessRestoreJobView(j, ctx.now, ctx.baseUrl),
      );
    },
  },
  {
    operationId: 'createGroupServerlessBackupRestoreJob',
    method: 'POST',
    path: `${BASE}/restoreJobs`,
    versions: VERSIONS,
    successStatus: 200,
    handle: (ctx) => {
      const job = createJob(ctx, requireServerless(ctx, 'clusterName'));
      return object(serverlessRestoreJobView(job, ctx.now, ctx.baseUrl));
    },
  },
  {
    operationId: 'getGroupServerlessBackupRestoreJob',
    method: 'GET',
    path: `${BASE}/restoreJobs/{restoreJobId}`,
    versions: VERSIONS,
    successStatus: 200,
    handle: (ctx) => {
      const s = requireServerless(ctx, 'clusterName');
      const id = param(ctx, 'restoreJobId');
      const job = ctx.store.getServerlessRestoreJob(s.groupId, s.name, id);
      if (!job) throw notFound.restoreJob(id, s.name);
      return object(serverlessRestoreJobView(job, ctx.now, ctx.baseUrl));
    },
  },
];
