import {
  paginate,
  type AtlasClient,
  type ClusterSummary,
  type FlexSnapshot,
  type ServerlessSnapshot,
  type Snapshot,
} from '@atlas-backups/core';
import { isAtlasBackupsError } from '@atlas-backups/core';

/** One row of the snapshots list, whatever kind of deployment it came from. */
export interface SnapshotRow {
  id: string;
  type: string;
  status: string;
  createdAt: string | undefined;
  expiresAt: string | undefined;
  sizeBytes: number | undefined;
  description: string;
  source: 'dedicated' | 'flex' | 'serverless';
  /** The dedicated snapshot as Atlas sent it (actions need it). */
  snapshot: Snapshot | undefined;
  raw: Snapshot | FlexSnapshot | ServerlessSnapshot;
}

export function fromSnapshot(s: Snapshot): SnapshotRow {
  return {
    id: s.id,
    type: s.snapshotType ?? '-',
    status: s.status ?? '-',
    createdAt: s.createdAt,
    expiresAt: s.expiresAt,
    sizeBytes: s.storageSizeBytes,
    description: s.description ?? '',
    source: 'dedicated',
    snapshot: s,
    raw: s,
  };
}

export function fromFlexSnapshot(s: FlexSnapshot): SnapshotRow {
  return {
    id: s.id,
    type: 'flex',
    status: s.status ?? '-',
    createdAt: s.startTime ?? s.scheduledTime,
    expiresAt: s.expiration,
    sizeBytes: undefined,
    description: '',
    source: 'flex',
    snapshot: undefined,
    raw: s,
  };
}

export function fromServerlessSnapshot(s: ServerlessSnapshot): SnapshotRow {
  return {
    id: s.id,
    type: s.snapshotType ?? 'serverless',
    status: s.status ?? '-',
    createdAt: s.createdAt,
    expiresAt: s.expiresAt,
    sizeBytes: s.storageSizeBytes,
    description: '',
    source: 'serverless',
    snapshot: undefined,
    raw: s,
  };
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

export interface SnapshotList {
  rows: SnapshotRow[];
  /** Set when the list came from somewhere else than asked (the serverless → Flex fallback). */
  notice: string | undefined;
}

/**
 * A deployment's snapshots. A serverless instance whose backup API Atlas has retired (410) is
 * listed from the Flex cluster it became, as the core does for a single snapshot.
 */
export async function listSnapshotRows(
  client: AtlasClient,
  groupId: string,
  cluster: ClusterSummary,
  signal: AbortSignal,
): Promise<SnapshotList> {
  const options = { signal };
  if (cluster.kind === 'flex') {
    const rows = await collect(
      paginate((pageNum, itemsPerPage) =>
        client.listFlexSnapshots(groupId, cluster.name, { pageNum, itemsPerPage }, options),
      ),
    );
    return { rows: rows.map(fromFlexSnapshot), notice: undefined };
  }
  if (cluster.kind === 'serverless') {
    try {
      const rows = await collect(
        paginate((pageNum, itemsPerPage) =>
          client.listServerlessSnapshots(groupId, cluster.name, { pageNum, itemsPerPage }, options),
        ),
      );
      return { rows: rows.map(fromServerlessSnapshot), notice: undefined };
    } catch (error) {
      if (!isAtlasBackupsError(error) || error.code !== 'ATLAS_VERSION_GONE') throw error;
      const rows = await collect(
        paginate((pageNum, itemsPerPage) =>
          client.listFlexSnapshots(groupId, cluster.name, { pageNum, itemsPerPage }, options),
        ),
      );
      return {
        rows: rows.map(fromFlexSnapshot),
        notice: `Atlas retired the serverless backup API (410); listing ${cluster.name}'s snapshots from its Flex cluster.`,
      };
    }
  }
  const rows = await collect(client.iterateSnapshots(groupId, cluster.name, { itemsPerPage: 500, signal }));
  return { rows: rows.map(fromSnapshot), notice: undefined };
}
