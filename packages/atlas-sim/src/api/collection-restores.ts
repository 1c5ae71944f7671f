import { ApiError, notFound, type FieldViolation } from '../http/errors.js';
import { list, object, type HandlerContext, type Operation } from '../http/operation.js';
import { collectionProgress, collectionRestoreState } from '../model/collection-restore.js';
import { snapshotStatus } from '../model/lifecycle.js';
import {
  collectionsAt,
  databaseNameProblem,
  findNamespace,
  liveAt,
  namespaceOf,
  namespaceProblem,
  RESERVED_DATABASES,
  splitNamespace,
} from '../model/namespaces.js';
import { timings } from '../model/timings.js';
import type {
  ClusterRecord,
  CollectionRestoreItem,
  CollectionRestoreJobRecord,
  RestoreNamespaceRequest,
} from '../model/types.js';
import { collectionStateView, collectionRestoreJobView } from '../views/collection-restores.js';
import { iso } from '../views/format.js';
import { createCollectionRestoreJobBody, type CollectionRestoreJobBody } from './bodies.js';
import { checkPointInTime } from './backup-rules.js';
import { param, requireCluster, snapshotNotCompleted } from './common.js';
import { parseBody, violations } from './validate.js';

const BASE = '/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/collectionRestoreJobs';
const VERSIONS = [{ date: '2025-03-12' }];
const SUFFIX = /^[\p{L}\p{N}_-]{1,32}$/u;
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

/** `''` and `null` both mean "no suffix", as the contract's example answers show. */
const suffixOf = (value: string | null | undefined): string => value ?? '';
const given = <T>(value: T | null | undefined): value is T => value !== undefined && value !== null;

/** The request's shape: scope, source (snapshot or point in time), names and suffixes. */
function shapeViolations(body: CollectionRestoreJobBody): FieldViolation[] {
  const out: FieldViolation[] = [];
  const databases = body.databases ?? [];
  const collections = body.collections ?? [];
  if (databases.length > 0 && collections.length > 0) {
    out.push({
      field: 'databases',
      description: 'cannot be combined with collections: restore either databases or collections',
    });
  } else if (databases.length === 0 && collections.length === 0) {
    out.push({
      field: 'collections',
      description: 'or databases must name at least one namespace to restore',
    });
  }

  const pit = given(body.pointInTimeUtcSeconds);
  const ts = given(body.oplogTs);
  const inc = given(body.oplogInc);
  if (body.snapshotId !== undefined && (pit || ts || inc)) {
    out.push({
      field: 'snapshotId',
      description: 'cannot be combined with pointInTimeUtcSeconds, oplogTs or oplogInc',
    });
  } else if (body.snapshotId === undefined && !pit && !ts && !inc) {
    out.push({
      field: 'snapshotId',
      description: 'or pointInTimeUtcSeconds (or oplogTs and oplogInc) is required',
    });
  } else if (pit && (ts || inc)) {
    out.push({ field: 'pointInTimeUtcSeconds', description: 'cannot be combined with oplogTs and oplogInc' });
  } else if (ts !== inc) {
    out.push(
      ts
        ? { field: 'oplogInc', description: 'is required with oplogTs' }
        : { field: 'oplogTs', description: 'is required with oplogInc' },
    );
  }

  const databaseSuffix = suffixOf(body.databaseSuffix);
  const collectionSuffix = suffixOf(body.collectionSuffix);
  for (const [field, suffix] of [
    ['databaseSuffix', databaseSuffix],
    ['collectionSuffix', collectionSuffix],
  ] as const) {
    if (suffix !== '' && !SUFFIX.test(suffix))
      out.push({ field, description: 'must be 1 to 32 letters, digits, "_" or "-"' });
  }
  if (collectionSuffix !== '' && databases.length > 0)
    out.push({
      field: 'collectionSuffix',
      description: 'applies only when restoring collections; use databaseSuffix',
    });

  const scope = collections.length > 0 ? 'collections' : 'databases';
  const items = collections.length > 0 ? collections : databases;
  const problemOf = scope === 'collections' ? namespaceProblem : databaseNameProblem;
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const problem = problemOf(item.sourceNamespace);
    if (problem) out.push({ field: `${scope}[${i}].sourceNamespace`, description: problem });
    const first = seen.get(item.sourceNamespace);
    if (first !== undefined)
      out.push({ field: `${scope}[${i}].sourceNamespace`, description: `repeats ${scope}[${first}]` });
    else seen.set(item.sourceNamespace, i);
    const target = item.targetNamespace ?? '';
    if (target === '') return;
    const targetProblem = problemOf(target);
    if (targetProblem) out.push({ field: `${scope}[${i}].targetNamespace`, description: targetProblem });
    if (databaseSuffix !== '' || collectionSuffix !== '')
      out.push({
        field: `${scope}[${i}].targetNamespace`,
        description: 'cannot be combined with databaseSuffix or collectionSuffix',
      });
  });
  return out;
}

