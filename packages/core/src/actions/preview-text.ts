import { formatTimeSeconds } from '../present/format.js';
import type { Snapshot } from '../schemas/snapshots.js';

// A time that cannot be read or shown reads as unknown: a preview never throws on what it is given.
export const fmt = (time: string | number | undefined) =>
  time === undefined || time === '' || (typeof time === 'number' && !Number.isFinite(time))
    ? 'unknown time'
    : formatTimeSeconds(time);

/**
 * Atlas restores and exports only completed snapshots. Any other status, one Atlas added later
 * included, is not taken for completed: the person is told before Atlas is asked.
 */
export function unlessCompleted(
  snap: Pick<Snapshot, 'id'> & { status?: string | undefined },
  what: 'restores' | 'exports',
  /** How the API spells it: `completed` for clusters, `COMPLETED` for Flex. */
  completed = 'completed',
): string[] {
  if (snap.status === completed) return [];
  const status = snap.status ? snap.status : 'without a status';
  return [`Snapshot ${snap.id} is ${status}, not ${completed}: Atlas ${what} only completed snapshots.`];
}

/** What a restore onto a cluster costs, said in every restore's preview. */
export const overwriteWarning = (clusterName: string) =>
  `Every database on ${clusterName} will be replaced by the restored data; writes to it during the restore are lost.`;
