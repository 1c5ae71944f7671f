import { ApiError, notFound } from '../http/errors.js';
import { list, object, type HandlerContext, type Operation } from '../http/operation.js';
import { collectionProgress, collectionRestoreState } from '../model/collection-restore.js';
import { snapshotStatus } from '../model/lifecycle.js';
import { liveAt, namespaceOf, splitNamespace } from '../model/namespaces.js';
import { timings } from '../model/timings.js';
import type { CollectionRestoreJobRecord } from '../model/types.js';
import { collectionRestoreJobView, collectionStateView } from '../views/collection-restores.js';
import { iso } from '../views/format.js';
import { createCollectionRestoreJobBody } from './bodies.js';
import { checkPointInTime } from './backup-rules.js';
import {
  effectiveTargets,
  given,
  normalized,
  resolveItems,
  shapeViolations,
  suffixOf,
  targetViolations,
} from './collection-restore-request.js';
import { param, requireCluster, snapshotNotCompleted } from './common.js';
import { parseBody, violations } from './validate.js';

const BASE = '/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/collectionRestoreJobs';
const VERSIONS = [{ date: '2025-03-12' }];
const ITEM_STATES = new Set([
  'NOT_STARTED',
  'IN_PROGRESS',
  'FINALIZING',
  'NOT_FOUND',
  'UNSUPPORTED',
  'SUCCESSFUL',
  'ROLLBACK',
  'NOT_RESTORED',
  'FAILED',
  'INDEX_BUILD_FAILED',
]);

function createJob(ctx: HandlerContext): CollectionRestoreJobRecord {
  const source = requireCluster(ctx);
  const body = parseBody(createCollectionRestoreJobBody, ctx.body);
  const broken = shapeViolations(body);
  if (broken.length > 0) throw violations(broken);
  const request = normalized(body);

  let at: number;
  let what: string;
  if (body.snapshotId !== undefined) {
    const snapshot = ctx.store.getSnapshot(source.groupId, source.name, body.snapshotId);
    if (!snapshot) throw notFound.snapshot(body.snapshotId, source.name);
    const status = snapshotStatus(snapshot, ctx.now);
    if (status !== 'completed') throw snapshotNotCompleted(snapshot.id, status, 'restored');
    at = snapshot.createdAt;
    what = `snapshot ${snapshot.id} (taken ${iso(at)})`;
  } else {
    const field = given(body.pointInTimeUtcSeconds) ? 'pointInTimeUtcSeconds' : 'oplogTs';
    at = checkPointInTime(ctx, source, field, body.pointInTimeUtcSeconds ?? body.oplogTs ?? 0);
    what = `${source.name} at ${iso(at)}`;
  }

  if (!ctx.store.getProject(body.targetGroupId)) throw notFound.group(body.targetGroupId);
  const target = ctx.store.getCluster(body.targetGroupId, body.targetClusterName);
  if (!target) throw notFound.cluster(body.targetGroupId, body.targetClusterName);

  const resolved = resolveItems(source, at, request, what);
  const badTargets = targetViolations(resolved);
  if (badTargets.length > 0) throw violations(badTargets);
  const pending = ctx.store.pendingCollectionRestoresInto(target.groupId, target.name);
  for (const job of pending) {
    const busy = new Set(job.items.flatMap((i) => [i.targetNamespace, i.effectiveTargetNamespace]));
    const clash = resolved.find((i) => busy.has(i.targetNamespace));
    if (clash) {
      throw new ApiError(
        409,
        'COLLECTION_RESTORE_ALREADY_IN_PROGRESS',
        `Collection restore job ${job.id} is still writing ${clash.targetNamespace} on ${target.name}; wait until it finishes.`,
      );
    }
  }
  const items = effectiveTargets(target, ctx.now, pending, body.writeStrategy, resolved);

  const id = ctx.ids.objectId(ctx.now);
  const t = timings.collectionRestore;
  const copyStartsAt = ctx.now + t.initializing;
  const copyEndsAt = copyStartsAt + t.copying;
  const failed = ctx.store.takePlannedFailure('collectionRestoreJob', source.groupId, source.name);
  const indexFailure =
    body.indexStrategy === 'NONE'
      ? undefined
      : ctx.store.takePlannedIndexFailure(
          source.groupId,
          source.name,
          items.filter((i) => i.supported).map((i) => i.sourceNamespace),
        );
  const job: CollectionRestoreJobRecord = {
    id,
    groupId: source.groupId,
    clusterName: source.name,
    ...(body.snapshotId !== undefined ? { snapshotId: body.snapshotId } : {}),
    ...(given(body.pointInTimeUtcSeconds) ? { pointInTimeUtcSeconds: body.pointInTimeUtcSeconds } : {}),
    ...(given(body.oplogTs) ? { oplogTs: body.oplogTs } : {}),
    ...(given(body.oplogInc) ? { oplogInc: body.oplogInc } : {}),
    targetGroupId: target.groupId,
    targetClusterName: target.name,
    writeStrategy: body.writeStrategy,
    indexStrategy: body.indexStrategy,
    databases: request.databases,
    collections: request.collections,
    databaseSuffix: suffixOf(body.databaseSuffix),
    collectionSuffix: suffixOf(body.collectionSuffix),
    items,
    createdAt: ctx.now,
    copyStartsAt,
    copyEndsAt,
    doneAt: copyEndsAt + t.finalizing,
    ...(failed
      ? { failsAt: copyStartsAt + Math.round(t.copying * timings.collectionRestoreFailsAfter) }
      : {}),
    ...(indexFailure !== undefined ? { indexFailureNamespace: indexFailure } : {}),
  };
  if (!failed) {
    // What it creates shows on the target once the job is done (and in its later snapshots).
    for (const item of items) {
      if (
        !item.supported ||
        target.namespaces.some((r) => liveAt(r, ctx.now) && namespaceOf(r) === item.effectiveTargetNamespace)
      )
        continue;
      const parts = splitNamespace(item.effectiveTargetNamespace);
      if (!parts) continue;
      target.namespaces.push({
        ...parts,
        documents: item.documents,
        createdAt: job.doneAt,
        kind: 'collection',
        restoredBy: id,
      });
    }
  }
  return ctx.store.addCollectionRestoreJob(job);
}

