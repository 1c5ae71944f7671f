import type { SnapshotRecord } from '../model/types.js';
import { clusterPath, selfLinks } from './format.js';

function databasePath(s: SnapshotRecord, database: string): string {
  return `${clusterPath(s.groupId, s.clusterName)}/backup/snapshots/${s.id}/databases/${encodeURIComponent(database)}`;
}

/** DiskBackupDatabaseResponse. */
export function databaseView(s: SnapshotRecord, database: string, baseUrl: string): Record<string, unknown> {
  return { links: selfLinks(baseUrl, databasePath(s, database)), name: database };
}

/** DiskBackupCollectionResponse. */
export function collectionView(
  s: SnapshotRecord,
  database: string,
  collection: string,
  baseUrl: string,
): Record<string, unknown> {
  const path = `${databasePath(s, database)}/collections/${encodeURIComponent(collection)}`;
  return { links: selfLinks(baseUrl, path), name: collection };
}
