import type { IdFactory, Rng } from '../rng.js';
import { addRetention } from '../model/retention.js';
import { DAY, HOUR, MINUTE } from '../model/timings.js';
import type {
  BackupPolicyRecord,
  ClusterRecord,
  FlexSnapshotRecord,
  FrequencyType,
  PolicyItemRecord,
  ServerlessSnapshotRecord,
  SnapshotRecord,
} from '../model/types.js';

const RANK: Record<FrequencyType, number> = { hourly: 0, daily: 1, weekly: 2, monthly: 3, yearly: 4 };

function expiryOf(slot: number, item: PolicyItemRecord): number {
  return addRetention(slot, item.retentionUnit, item.retentionValue);
}

/** Atlas's default policy: every 6 hours for 2 days, daily for 7, weekly for 4 weeks, monthly for 12 months. */
export function defaultPolicy(ids: IdFactory, at: number): BackupPolicyRecord {
  const item = (
    frequencyType: FrequencyType,
    frequencyInterval: number,
    retentionUnit: PolicyItemRecord['retentionUnit'],
    retentionValue: number,
  ): PolicyItemRecord => ({
    id: ids.objectId(at),
    frequencyType,
    frequencyInterval,
    retentionUnit,
    retentionValue,
  });
  return {
    policyId: ids.objectId(at),
    items: [
      item('hourly', 6, 'days', 2),
      item('daily', 1, 'days', 7),
      item('weekly', 6, 'weeks', 4),
      item('monthly', 40, 'months', 12),
    ],
    referenceHourOfDay: 3,
    referenceMinuteOfHour: 15,
    restoreWindowDays: 7,
  };
}

function isLastDayOfMonth(t: number): boolean {
  const d = new Date(t);
  return new Date(t + DAY).getUTCMonth() !== d.getUTCMonth();
}

/** Policy items a snapshot taken at slot `t` satisfies. */
function itemsFor(policy: BackupPolicyRecord, t: number): PolicyItemRecord[] {
  const date = new Date(t);
  const dailySlot = date.getUTCHours() === policy.referenceHourOfDay;
  // Atlas numbers weekdays 1 (Monday) to 7 (Sunday).
  const weekday = ((date.getUTCDay() + 6) % 7) + 1;
  return policy.items.filter((item) => {
    switch (item.frequencyType) {
      case 'hourly':
        return true;
      case 'daily':
        return dailySlot;
      case 'weekly':
        return dailySlot && weekday === item.frequencyInterval;
      case 'monthly':
        return (
          dailySlot &&
          (item.frequencyInterval === 40 ? isLastDayOfMonth(t) : date.getUTCDate() === item.frequencyInterval)
        );
      default:
        return false;
    }
  });
}

function snapshotAt(
  cluster: ClusterRecord,
  ids: IdFactory,
  rng: Rng,
  createdAt: number,
  fields: Pick<SnapshotRecord, 'snapshotType' | 'policyItemIds' | 'expiresAt'> & Partial<SnapshotRecord>,
): SnapshotRecord {
  const sharded = cluster.kind === 'sharded';
  const startedAt = createdAt + 5_000;
  const ageDays = Math.max(0, (cluster.createdAt > createdAt ? 0 : createdAt - cluster.createdAt) / DAY);
  const size = cluster.dataSizeBytes * (0.6 + Math.min(0.4, ageDays / 1000)) * (0.97 + rng.next() * 0.06);
  return {
    id: ids.objectId(createdAt),
    groupId: cluster.groupId,
    clusterName: cluster.name,
    type: sharded ? 'shardedCluster' : 'replicaSet',
    cloudProvider: cluster.provider,
    mongodVersion: cluster.mongoDBVersion,
    ...(sharded
      ? {
          configServerType: 'EMBEDDED' as const,
          members: cluster.shards.map((s) => ({
            id: ids.objectId(createdAt),
            replicaSetName: s.replicaSetName,
            cloudProvider: cluster.provider,
          })),
        }
      : { replicaSetName: cluster.shards[0]?.replicaSetName }),
    createdAt,
    startedAt,
    doneAt: startedAt + rng.int(2, 9) * MINUTE,
    outcome: 'succeeded',
    storageSizeBytes: Math.round(size),
    ...fields,
  };
}

/**
 * Scheduled snapshots a cluster would hold at `now` under its policy: one per 6-hour slot,
 * kept as long as the longest policy item it satisfies, labelled with the rarest frequency.
 */
