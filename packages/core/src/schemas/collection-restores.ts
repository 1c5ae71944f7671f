import { z } from 'zod';
import { clusterName, objectId, openEnum, oplogIncrement, restoreEpochSeconds } from './common.js';

/**
 * Collection- and database-level restores (Atlas API version 2025-03-12) and the namespaces a
 * snapshot holds. Requests are strict and follow MongoDB's naming rules, so a malformed
 * namespace is refused before anything is sent; answers are read tolerantly.
 */

/** MongoDB's limits: a database name under 64 bytes, a namespace at most 255 bytes. */
const maxDatabaseBytes = 63;
const maxNamespaceBytes = 255;
/** Characters MongoDB refuses in database names. */
const databaseForbidden = /[/\\. "$*<>:|?\0]/;
/** Databases Atlas never restores into. */
export const reservedDatabases: ReadonlySet<string> = new Set(['admin', 'local', 'config']);
export const maxRestoreNamespaces = 100;
/** Atlas accepts a suffix of 1 to 32 letters, digits, `_` or `-`. */
export const restoreSuffixPattern = /^[\p{L}\p{N}_-]{1,32}$/u;

const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/** Splits `db.collection` at the first dot: collection names may hold dots, database names not. */
export function splitNamespace(namespace: string): { database: string; collection: string } | undefined {
  const dot = namespace.indexOf('.');
  if (dot < 0) return undefined;
  return { database: namespace.slice(0, dot), collection: namespace.slice(dot + 1) };
}

/** Why a database name is not one MongoDB accepts, or undefined when it is fine. */
export function databaseNameProblem(name: string): string | undefined {
  if (name === '') return 'must not be empty';
  const bad = databaseForbidden.exec(name);
  if (bad) return `must not contain ${JSON.stringify(bad[0])} (database names exclude /\\. "$*<>:|?)`;
  if (bytes(name) > maxDatabaseBytes) return `must be at most ${maxDatabaseBytes} bytes`;
  if (reservedDatabases.has(name)) return `${name} is a system database, which Atlas does not restore`;
  return undefined;
}

/** Why a `db.collection` namespace is malformed, or undefined when it is fine. */
export function namespaceProblem(namespace: string): string | undefined {
  const parts = splitNamespace(namespace);
  if (!parts) return 'must be a namespace of the form db.collection';
  const db = databaseNameProblem(parts.database);
  if (db) return `database name ${db}`;
  if (parts.collection === '') return 'must name a collection after the dot (db.collection)';
  if (/[$\0]/.test(parts.collection)) return 'collection name must not contain "$"';
  if (parts.collection.startsWith('system.')) return 'must not name a system collection';
  if (bytes(namespace) > maxNamespaceBytes) return `must be at most ${maxNamespaceBytes} bytes`;
  return undefined;
}

export const writeStrategy = z.enum(['CREATE_NEW', 'OVERWRITE_EXISTING'], {
  error: 'writeStrategy must be CREATE_NEW or OVERWRITE_EXISTING',
});
export type WriteStrategy = z.infer<typeof writeStrategy>;
export const indexStrategy = z.enum(['ALL', 'NONE', 'ALL_EXCEPT_TTL'], {
  error: 'indexStrategy must be one of ALL, NONE, ALL_EXCEPT_TTL',
});
export type IndexStrategy = z.infer<typeof indexStrategy>;

/** `ApiAtlasRestoreNamespaceView` in a request. */
const restoreNamespace = z.strictObject({
  sourceNamespace: z.string({ error: 'sourceNamespace is required' }),
  targetNamespace: z.string().optional(),
});

const suffix = (field: string) =>
  z.string().regex(restoreSuffixPattern, `${field} must be 1 to 32 letters, digits, "_" or "-"`).optional();

/** The fields of `ApiAtlasCollectionRestoreJobRequest` but the write strategy (each action sets its own). */
export const collectionRestoreFields = {
  targetClusterName: clusterName('targetClusterName'),
  targetGroupId: objectId('targetGroupId'),
  indexStrategy: indexStrategy.default('ALL'),
  snapshotId: objectId('snapshotId').optional(),
  pointInTimeUtcSeconds: restoreEpochSeconds('pointInTimeUtcSeconds').optional(),
  oplogTs: restoreEpochSeconds('oplogTs').optional(),
  oplogInc: oplogIncrement.optional(),
  collections: z.array(restoreNamespace).max(maxRestoreNamespaces).optional(),
  databases: z.array(restoreNamespace).max(maxRestoreNamespaces).optional(),
  collectionSuffix: suffix('collectionSuffix'),
  databaseSuffix: suffix('databaseSuffix'),
};

type CollectionRestoreShape = {
  snapshotId?: string | undefined;
  pointInTimeUtcSeconds?: number | undefined;
  oplogTs?: number | undefined;
  oplogInc?: number | undefined;
  collections?: { sourceNamespace: string; targetNamespace?: string | undefined }[] | undefined;
  databases?: { sourceNamespace: string; targetNamespace?: string | undefined }[] | undefined;
  collectionSuffix?: string | undefined;
  databaseSuffix?: string | undefined;
};

/**
 * The rules between the fields, as Atlas applies them: databases or collections (not both, at
 * least one, no repeats, names MongoDB accepts); a snapshot, a point in time or an oplog
 * position (exactly one); `collectionSuffix` only with collections; suffixes never beside a
 * target namespace.
 */
export function checkCollectionRestore(value: CollectionRestoreShape, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string) =>
    ctx.addIssue({ code: 'custom', path, message });
  const collections = value.collections ?? [];
  const databases = value.databases ?? [];
  if (collections.length > 0 && databases.length > 0)
    issue(['databases'], 'restore either databases or collections, not both');
  else if (collections.length === 0 && databases.length === 0)
    issue(['collections'], 'name at least one collection (db.collection) or database to restore');

  const sources = [value.snapshotId, value.pointInTimeUtcSeconds, value.oplogTs ?? value.oplogInc].filter(
    (v) => v !== undefined,
  ).length;
  if (sources === 0)
    issue(
      ['snapshotId'],
      'give a snapshot, a point in time (pointInTimeUtcSeconds) or oplogTs with oplogInc',
    );
  else if (sources > 1)
    issue(['snapshotId'], 'give only one of snapshotId, pointInTimeUtcSeconds, or oplogTs with oplogInc');
  else if (value.oplogTs !== undefined && value.oplogInc === undefined)
    issue(['oplogInc'], 'oplogInc is required with oplogTs');
  else if (value.oplogInc !== undefined && value.oplogTs === undefined)
    issue(['oplogTs'], 'oplogTs is required with oplogInc');

  if (value.collectionSuffix !== undefined && databases.length > 0)
    issue(['collectionSuffix'], 'collectionSuffix applies to collections only; use databaseSuffix');
  const suffixed = value.collectionSuffix !== undefined || value.databaseSuffix !== undefined;

  const scope = collections.length > 0 ? 'collections' : 'databases';
  const problemOf = scope === 'collections' ? namespaceProblem : databaseNameProblem;
  const seen = new Map<string, number>();
  (scope === 'collections' ? collections : databases).forEach((item, i) => {
    const problem = problemOf(item.sourceNamespace);
    if (problem) issue([scope, i, 'sourceNamespace'], `${item.sourceNamespace}: ${problem}`);
    const first = seen.get(item.sourceNamespace);
    if (first !== undefined) issue([scope, i, 'sourceNamespace'], `${item.sourceNamespace} is named twice`);
    else seen.set(item.sourceNamespace, i);
    if (item.targetNamespace === undefined || item.targetNamespace === '') return;
    const targetProblem = problemOf(item.targetNamespace);
    if (targetProblem) issue([scope, i, 'targetNamespace'], `${item.targetNamespace}: ${targetProblem}`);
    if (suffixed) issue([scope, i, 'targetNamespace'], 'a target namespace cannot be combined with a suffix');
  });
}