function requireJob(ctx: HandlerContext): CollectionRestoreJobRecord {
  const cluster = requireCluster(ctx);
  const id = param(ctx, 'jobId');
  const job = ctx.store.getCollectionRestoreJob(cluster.groupId, cluster.name, id);
  if (!job) {
    throw new ApiError(
      404,
      'COLLECTION_RESTORE_JOB_NOT_FOUND',
      `No collection restore job with ID ${id} exists for cluster ${cluster.name}.`,
    );
  }
  return job;
}

function stateFilter(query: URLSearchParams): string | undefined {
  const state = query.get('state');
  if (state === null || ITEM_STATES.has(state)) return state ?? undefined;
  throw new ApiError(400, 'INVALID_QUERY_PARAMETER', `Invalid query parameter state: ${state}.`, {
    fields: [{ field: 'state', description: `must be one of ${[...ITEM_STATES].join(', ')}` }],
  });
}

/** Collection- and database-level restore jobs (API version 2025-03-12). */
export const collectionRestoreOperations: Operation[] = [
  {
    operationId: 'listGroupClusterCollectionRestoreJobs',
    method: 'GET',
    path: BASE,
    versions: VERSIONS,
    successStatus: 200,
    handle: (ctx) => {
      const cluster = requireCluster(ctx);
      return list(ctx.store.listCollectionRestoreJobs(cluster.groupId, cluster.name), (j) =>
        collectionRestoreJobView(j, ctx.now),
      );
    },
  },
  {
    operationId: 'createGroupClusterCollectionRestoreJob',
    method: 'POST',
    path: BASE,
    versions: VERSIONS,
    successStatus: 201,
    handle: (ctx) => object(collectionRestoreJobView(createJob(ctx), ctx.now)),
  },
  {
    operationId: 'getGroupClusterCollectionRestoreJob',
    method: 'GET',
    path: `${BASE}/{jobId}`,
    versions: VERSIONS,
    successStatus: 200,
    handle: (ctx) => object(collectionRestoreJobView(requireJob(ctx), ctx.now)),
  },
  {
    operationId: 'listGroupClusterCollectionRestoreJobCollections',
    method: 'GET',
    path: `${BASE}/{jobId}/collections`,
    versions: VERSIONS,
    successStatus: 200,
    handle: (ctx) => {
      const job = requireJob(ctx);
      const state = stateFilter(ctx.query);
      const source = ctx.query.get('sourceNamespace');
      const target = ctx.query.get('targetNamespace');
      const states = collectionProgress(job, ctx.now).filter(
        (p) =>
          (state === undefined || p.state === state) &&
          (source === null || p.item.sourceNamespace === source) &&
          (target === null || p.item.targetNamespace === target),
      );
      return list(states, (p) => collectionStateView(p));
    },
  },
  {
    operationId: 'getGroupClusterCollectionRestoreJobCollection',
    method: 'GET',
    path: `${BASE}/{jobId}/collections/{sourceNamespace}`,
    versions: VERSIONS,
    successStatus: 200,
    handle: (ctx) => {
      const job = requireJob(ctx);
      const namespace = param(ctx, 'sourceNamespace');
      const found = collectionProgress(job, ctx.now).find((p) => p.item.sourceNamespace === namespace);
      if (!found) {
        const initializing = collectionRestoreState(job, ctx.now) === 'INITIALIZING';
        throw new ApiError(
          404,
          'NAMESPACE_NOT_FOUND',
          initializing && job.items.some((i) => i.sourceNamespace === namespace)
            ? `Collection restore job ${job.id} is INITIALIZING; its collection states do not exist yet.`
            : `Collection restore job ${job.id} does not restore ${namespace}.`,
        );
      }
      return object(collectionStateView(found));
    },
  },
];
