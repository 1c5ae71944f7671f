import type { AtlasClient } from '../client/atlas-client.js';
import { requiredWindowDays } from '../compliance/compliance-rules.js';
import { RestoreWindowError } from '../errors.js';
import { formatTimeSeconds } from '../present/format.js';

const day = 86_400_000;

/**
 * The span a point-in-time restore of a cluster may target, computed from what Atlas shows: the
 * cluster's continuous backup (`pitEnabled`), the schedule's `restoreWindowDays`, its oldest
 * completed snapshot (a moment is rebuilt from a snapshot taken before it plus the oplog since)
 * and now. Atlas refuses any other moment; checking here refuses it before anyone approves.
 */
export interface RestorableWindow {
  clusterName: string;
  /** Continuous cloud backup is on. */
  continuous: boolean;
  /** How many days back continuous backup reaches. */
  days: number;
  /** Earliest restorable moment, ms; undefined when nothing is restorable (off, or no snapshot yet). */
  start: number | undefined;
  /** Latest restorable moment: now, ms. */
  end: number;
  /** What sets `start`: the window's length, or the oldest completed snapshot being younger. */
  limitedBy: 'restoreWindowDays' | 'oldestSnapshot' | undefined;
  /** The project's Backup Compliance Policy sets the window's length (its days are at least the schedule's). */
  setByCompliancePolicy: boolean;
}

export interface WindowFacts {
  clusterName: string;
  continuous: boolean;
  restoreWindowDays: number;
  /**
   * A longer window someone else requires (a Backup Compliance Policy's restore window): Atlas
   * keeps the longer of the two.
   */
  requiredWindowDays?: number | undefined;
  /** The oldest completed snapshot's time, ms; undefined when there is none. */
  oldestCompletedSnapshotAt: number | undefined;
  now: number;
}

export function restorableWindow(facts: WindowFacts): RestorableWindow {
  const days = Math.max(facts.restoreWindowDays, facts.requiredWindowDays ?? 0);
  const base = {
    clusterName: facts.clusterName,
    continuous: facts.continuous,
    days,
    end: facts.now,
    // As Atlas names it: the policy's window is in force when it is at least the schedule's.
    setByCompliancePolicy:
      facts.requiredWindowDays !== undefined &&
      facts.requiredWindowDays > 0 &&
      facts.requiredWindowDays >= facts.restoreWindowDays,
  };
  if (!facts.continuous || facts.oldestCompletedSnapshotAt === undefined)
    return { ...base, start: undefined, limitedBy: undefined };
  const byDays = facts.now - days * day;
  const oldest = facts.oldestCompletedSnapshotAt;
  return {
    ...base,
    start: Math.max(byDays, oldest),
    limitedBy: oldest > byDays ? 'oldestSnapshot' : 'restoreWindowDays',
  };
}

/**
 * Reads the window of a dedicated cluster from Atlas: the cluster, its schedule, the project's
 * Backup Compliance Policy (unless `requiredWindowDays` is given; a policy that cannot be read
 * counts as none, which only ever makes the window shorter), and its snapshots newest first
 * until one completed before the window's length (older ones cannot move its start).
 */
