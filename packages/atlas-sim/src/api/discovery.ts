import { ApiError, notFound } from '../http/errors.js';
import { list, object, type HandlerContext, type Operation } from '../http/operation.js';
import { snapshotStatus } from '../model/lifecycle.js';
import { collectionsAt, databasesAt } from '../model/namespaces.js';
import type { ClusterRecord, SnapshotRecord } from '../model/types.js';
import { collectionView, databaseView } from '../views/discovery.js';
import { param, requireCluster, snapshotNotCompleted } from './common.js';

const BASE = '/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/snapshots/{snapshotId}/databases';
const VERSIONS = [{ date: '2025-03-12' }];

/** A completed snapshot of the cluster: only those hold data to browse. */
function requireSnapshot(ctx: HandlerContext): { cluster: ClusterRecord; snapshot: SnapshotRecord } {
  const cluster = requireCluster(ctx);
  const id = param(ctx, 'snapshotId');
  const snapshot = ctx.store.getSnapshot(cluster.groupId, cluster.name, id);
  if (!snapshot) throw notFound.snapshot(id, cluster.name);
  const status = snapshotStatus(snapshot, ctx.now);
  if (status !== 'completed') throw snapshotNotCompleted(id, status, 'browsed');
  return { cluster, snapshot };
}

function requireDatabase(ctx: HandlerContext): {
  cluster: ClusterRecord;
  snapshot: SnapshotRecord;
  database: string;
} {
  const found = requireSnapshot(ctx);
  const database = param(ctx, 'databaseName');
  if (!databasesAt(found.cluster, found.snapshot.createdAt).includes(database)) {
    throw new ApiError(
      404,
      'DATABASE_NOT_FOUND',
      `Snapshot ${found.snapshot.id} has no database ${database}.`,
    );
  }
  return { ...found, database };
}

/** The databases and collections a snapshot holds, for picking what a collection restore takes. */
export const discoveryOperations: Operation[] = [
  {
    operationId: 'listGroupClusterBackupSnapshotDatabases',
    method: 'GET',
    path: BASE,
    versions: VERSIONS,
    successStatus: 200,
    handle: (ctx) => {
      const { cluster, snapshot } = requireSnapshot(ctx);
      return list(databasesAt(cluster, snapshot.createdAt), (name) =>
        databaseView(snapshot, name, ctx.baseUrl),
      );
    },
  },
  {
    operationId: 'getGroupClusterBackupSnapshotDatabase',
    method: 'GET',
    path: `${BASE}/{databaseName}`,
    versions: VERSIONS,
    successStatus: 200,
    handle: (ctx) => {
      const { snapshot, database } = requireDatabase(ctx);
      return object(databaseView(snapshot, database, ctx.baseUrl));
    },
  },
  {
    operationId: 'listGroupClusterBackupSnapshotDatabaseCollections',
    method: 'GET',
    path: `${BASE}/{databaseName}/collections`,
    versions: VERSIONS,
    successStatus: 200,
    handle: (ctx) => {
      const { cluster, snapshot, database } = requireDatabase(ctx);
      return list(collectionsAt(cluster, snapshot.createdAt, database), (r) =>
        collectionView(snapshot, database, r.collection, ctx.baseUrl),
      );
    },
  },
  {
    operationId: 'getGroupClusterBackupSnapshotDatabaseCollection',
    method: 'GET',
    path: `${BASE}/{databaseName}/collections/{collectionName}`,
    versions: VERSIONS,
    successStatus: 200,
    handle: (ctx) => {
      const { cluster, snapshot, database } = requireDatabase(ctx);
      const name = param(ctx, 'collectionName');
      if (!collectionsAt(cluster, snapshot.createdAt, database).some((r) => r.collection === name)) {
        throw new ApiError(
          404,
          'COLLECTION_NOT_FOUND',
          `Snapshot ${snapshot.id} has no collection ${name} in database ${database}.`,
        );
      }
      return object(collectionView(snapshot, database, name, ctx.baseUrl));
    },
  },
];
