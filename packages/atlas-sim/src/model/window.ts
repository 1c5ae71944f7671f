import { snapshotStatus } from './lifecycle.js';
import { DAY } from './timings.js';
import type { ClusterRecord, CompliancePolicyRecord, SnapshotRecord } from './types.js';

/**
 * The span a point-in-time restore may target. Everything here can be read from the API (the
 * cluster's `pitEnabled`, the schedule's `restoreWindowDays`, the snapshot list, the compliance
 * policy), so a client computing the same window refuses exactly what the simulator refuses.
 */
export interface RestorableWindow {
  /** Continuous cloud backup is on for the cluster. */
  continuous: boolean;
  /** `restoreWindowDays` of the schedule, raised to the compliance policy's when it has one. */
  days: number;
  /** Whether the compliance policy's window is the one in force (it is longer or equal). */
  setByCompliancePolicy: boolean;
  /** Earliest restorable instant; undefined when nothing is restorable yet. */
  start?: number;
  end: number;
  /** What sets `start`: the window's length, or the oldest completed snapshot being younger. */
  limitedBy?: 'restoreWindowDays' | 'oldestSnapshot';
}

export function restorableWindow(
  cluster: ClusterRecord,
  snapshots: readonly SnapshotRecord[],
  policy: CompliancePolicyRecord | undefined,
  now: number,
): RestorableWindow {
  const policyDays = policy?.pitEnabled ? policy.restoreWindowDays : 0;
  const days = Math.max(cluster.policy.restoreWindowDays, policyDays);
  const window: RestorableWindow = {
    continuous: cluster.pitEnabled,
    days,
    setByCompliancePolicy: policyDays > 0 && policyDays >= cluster.policy.restoreWindowDays,
    end: now,
  };
  if (!cluster.pitEnabled) return window;
  // A point in time is rebuilt from a completed snapshot taken before it plus the oplog since.
  let oldest: number | undefined;
  for (const s of snapshots) {
    if (
      s.createdAt <= now &&
      snapshotStatus(s, now) === 'completed' &&
      (oldest === undefined || s.createdAt < oldest)
    )
      oldest = s.createdAt;
  }
  if (oldest === undefined) return window;
  const byDays = now - days * DAY;
  window.start = Math.max(byDays, oldest);
  window.limitedBy = oldest > byDays ? 'oldestSnapshot' : 'restoreWindowDays';
  return window;
}
