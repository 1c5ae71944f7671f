import type { ClusterKind } from '../schemas/clusters.js';
import type { BackupSchedule } from '../schemas/schedule.js';
import { restorableWindow, type RestorableWindow } from '../window/restorable-window.js';

const hour = 3_600_000;
const day = 24 * hour;

/** What the status of one cluster's backups is made from, as read from Atlas. */
export interface BackupStatusFacts {
  cluster: { name: string; kind: ClusterKind; backupEnabled: boolean; pitEnabled: boolean };
  /** The schedule (dedicated clusters); undefined for Flex and serverless, or when it could not be read. */
  schedule: BackupSchedule | undefined;
  /** Snapshots newest first, back at least 7 days (and as far as the restore window reaches). */
  snapshots: readonly StatusSnapshot[];
  /** Jobs Atlas is running now for the cluster: restores, exports, collection restores. */
  running: readonly RunningJob[];
  /** The restore window a Backup Compliance Policy requires, in days. */
  requiredWindowDays?: number | undefined;
  /** What could not be read, said plainly; the rest is still shown. */
  problems?: readonly string[] | undefined;
}

export interface StatusSnapshot {
  id: string;
  /** ms since the epoch; undefined when Atlas did not say. */
  createdAt: number | undefined;
  /** `completed`, `failed`, `queued`, `inProgress` (dedicated) or the Flex words, as Atlas sent them. */
  phase: 'completed' | 'failed' | 'running' | 'other';
  status: string;
  /** `on-demand`, `hourly`, `daily`…, or `scheduled`. */
  kind: string;
}

export interface RunningJob {
  kind: 'snapshot' | 'restore' | 'collectionRestore' | 'export' | 'flexRestore';
  id: string;
  /** Atlas's own status word. */
  status: string;
}

/**
 * One cluster's backups at a glance: what an on-call engineer reads first. Every time is
 * computed against the `now` it was made with, so the same facts always give the same status.
 */
export interface BackupStatus {
  clusterName: string;
  kind: ClusterKind;
  backupEnabled: boolean;
  newestCompleted: { id: string; at: number; ageMs: number; kind: string } | undefined;
  continuous: boolean;
  /** Dedicated clusters: the point-in-time window (start undefined when nothing is restorable). */
  window: RestorableWindow | undefined;
  /** When Atlas says it takes the next scheduled snapshot, ms. */
  nextSnapshotAt: number | undefined;
  /** The most frequent snapshot the schedule promises, ms between two; undefined without a schedule. */
  promisedEveryMs: number | undefined;
  /**
   * The newest completed snapshot is older than the schedule promises (with a grace of a quarter
   * of the interval, at least an hour, for a snapshot that is being taken), or there is none
   * though the schedule promises them.
   */
  behindSchedule: boolean;
  /** Failed snapshots of the last 7 days, newest first. */
  failedLast7Days: { id: string; at: number | undefined; kind: string }[];
  running: RunningJob[];
  problems: string[];
  /** The one word a list shows: `ok`, `BEHIND`, `off` (cloud backup off), `unknown` (nothing could be read). */
  verdict: 'ok' | 'BEHIND' | 'off' | 'unknown';
}

/** Hours between two snapshots of a schedule item, by its frequency; undefined for one this tool does not know. */
function itemEveryMs(item: { frequencyType: string; frequencyInterval: number }): number | undefined {
  switch (item.frequencyType) {
    case 'hourly':
      return Math.max(1, item.frequencyInterval) * hour;
    case 'daily':
      return day;
    case 'weekly':
      return 7 * day;
    case 'monthly':
      return 31 * day;
    case 'yearly':
      return 366 * day;
    default:
      return undefined;
  }
}

/** The shortest interval the schedule's policy items promise. */
export function promisedInterval(schedule: BackupSchedule | undefined): number | undefined {
  let every: number | undefined;
  for (const policy of schedule?.policies ?? [])
    for (const item of policy.policyItems) {
      const ms = itemEveryMs(item);
      if (ms !== undefined && (every === undefined || ms < every)) every = ms;
    }
  return every;
}

/** How long past the promised interval a snapshot may be late before the cluster counts as behind. */
export const graceMs = (every: number) => Math.max(hour, every / 4);

export function backupStatus(facts: BackupStatusFacts, now: number): BackupStatus {
  const { cluster } = facts;
  const completed = facts.snapshots.filter(
    (s): s is StatusSnapshot & { createdAt: number } =>
      s.phase === 'completed' && s.createdAt !== undefined && s.createdAt <= now,
  );
  const newest = completed.reduce<(typeof completed)[number] | undefined>(
    (best, s) => (best === undefined || s.createdAt > best.createdAt ? s : best),
    undefined,
  );
  const oldest = completed.reduce<number | undefined>(
    (min, s) => (min === undefined || s.createdAt < min ? s.createdAt : min),
    undefined,
  );
  const dedicated = cluster.kind === 'replicaSet' || cluster.kind === 'sharded';
  const window =
    dedicated && facts.schedule
      ? restorableWindow({
          clusterName: cluster.name,
          continuous: cluster.pitEnabled,
          restoreWindowDays: facts.schedule.restoreWindowDays ?? 0,
          requiredWindowDays: facts.requiredWindowDays,
          oldestCompletedSnapshotAt: oldest,
          now,
        })
      : undefined;
  const next = facts.schedule?.nextSnapshot ? Date.parse(facts.schedule.nextSnapshot) : NaN;
  const every = dedicated && cluster.backupEnabled ? promisedInterval(facts.schedule) : undefined;
  const behind =
    every !== undefined && (newest === undefined || now - newest.createdAt > every + graceMs(every));
  const failed = facts.snapshots
    .filter((s) => s.phase === 'failed' && (s.createdAt === undefined || s.createdAt >= now - 7 * day))
    .map((s) => ({ id: s.id, at: s.createdAt, kind: s.kind }));
  const problems = [...(facts.problems ?? [])];
  const nothingRead = problems.length > 0 && facts.snapshots.length === 0 && !facts.schedule;
  return {
    clusterName: cluster.name,
    kind: cluster.kind,
    backupEnabled: cluster.backupEnabled,
    newestCompleted: newest && {
      id: newest.id,
      at: newest.createdAt,
      ageMs: now - newest.createdAt,
      kind: newest.kind,
    },
    continuous: cluster.pitEnabled,
    window,
    nextSnapshotAt: Number.isFinite(next) ? next : undefined,
    promisedEveryMs: every,
    behindSchedule: behind,
    failedLast7Days: failed,
    running: [...facts.running],
    problems,
    verdict: nothingRead ? 'unknown' : dedicated && !cluster.backupEnabled ? 'off' : behind ? 'BEHIND' : 'ok',
  };
}

/** `3h 12m`, `2d 4h`, `45m`: an age or a span, for a glance. */
export function formatAge(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  if (d > 0) return h > 0 ? `${d}d ${h}h` : `${d}d`;
  if (h > 0) return m > 0 ? `${h}h ${m}m` : `${h}h`;
  return `${m}m`;
}
