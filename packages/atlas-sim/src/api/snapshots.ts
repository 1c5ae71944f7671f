import { ApiError, notFound } from '../http/errors.js';
import { empty, list, object, type HandlerContext, type Operation } from '../http/operation.js';
import { optionalIntegerQuery } from '../http/query.js';
import { isSnapshotPending, snapshotStatus } from '../model/lifecycle.js';
import { addRetention } from '../model/retention.js';
import { timings } from '../model/timings.js';
import type { ClusterRecord, SnapshotRecord } from '../model/types.js';
import { shardedSnapshotView, snapshotView, takenSnapshotView } from '../views/snapshots.js';
import { takeSnapshotBody, updateSnapshotBody } from './bodies.js';
import { checkRetentionFloor, checkSnapshotDeletion } from './backup-rules.js';
import { param, requireCluster, snapshotNotCompleted, V20230101 } from './common.js';
import { parseBody, violations } from './validate.js';

const BASE = '/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/snapshots';

function requireSnapshot(ctx: HandlerContext, cluster: ClusterRecord): SnapshotRecord {
  const id = param(ctx, 'snapshotId');
  const snapshot = ctx.store.getSnapshot(cluster.groupId, cluster.name, id);
  if (!snapshot) throw notFound.snapshot(id, cluster.name);
  return snapshot;
}

function activeOnDemand(ctx: HandlerContext, cluster: ClusterRecord): SnapshotRecord | undefined {
  return ctx.store
    .listSnapshots(cluster.groupId, cluster.name)
    .find((s) => s.snapshotType === 'onDemand' && isSnapshotPending(s, ctx.now));
}

function takeSnapshot(ctx: HandlerContext): SnapshotRecord {
  const cluster = requireCluster(ctx);
  const body = parseBody(takeSnapshotBody, ctx.body);
  const running = activeOnDemand(ctx, cluster);
  if (running) {
    throw new ApiError(
      409,
      'SNAPSHOT_ALREADY_IN_PROGRESS',
      `Cluster ${cluster.name} already has on-demand snapshot ${running.id} ${snapshotStatus(running, ctx.now)}; wait until it completes.`,
    );
  }
  const type = cluster.kind === 'sharded' ? 'shardedCluster' : 'replicaSet';
  const now = ctx.now;
  const startedAt = now + timings.snapshotQueued;
  const retentionDays = body.retentionInDays ?? timings.defaultOnDemandRetentionDays;
  checkRetentionFloor(
    ctx,
    cluster.groupId,
    { snapshotType: 'onDemand', createdAt: now },
    addRetention(now, 'DAYS', retentionDays),
    'retentionInDays',
  );
  const failed = ctx.store.takePlannedFailure('snapshot', cluster.groupId, cluster.name);
  const id = ctx.ids.objectId(now);
  const snapshot: SnapshotRecord = {
    id,
    groupId: cluster.groupId,
    clusterName: cluster.name,
    type,
    snapshotType: 'onDemand',
    policyItemIds: [],
    ...(body.description !== undefined ? { description: body.description } : {}),
    cloudProvider: cluster.provider,
    mongodVersion: cluster.mongoDBVersion,
    ...(type === 'replicaSet'
      ? { replicaSetName: cluster.shards[0]?.replicaSetName }
      : {
          configServerType: 'EMBEDDED' as const,
          members: cluster.shards.map((s) => ({
            id: ctx.ids.objectId(now),
            replicaSetName: s.replicaSetName,
            cloudProvider: cluster.provider,
          })),
        }),
    createdAt: now,
    startedAt,
    doneAt: startedAt + timings.snapshotRunning[type],
    outcome: failed ? 'failed' : 'succeeded',
    expiresAt: addRetention(now, 'DAYS', retentionDays),
    storageSizeBytes: Math.round(cluster.dataSizeBytes * (0.98 + ctx.rng.next() * 0.04)),
  };
  return ctx.store.addSnapshot(snapshot);
}

