import type { ClusterKind } from '../schemas/clusters.js';
import { clusterName, groupId } from '../schemas/common.js';
import type { RetentionUnit, Snapshot } from '../schemas/snapshots.js';
import { formatTimeSeconds } from '../present/format.js';

/** The parameters that say where an action happens: the project and the source cluster. */
export const where = { groupId, clusterName: clusterName() };

/** Cloud backups this tool changes: those of dedicated clusters (Atlas manages Flex and serverless ones). */
export const dedicatedKinds: readonly ClusterKind[] = ['replicaSet', 'sharded'];

export const isDedicated = (kind: ClusterKind): boolean => dedicatedKinds.includes(kind);

export const day = 86_400_000;

// A time that cannot be read or shown reads as unknown: a preview never throws on what it is given.
export const fmt = (time: string | number | undefined) =>
  time === undefined || time === '' || (typeof time === 'number' && !Number.isFinite(time))
    ? 'unknown time'
    : formatTimeSeconds(time);

/**
 * Atlas restores and exports only completed snapshots. Any other status, one Atlas added later
 * included, is not taken for completed: the person is told before Atlas is asked.
 */
export function unlessCompleted(snap: Snapshot, what: 'restores' | 'exports'): string[] {
  if (snap.status === 'completed') return [];
  const status = snap.status ? snap.status : 'without a status';
  return [`Snapshot ${snap.id} is ${status}, not completed: Atlas ${what} only completed snapshots.`];
}

/** Adds a retention period to a date the way calendars do (months and years by calendar). */
export function addRetention(fromMs: number, unit: RetentionUnit, value: number): number {
  const d = new Date(fromMs);
  switch (unit) {
    case 'DAYS':
      return fromMs + value * day;
    case 'WEEKS':
      return fromMs + value * 7 * day;
    case 'MONTHS':
      return d.setUTCMonth(d.getUTCMonth() + value);
    case 'YEARS':
      return d.setUTCFullYear(d.getUTCFullYear() + value);
  }
}