/** `ApiAtlasCollectionRestoreJobRequest`. */
export const collectionRestoreRequest = z
  .strictObject({ ...collectionRestoreFields, writeStrategy, indexStrategy })
  .superRefine(checkCollectionRestore);
export type CollectionRestoreRequest = z.input<typeof collectionRestoreRequest>;

/**
 * Where each source lands when the request names no target: the source with the suffixes.
 * Database-level items are database names; collection-level items are `db.collection`.
 */
export function suffixedTarget(
  scope: 'collections' | 'databases',
  source: string,
  suffixes: { collectionSuffix?: string | undefined; databaseSuffix?: string | undefined },
): string {
  const db = suffixes.databaseSuffix ?? '';
  if (scope === 'databases') return `${source}${db}`;
  const parts = splitNamespace(source);
  if (!parts) return source;
  return `${parts.database}${db}.${parts.collection}${suffixes.collectionSuffix ?? ''}`;
}

const namespaceView = z.object({ sourceNamespace: z.string(), targetNamespace: z.string().optional() });

export const collectionRestoreState = openEnum([
  'INITIALIZING',
  'IN_PROGRESS',
  'FINALIZING',
  'SUCCESSFUL',
  'CANCELED',
  'FAILED',
]);
const indexBuildState = openEnum(['NOT_STARTED', 'IN_PROGRESS', 'SUCCESSFUL', 'FAILED', 'NOT_RESTORED']);