/** Cloud backup snapshots of dedicated clusters (replica sets and sharded clusters). */
export const snapshotOperations: Operation[] = [
  {
    operationId: 'takeGroupClusterBackupSnapshots',
    method: 'POST',
    path: BASE,
    versions: [V20230101],
    successStatus: 200,
    handle: (ctx) => object(takenSnapshotView(takeSnapshot(ctx), ctx.now, ctx.baseUrl)),
  },
  {
    operationId: 'listGroupClusterBackupSnapshots',
    method: 'GET',
    path: BASE,
    versions: [V20230101],
    successStatus: 200,
    handle: (ctx) => {
      const cluster = requireCluster(ctx);
      for (const name of ['pointInTimeUtcSeconds', 'oplogTs', 'oplogInc'])
        optionalIntegerQuery(ctx.query, name);
      const snapshots = ctx.store.listSnapshots(cluster.groupId, cluster.name);
      return list(snapshots, (s) => snapshotView(s, ctx.now, ctx.baseUrl));
    },
  },
  {
    operationId: 'getGroupClusterBackupSnapshot',
    method: 'GET',
    path: `${BASE}/{snapshotId}`,
    versions: [V20230101],
    successStatus: 200,
    handle: (ctx) => object(snapshotView(requireSnapshot(ctx, requireCluster(ctx)), ctx.now, ctx.baseUrl)),
  },
  {
    operationId: 'updateGroupClusterBackupSnapshot',
    method: 'PATCH',
    path: `${BASE}/{snapshotId}`,
    versions: [V20230101],
    successStatus: 200,
    handle: (ctx) => {
      const snapshot = requireSnapshot(ctx, requireCluster(ctx));
      const body = parseBody(updateSnapshotBody, ctx.body);
      const status = snapshotStatus(snapshot, ctx.now);
      if (status !== 'completed') throw snapshotNotCompleted(snapshot.id, status, 'given a new retention');
      // Atlas counts retention from when the snapshot was taken, not from the update.
      const expiresAt = addRetention(snapshot.createdAt, body.retentionUnit, body.retentionValue);
      if (expiresAt <= ctx.now) {
        throw violations([
          {
            field: 'retentionValue',
            description: `${body.retentionValue} ${body.retentionUnit} from the snapshot's creation is already past`,
          },
        ]);
      }
      checkRetentionFloor(ctx, snapshot.groupId, snapshot, expiresAt, 'retentionValue');
      snapshot.expiresAt = expiresAt;
      return object(snapshotView(snapshot, ctx.now, ctx.baseUrl));
    },
  },
  {
    operationId: 'deleteGroupClusterBackupSnapshot',
    method: 'DELETE',
    path: `${BASE}/{snapshotId}`,
    versions: [V20230101],
    successStatus: 204,
    handle: (ctx) => deleteSnapshot(ctx),
  },
  {
    operationId: 'listGroupClusterBackupSnapshotShardedClusters',
    method: 'GET',
    path: `${BASE}/shardedClusters`,
    versions: [V20230101],
    successStatus: 200,
    handle: (ctx) => {
      const cluster = requireCluster(ctx);
      const snapshots = ctx.store
        .listSnapshots(cluster.groupId, cluster.name)
        .filter((s) => s.type === 'shardedCluster');
      return list(snapshots, (s) => shardedSnapshotView(s, ctx.now, ctx.baseUrl));
    },
  },
  {
    operationId: 'getGroupClusterBackupSnapshotShardedCluster',
    method: 'GET',
    path: `${BASE}/shardedCluster/{snapshotId}`,
    versions: [V20230101],
    successStatus: 200,
    handle: (ctx) => {
      const cluster = requireCluster(ctx);
      const snapshot = requireSnapshot(ctx, cluster);
      if (snapshot.type !== 'shardedCluster') throw notFound.snapshot(snapshot.id, cluster.name);
      return object(shardedSnapshotView(snapshot, ctx.now, ctx.baseUrl));
    },
  },
  {
    operationId: 'deleteGroupClusterBackupSnapshotShardedCluster',
    method: 'DELETE',
    path: `${BASE}/shardedCluster/{snapshotId}`,
    versions: [V20230101],
    successStatus: 204,
    handle: (ctx) => deleteSnapshot(ctx, 'shardedCluster'),
  },
];

function deleteSnapshot(ctx: HandlerContext, only?: 'shardedCluster'): typeof empty {
  const cluster = requireCluster(ctx);
  const snapshot = requireSnapshot(ctx, cluster);
  if (only && snapshot.type !== only) throw notFound.snapshot(snapshot.id, cluster.name);
  const status = snapshotStatus(snapshot, ctx.now);
  if (status === 'queued' || status === 'inProgress')
    throw snapshotNotCompleted(snapshot.id, status, 'deleted');
  checkSnapshotDeletion(ctx, cluster, snapshot);
  ctx.store.deleteSnapshot(cluster.groupId, cluster.name, snapshot.id);
  return empty;
}
