import type { ClusterRecord, NamespaceRecord } from './types.js';

/** MongoDB's limits: a database name under 64 bytes, a namespace at most 255 bytes. */
const MAX_DATABASE_BYTES = 63;
const MAX_NAMESPACE_BYTES = 255;
/** Characters MongoDB refuses in database names (on any platform Atlas runs). */
const DATABASE_FORBIDDEN = /[/\\. "$*<>:|?\0]/;
/** Databases Atlas never restores into. */
export const RESERVED_DATABASES: ReadonlySet<string> = new Set(['admin', 'local', 'config']);

const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/** Splits `db.collection` at the first dot: collection names may hold dots, database names not. */
export function splitNamespace(namespace: string): { database: string; collection: string } | undefined {
  const dot = namespace.indexOf('.');
  if (dot < 0) return undefined;
  return { database: namespace.slice(0, dot), collection: namespace.slice(dot + 1) };
}

export function namespaceOf(r: Pick<NamespaceRecord, 'database' | 'collection'>): string {
  return `${r.database}.${r.collection}`;
}

/** Why a database name is not one MongoDB accepts, or undefined when it is fine. */
export function databaseNameProblem(name: string): string | undefined {
  if (name === '') return 'must not be empty';
  const bad = DATABASE_FORBIDDEN.exec(name);
  if (bad) return `must not contain ${JSON.stringify(bad[0])} (database names exclude /\\. "$*<>:|?)`;
  if (bytes(name) > MAX_DATABASE_BYTES) return `must be at most ${MAX_DATABASE_BYTES} bytes`;
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
  if (bytes(namespace) > MAX_NAMESPACE_BYTES) return `must be at most ${MAX_NAMESPACE_BYTES} bytes`;
  return undefined;
}

/** Whether a collection existed at instant `t`. */
export function liveAt(r: NamespaceRecord, t: number): boolean {
  return r.createdAt <= t && (r.droppedAt === undefined || t < r.droppedAt);
}

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The collections a cluster held at instant `t`, sorted by namespace. */
export function namespacesAt(cluster: ClusterRecord, t: number): NamespaceRecord[] {
  return cluster.namespaces
    .filter((r) => liveAt(r, t))
    .sort((a, b) => byName(namespaceOf(a), namespaceOf(b)));
}

/** Database names at instant `t`, sorted. */
export function databasesAt(cluster: ClusterRecord, t: number): string[] {
  return [...new Set(namespacesAt(cluster, t).map((r) => r.database))].sort(byName);
}

/** Collections of one database at instant `t`, sorted by collection name. */
export function collectionsAt(cluster: ClusterRecord, t: number, database: string): NamespaceRecord[] {
  return namespacesAt(cluster, t).filter((r) => r.database === database);
}

export function findNamespace(
  cluster: ClusterRecord,
  t: number,
  namespace: string,
): NamespaceRecord | undefined {
  return cluster.namespaces.find((r) => liveAt(r, t) && namespaceOf(r) === namespace);
}