/** The request's items with their targets filled in (the source, suffixed, when none was given). */
function normalized(body: CollectionRestoreJobBody): {
  databases: RestoreNamespaceRequest[];
  collections: RestoreNamespaceRequest[];
} {
  const dbSuffix = suffixOf(body.databaseSuffix);
  const collSuffix = suffixOf(body.collectionSuffix);
  const target = (
    item: { sourceNamespace: string; targetNamespace?: string | undefined },
    suffixed: string,
  ) => (item.targetNamespace !== undefined && item.targetNamespace !== '' ? item.targetNamespace : suffixed);
  return {
    databases: (body.databases ?? []).map((d) => ({
      sourceNamespace: d.sourceNamespace,
      targetNamespace: target(d, `${d.sourceNamespace}${dbSuffix}`),
    })),
    collections: (body.collections ?? []).map((c) => {
      const parts = splitNamespace(c.sourceNamespace) ?? { database: '', collection: c.sourceNamespace };
      return {
        sourceNamespace: c.sourceNamespace,
        targetNamespace: target(c, `${parts.database}${dbSuffix}.${parts.collection}${collSuffix}`),
      };
    }),
  };
}

/**
 * One item per collection copied. Every named collection (or every collection of a named
 * database) must exist at the instant restored from; time-series collections named outright
 * are refused, those inside a database are carried as UNSUPPORTED.
 */
function resolveItems(
  cluster: ClusterRecord,
  at: number,
  request: { databases: RestoreNamespaceRequest[]; collections: RestoreNamespaceRequest[] },
  what: string,
): Omit<CollectionRestoreItem, 'effectiveTargetNamespace'>[] {
  const missing: FieldViolation[] = [];
  const unsupported: FieldViolation[] = [];
  const items: Omit<CollectionRestoreItem, 'effectiveTargetNamespace'>[] = [];
  request.collections.forEach((c, i) => {
    const found = findNamespace(cluster, at, c.sourceNamespace);
    const field = `collections[${i}].sourceNamespace`;
    if (!found) missing.push({ field, description: `${c.sourceNamespace} is not in ${what}` });
    else if (found.kind !== 'collection')
      unsupported.push({
        field,
        description: `${c.sourceNamespace} is a time-series collection, which collection restores do not support`,
      });
    else
      items.push({
        sourceNamespace: c.sourceNamespace,
        targetNamespace: c.targetNamespace ?? c.sourceNamespace,
        documents: found.documents,
        supported: true,
      });
  });
  request.databases.forEach((d, i) => {
    const found = collectionsAt(cluster, at, d.sourceNamespace);
    if (found.length === 0)
      missing.push({
        field: `databases[${i}].sourceNamespace`,
        description: `database ${d.sourceNamespace} is not in ${what}`,
      });
    for (const r of found) {
      items.push({
        sourceNamespace: namespaceOf(r),
        targetNamespace: `${d.targetNamespace ?? d.sourceNamespace}.${r.collection}`,
        documents: r.documents,
        supported: r.kind === 'collection',
      });
    }
  });
  if (missing.length > 0) {
    throw new ApiError(400, 'NAMESPACE_NOT_IN_SNAPSHOT', missing.map((f) => f.description).join('; ') + '.', {
      fields: missing,
    });
  }
  if (unsupported.length > 0) {
    throw new ApiError(400, 'UNSUPPORTED_NAMESPACE', unsupported.map((f) => f.description).join('; ') + '.', {
      fields: unsupported,
    });
  }
  return items;
}

/** Targets the items would write (and the suffixes made) must be valid and distinct. */
function targetViolations(
  items: readonly Omit<CollectionRestoreItem, 'effectiveTargetNamespace'>[],
): FieldViolation[] {
  const out: FieldViolation[] = [];
  const seen = new Map<string, string>();
  for (const item of items) {
    const field = 'targetNamespace';
    const problem = namespaceProblem(item.targetNamespace);
    if (problem)
      out.push({ field, description: `${item.targetNamespace} (for ${item.sourceNamespace}) ${problem}` });
    const db = splitNamespace(item.targetNamespace)?.database ?? '';
    if (RESERVED_DATABASES.has(db))
      out.push({
        field,
        description: `${item.targetNamespace}: Atlas does not restore into the ${db} database`,
      });
    const other = seen.get(item.targetNamespace);
    if (other !== undefined)
      out.push({
        field,
        description: `${item.sourceNamespace} and ${other} would both be written to ${item.targetNamespace}`,
      });
    else seen.set(item.targetNamespace, item.sourceNamespace);
  }
  return out;
}

/**
 * Where each collection really lands. CREATE_NEW never touches existing data: a target that
 * exists (or that an unfinished restore is about to create) is renamed `<collection>_<n>`;
 * OVERWRITE_EXISTING drops and replaces it.
 */
function effectiveTargets(
  target: ClusterRecord,
  now: number,
  pending: readonly CollectionRestoreJobRecord[],
  writeStrategy: CollectionRestoreJobRecord['writeStrategy'],
  items: readonly Omit<CollectionRestoreItem, 'effectiveTargetNamespace'>[],
): CollectionRestoreItem[] {
  const taken = new Set(target.namespaces.filter((r) => liveAt(r, now)).map(namespaceOf));
  for (const job of pending) for (const i of job.items) taken.add(i.effectiveTargetNamespace);
  return items.map((item) => {
    let effective = item.targetNamespace;
    if (writeStrategy === 'CREATE_NEW' && item.supported) {
      for (let n = 1; taken.has(effective); n++) effective = `${item.targetNamespace}_${n}`;
    }
    taken.add(effective);
    return { ...item, effectiveTargetNamespace: effective };
  });
}

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
