import type { AtlasClient } from '../client/atlas-client.js';
import { retiredApiAnswer } from '../client/retired-api.js';
import type { ClusterKind } from '../schemas/clusters.js';
import type { FlexSnapshot, ServerlessSnapshot, Snapshot } from '../schemas/snapshots.js';
import { cleanDescription } from './format.js';
import { pageOf, type RowPage } from './paged-rows.js';
import { collectRows, pages, type RowsOptions } from './rows.js';

/** One snapshot, whatever kind of deployment it came from: the columns both front ends list. */
export interface SnapshotRow {
  id: string;
  type: string;
  status: string;
  createdAt: string | undefined;
  expiresAt: string | undefined;
  sizeBytes: number | undefined;
  /** Without this tool's request marker. */
  description: string;
  source: 'dedicated' | 'flex' | 'serverless';
  /** The dedicated snapshot as Atlas sent it (the actions work on these). */
  snapshot: Snapshot | undefined;
  raw: Snapshot | FlexSnapshot | ServerlessSnapshot;
}

export const snapshotColumns = ['id', 'type', 'status', 'created', 'expires', 'size', 'description'] as const;

export function fromSnapshot(s: Snapshot): SnapshotRow {
  return {
    id: s.id,
    type: s.snapshotType ?? '-',
    status: s.status ?? '-',
    createdAt: s.createdAt,
    expiresAt: s.expiresAt,
    sizeBytes: s.storageSizeBytes,
    description: cleanDescription(s.description),
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

export interface SnapshotList {
  rows: SnapshotRow[];
  /** Set when the list came from elsewhere than asked: the serverless → Flex fallback. */
  notice: string | undefined;
}

/**
 * A deployment's snapshots as rows, newest first. A serverless instance whose backup API Atlas
 * has retired (`retiredApiAnswer`) is listed from the Flex cluster it became, with a notice
 * naming Atlas's answer.
 */
export async function listSnapshotRows(
  client: AtlasClient,
  groupId: string,
  cluster: { name: string; kind: ClusterKind },
  options: RowsOptions = {},
): Promise<SnapshotList> {
  const call = { signal: options.signal };
  const flexRows = () =>
    collectRows(
      pages((q) => client.listFlexSnapshots(groupId, cluster.name, q, call)),
      fromFlexSnapshot,
      options.limit,
    );
  if (cluster.kind === 'flex') return { rows: await flexRows(), notice: undefined };
  if (cluster.kind === 'serverless') {
    try {
      const list = pages((q) => client.listServerlessSnapshots(groupId, cluster.name, q, call));
      return { rows: await collectRows(list, fromServerlessSnapshot, options.limit), notice: undefined };
    } catch (error) {
      const answer = retiredApiAnswer(error);
      if (answer === undefined) throw error;
      return {
        rows: await flexRows(),
        notice: retiredNotice(answer, cluster.name),
      };
    }
  }
  const list = (pageSize: number) =>
    client.iterateSnapshots(groupId, cluster.name, { itemsPerPage: pageSize, signal: options.signal });
  return { rows: await collectRows(list, fromSnapshot, options.limit), notice: undefined };
}

/**
 * One page of a deployment's snapshots as rows, newest first (`listSnapshotRows` page by page,
 * with the same serverless → Flex fallback).
 */
export async function snapshotRowsPage(
  client: AtlasClient,
  groupId: string,
  cluster: { name: string; kind: ClusterKind },
  pageNum: number,
  itemsPerPage: number,
  options: { signal?: AbortSignal | undefined } = {},
): Promise<RowPage<SnapshotRow>> {
  const call = { signal: options.signal };
  const query = { pageNum, itemsPerPage };
  const flexPage = async (notice?: string) =>
    pageOf(await client.listFlexSnapshots(groupId, cluster.name, query, call), fromFlexSnapshot, notice);
  if (cluster.kind === 'flex') return flexPage();
  if (cluster.kind === 'serverless') {
    try {
      return pageOf(
        await client.listServerlessSnapshots(groupId, cluster.name, query, call),
        fromServerlessSnapshot,
      );
    } catch (error) {
      const answer = retiredApiAnswer(error);
      if (answer === undefined) throw error;
      return flexPage(retiredNotice(answer, cluster.name));
    }
  }
  return pageOf(await client.listSnapshots(groupId, cluster.name, query, call), fromSnapshot);
}

const retiredNotice = (answer: string, name: string) =>
  `Atlas retired the serverless backup API (${answer}); listing ${name}'s snapshots from its Flex cluster.`;