export async function loadRestorableWindow(
  client: AtlasClient,
  groupId: string,
  clusterName: string,
  options: { now: number; signal?: AbortSignal | undefined; requiredWindowDays?: number | undefined },
): Promise<RestorableWindow> {
  const o = { signal: options.signal };
  const [cluster, schedule, required] = await Promise.all([
    client.getCluster(groupId, clusterName, o),
    client.getBackupSchedule(groupId, clusterName, o),
    options.requiredWindowDays !== undefined
      ? options.requiredWindowDays
      : client
          .readCompliancePolicy(groupId, o)
          .then((r) => (r.state === 'present' ? requiredWindowDays(r.policy) : undefined)),
  ]);
  const continuous = cluster.pitEnabled === true;
  const restoreWindowDays = schedule.restoreWindowDays ?? 0;
  const days = Math.max(restoreWindowDays, required ?? 0);
  let oldest: number | undefined;
  if (continuous) {
    const reach = options.now - days * day;
    for await (const s of client.iterateSnapshots(groupId, clusterName, { itemsPerPage: 100, ...o })) {
      const at = s.createdAt === undefined ? NaN : Date.parse(s.createdAt);
      if (s.status !== 'completed' || !Number.isFinite(at) || at > options.now) continue;
      if (oldest === undefined || at < oldest) oldest = at;
      if (at <= reach) break;
    }
  }
  return restorableWindow({
    clusterName,
    continuous,
    restoreWindowDays,
    requiredWindowDays: required,
    oldestCompletedSnapshotAt: oldest,
    now: options.now,
  });
}

/**
 * The same window read again at `now`: its end is now, and a start set by the window's length
 * moves on with it. For checking moments as they are typed, long after the window was loaded.
 */
export function windowAt(window: RestorableWindow, now: number): RestorableWindow {
  if (window.start === undefined) return { ...window, end: now };
  const byDays = now - window.days * day;
  const start = window.limitedBy === 'restoreWindowDays' ? byDays : Math.max(window.start, byDays);
  return { ...window, start, end: now, limitedBy: start === byDays ? 'restoreWindowDays' : 'oldestSnapshot' };
}

/** `from 2026-11-25 09:14:03 UTC to now (7 days of continuous backup)`. */
export function describeWindow(window: RestorableWindow): string {
  if (!window.continuous) return `continuous cloud backup is off for ${window.clusterName}`;
  if (window.start === undefined)
    return `${window.clusterName} has no completed snapshot to restore from yet`;
  const why =
    window.limitedBy === 'oldestSnapshot'
      ? 'from its oldest completed snapshot'
      : `${window.days} day${window.days === 1 ? '' : 's'} of continuous backup${window.setByCompliancePolicy ? ", as the project's Backup Compliance Policy requires" : ''}`;
  return `restorable from ${formatTimeSeconds(window.start)} to now (${why})`;
}

/** How a moment misses the window: a front end words it for its room (a field, a message). */
export type WindowMiss = 'continuousOff' | 'nothingYet' | 'before' | 'after';

export function windowMiss(window: RestorableWindow, at: number): WindowMiss | undefined {
  if (!window.continuous) return 'continuousOff';
  if (window.start === undefined) return 'nothingYet';
  if (at < window.start) return 'before';
  if (at > window.end) return 'after';
  return undefined;
}

/** Why a moment (ms) is not restorable, naming the window, or undefined when it is. */
export function outsideWindow(window: RestorableWindow, at: number): string | undefined {
  const when = formatTimeSeconds(at);
  switch (windowMiss(window, at)) {
    case undefined:
      return undefined;
    case 'continuousOff':
      return `${window.clusterName} has no point-in-time restores: continuous cloud backup is off (restore from a snapshot instead)`;
    case 'nothingYet':
      return `${window.clusterName} has no completed snapshot yet, so no moment is restorable`;
    case 'before':
      return `${window.clusterName} is ${describeWindow(window)}; ${when} is before it`;
    case 'after':
      return `${window.clusterName} is ${describeWindow(window)}; ${when} is in the future`;
  }
}

/**
 * Refuses a point in time outside the source cluster's window, naming the window; `field` is
 * the parameter that holds it, so a form can show the refusal beside it.
 */
export async function checkRestorableMoment(
  client: AtlasClient,
  groupId: string,
  clusterName: string,
  moment: { field: string; seconds: number },
  options: { now: number; signal?: AbortSignal | undefined },
): Promise<RestorableWindow> {
  const window = await loadRestorableWindow(client, groupId, clusterName, options);
  const problem = outsideWindow(window, moment.seconds * 1000);
  if (problem) throw new RestoreWindowError(moment.field, problem, window.continuous);
  return window;
}
