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
export function unlessCompleted(snap: Snapshot, what: 'restores' | 'exports'): string[] {
  if (snap.status === 'completed') return [];
  const status = snap.status ? snap.status : 'without a status';
  return [`Snapshot ${snap.id} is ${status}, not completed: Atlas ${what} only completed snapshots.`];
}