export function scheduledHistory(
  cluster: ClusterRecord,
  ids: IdFactory,
  rng: Rng,
  now: number,
  failureRate: number,
): SnapshotRecord[] {
  const policy = cluster.policy;
  const hourly = policy.items.find((i) => i.frequencyType === 'hourly');
  const interval = (hourly?.frequencyInterval ?? 24) * HOUR;
  // Slots are anchored on the reference hour, so the daily slot is one of the 6-hourly ones.
  const offset = (policy.referenceHourOfDay * HOUR + policy.referenceMinuteOfHour * MINUTE) % interval;
  const longest = Math.max(...policy.items.map((i) => expiryOf(now, i) - now));
  const out: SnapshotRecord[] = [];
  for (
    let slot = Math.floor((now - offset) / interval) * interval + offset;
    slot > now - longest;
    slot -= interval
  ) {
    if (slot < cluster.createdAt) break;
    const items = itemsFor(policy, slot);
    if (items.length === 0) continue;
    const expiresAt = Math.max(...items.map((i) => expiryOf(slot, i)));
    if (expiresAt <= now) continue;
    const top = items.reduce((a, b) => (RANK[b.frequencyType] > RANK[a.frequencyType] ? b : a));
    const createdAt = slot + rng.int(0, 90) * 1000;
    if (createdAt > now) continue;
    out.push(
      snapshotAt(cluster, ids, rng, createdAt, {
        snapshotType: 'scheduled',
        frequencyType: top.frequencyType,
        policyItemIds: items.map((i) => i.id),
        expiresAt,
        ...(rng.chance(failureRate) ? { outcome: 'failed' as const } : {}),
      }),
    );
  }
  return out;
}

/** Large mode: `count` hourly snapshots, all retained, for benchmarks and pagination tests. */
export function largeHistory(
  cluster: ClusterRecord,
  ids: IdFactory,
  rng: Rng,
  now: number,
  count: number,
): SnapshotRecord[] {
  const hourly = cluster.policy.items.find((i) => i.frequencyType === 'hourly');
  const out: SnapshotRecord[] = [];
  const first = Math.floor(now / HOUR) * HOUR - HOUR;
  for (let i = 0; i < count; i++) {
    const slot = first - i * HOUR;
    out.push(
      snapshotAt(cluster, ids, rng, slot, {
        snapshotType: 'scheduled',
        frequencyType: 'hourly',
        policyItemIds: hourly ? [hourly.id] : [],
        expiresAt: now + 730 * DAY - i * HOUR,
      }),
    );
  }
  return out;
}

export function onDemandSnapshot(
  cluster: ClusterRecord,
  ids: IdFactory,
  rng: Rng,
  createdAt: number,
  description: string,
  retentionDays: number,
): SnapshotRecord {
  return snapshotAt(cluster, ids, rng, createdAt, {
    snapshotType: 'onDemand',
    policyItemIds: [],
    description,
    expiresAt: createdAt + retentionDays * DAY,
  });
}

/** Serverless instances: a snapshot every 6 hours, kept for 2 days. */
export function serverlessHistory(
  groupId: string,
  instanceName: string,
  mongodVersion: string,
  ids: IdFactory,
  rng: Rng,
  now: number,
): ServerlessSnapshotRecord[] {
  const out: ServerlessSnapshotRecord[] = [];
  const interval = 6 * HOUR;
  for (let slot = Math.floor(now / interval) * interval; slot > now - 2 * DAY; slot -= interval) {
    const createdAt = slot + rng.int(0, 60) * 1000;
    if (createdAt > now) continue;
    const startedAt = createdAt + 3_000;
    out.push({
      id: ids.objectId(createdAt),
      groupId,
      instanceName,
      snapshotType: 'scheduled',
      frequencyType: 'hourly',
      mongodVersion,
      createdAt,
      startedAt,
      doneAt: startedAt + rng.int(1, 4) * MINUTE,
      outcome: 'succeeded',
      expiresAt: slot + 2 * DAY,
      storageSizeBytes: rng.int(40, 90) * 1024 * 1024,
    });
  }
  return out;
}

/** Flex clusters: one daily snapshot, kept for 8 days. */
export function flexHistory(
  groupId: string,
  clusterName: string,
  mongoDBVersion: string,
  ids: IdFactory,
  rng: Rng,
  now: number,
): FlexSnapshotRecord[] {
  const out: FlexSnapshotRecord[] = [];
  const first = Math.floor(now / DAY) * DAY + 2 * HOUR;
  for (let i = 0; i < 8; i++) {
    const scheduledTime = first - i * DAY;
    if (scheduledTime > now) continue;
    const startTime = scheduledTime + rng.int(5, 60) * 1000;
    out.push({
      id: ids.objectId(scheduledTime),
      groupId,
      clusterName,
      mongoDBVersion,
      scheduledTime,
      startTime,
      finishTime: startTime + rng.int(1, 3) * MINUTE,
      expiration: scheduledTime + 8 * DAY,
      outcome: 'succeeded',
    });
  }
  return out;
}
