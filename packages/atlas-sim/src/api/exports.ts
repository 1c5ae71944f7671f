import { notFound } from '../http/errors.js';
import { list, object, type HandlerContext, type Operation } from '../http/operation.js';
import { snapshotStatus } from '../model/lifecycle.js';
import { timings } from '../model/timings.js';
import type { ExportJobRecord } from '../model/types.js';
import { exportBucketView } from '../views/deployments.js';
import { exportJobView } from '../views/jobs.js';
import { createExportBody } from './bodies.js';
import {
  param,
  requireCluster,
  requireProject,
  snapshotNotCompleted,
  V20230101,
  V20230101_UNTIL_2027_07,
} from './common.js';
import { parseBody } from './validate.js';

const G = '/api/atlas/v2/groups/{groupId}';
const EXPORTS = `${G}/clusters/{clusterName}/backup/exports`;
const BUCKETS = `${G}/backup/exportBuckets`;
const BUCKET_VERSIONS = [V20230101_UNTIL_2027_07, { date: '2024-05-30' }];

function createExport(ctx: HandlerContext): ExportJobRecord {
  const cluster = requireCluster(ctx);
  const body = parseBody(createExportBody, ctx.body);
  if (!ctx.store.getExportBucket(cluster.groupId, body.exportBucketId))
    throw notFound.exportBucket(body.exportBucketId);
  const snapshot = ctx.store.getSnapshot(cluster.groupId, cluster.name, body.snapshotId);
  if (!snapshot) throw notFound.snapshot(body.snapshotId, cluster.name);
  const status = snapshotStatus(snapshot, ctx.now);
  if (status !== 'completed') throw snapshotNotCompleted(snapshot.id, status, 'exported');
  const startedAt = ctx.now + timings.exportQueued;
  const failed = ctx.store.takePlannedFailure('exportJob', cluster.groupId, cluster.name);
  const job: ExportJobRecord = {
    id: ctx.ids.objectId(ctx.now),
    groupId: cluster.groupId,
    clusterName: cluster.name,
    snapshotId: snapshot.id,
    exportBucketId: body.exportBucketId,
    customData: body.customData ?? [],
    createdAt: ctx.now,
    startedAt,
    doneAt: startedAt + timings.exportRunning,
    outcome: failed ? 'failed' : 'succeeded',
    totalCollections: ctx.rng.int(8, 64),
    ...(cluster.kind === 'sharded'
      ? {
          components: cluster.shards.map((s) => ({
            exportId: ctx.ids.objectId(ctx.now),
            replicaSetName: s.replicaSetName,
          })),
        }
      : {}),
  };
  return ctx.store.addExportJob(job);
}

/** Snapshot export jobs and the export buckets they write to. */
export const exportOperations: Operation[] = [
  {
    operationId: 'listGroupClusterBackupExports',
    method: 'GET',
    path: EXPORTS,
    versions: [V20230101],
    successStatus: 200,
    handle: (ctx) => {
      const cluster = requireCluster(ctx);
      return list(ctx.store.listExportJobs(cluster.groupId, cluster.name), (j) =>
        exportJobView(j, ctx.now, ctx.baseUrl),
      );
    },
  },
  {
    operationId: 'createGroupClusterBackupExport',
    method: 'POST',
    path: EXPORTS,
    versions: [V20230101],
    successStatus: 200,
    handle: (ctx) => object(exportJobView(createExport(ctx), ctx.now, ctx.baseUrl)),
  },
  {
    operationId: 'getGroupClusterBackupExport',
    method: 'GET',
    path: `${EXPORTS}/{exportId}`,
    versions: [V20230101],
    successStatus: 200,
    handle: (ctx) => {
      const cluster = requireCluster(ctx);
      const id = param(ctx, 'exportId');
      const job = ctx.store.getExportJob(cluster.groupId, cluster.name, id);
      if (!job) throw notFound.exportJob(id, cluster.name);
      return object(exportJobView(job, ctx.now, ctx.baseUrl));
    },
  },
  {
    operationId: 'listGroupBackupExportBuckets',
    method: 'GET',
    path: BUCKETS,
    versions: BUCKET_VERSIONS,
    successStatus: 200,
    handle: (ctx) => {
      const project = requireProject(ctx);
      return list(ctx.store.listExportBuckets(project.id), (b) => exportBucketView(b, ctx.baseUrl));
    },
  },
  {
    operationId: 'getGroupBackupExportBucket',
    method: 'GET',
    path: `${BUCKETS}/{exportBucketId}`,
    versions: BUCKET_VERSIONS,
    successStatus: 200,
    handle: (ctx) => {
      const project = requireProject(ctx);
      const id = param(ctx, 'exportBucketId');
      const bucket = ctx.store.getExportBucket(project.id, id);
      if (!bucket) throw notFound.exportBucket(id);
      return object(exportBucketView(bucket, ctx.baseUrl));
    },
  },
];