/** A collection restore job as Atlas returns it. */
export const collectionRestoreJob = z.object({
  id: z.string(),
  state: collectionRestoreState.optional(),
  writeStrategy: openEnum(['CREATE_NEW', 'OVERWRITE_EXISTING']).optional(),
  indexStrategy: openEnum(['ALL', 'NONE', 'ALL_EXCEPT_TTL']).optional(),
  snapshotId: z.string().optional(),
  pointInTimeUtcSeconds: z.number().optional(),
  oplogTs: z.number().optional(),
  oplogInc: z.number().optional(),
  targetClusterName: z.string().optional(),
  targetGroupId: z.string().optional(),
  collections: z.array(namespaceView).optional(),
  databases: z.array(namespaceView).optional(),
  collectionSuffix: z.string().optional(),
  databaseSuffix: z.string().optional(),
  createdAt: z.string().optional(),
  finishedAt: z.string().optional(),
  errorMessage: z.string().optional(),
  restoredDocuments: z.number().optional(),
  totalDocuments: z.number().optional(),
  indexStatus: z
    .object({ failedCollectionCount: z.number().optional(), state: indexBuildState.optional() })
    .optional(),
});
export type CollectionRestoreJob = z.infer<typeof collectionRestoreJob>;

export const collectionRestoreItemState = openEnum([
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

/** One collection of a collection restore job (`ApiAtlasCollectionRestoreCollectionStateResponse`). */
export const collectionRestoreCollection = z.object({
  sourceNamespace: z.string().optional(),
  targetNamespace: z.string().optional(),
  effectiveTargetNamespace: z.string().optional(),
  state: collectionRestoreItemState.optional(),
  restoredDocuments: z.number().optional(),
  totalDocuments: z.number().optional(),
  indexStatus: z
    .object({
      state: indexBuildState.optional(),
      errorMessage: z.string().optional(),
      failedIndexes: z.array(z.record(z.string(), z.unknown())).optional(),
    })
    .optional(),
});
export type CollectionRestoreCollection = z.infer<typeof collectionRestoreCollection>;

/** A database or collection a snapshot holds (`DiskBackupDatabaseResponse`, `DiskBackupCollectionResponse`). */
export const snapshotNamespaceName = z.object({ name: z.string() });
