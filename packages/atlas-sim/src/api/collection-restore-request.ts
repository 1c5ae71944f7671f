import { ApiError, type FieldViolation } from '../http/errors.js';
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
import type {
  ClusterRecord,
  CollectionRestoreItem,
  CollectionRestoreJobRecord,
  RestoreNamespaceRequest,
} from '../model/types.js';
import type { CollectionRestoreJobBody } from './bodies.js';

/**
 * From a collection restore request to what the job copies where: the request's shape, its
 * namespaces resolved against the instant restored from, and the target names each lands on.
 */

const SUFFIX = /^[\p{L}\p{N}_-]{1,32}$/u;

/** `''` and `null` both mean "no suffix", as the contract's example answers show. */
export const suffixOf = (value: string | null | undefined): string => value ?? '';
export const given = <T>(value: T | null | undefined): value is T => value !== undefined && value !== null;

/** The request's shape: scope, source (snapshot or point in time), names and suffixes. */
export function shapeViolations(body: CollectionRestoreJobBody): FieldViolation[] {
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
export function normalized(body: CollectionRestoreJobBody): {
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
export function resolveItems(
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
export function targetViolations(
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
export function effectiveTargets(
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
