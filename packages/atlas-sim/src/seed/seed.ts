import { IdFactory, Rng } from '../rng.js';
import type { SimStore } from '../model/store.js';
import { DAY, HOUR, MINUTE, timings } from '../model/timings.js';
import type {
  CloudProvider,
  ClusterRecord,
  CompliancePolicyRecord,
  PolicyItemRecord,
  SnapshotRecord,
} from '../model/types.js';
import {
  defaultPolicy,
  flexHistory,
  largeHistory,
  onDemandSnapshot,
  scheduledHistory,
  serverlessHistory,
} from './history.js';
import { seededNamespaces } from './namespaces.js';
import type { ClusterRef, SeededProject, SeedSummary } from './summary.js';

export const LARGE_SNAPSHOT_COUNT = 10_000;

/** Stable ids (independent of the clock) hang off this instant, so a seed always names the same projects. */
const ID_EPOCH = Date.UTC(2023, 2, 1);
const GB = 1024 ** 3;

interface ClusterPlan {
  name: string;
  kind: 'replicaSet' | 'sharded';
  provider: CloudProvider;
  region: string;
  instanceSize: string;
  mongoDBVersion: string;
  dataGB: number;
  ageDays: number;
  /** Continuous cloud backup (point-in-time restores). */
  pitEnabled: boolean;
  /** Every scheduled snapshot of the last this-many hours failed: the cluster is behind its schedule. */
  failingForHours?: number;
}

interface ProjectPlan {
  name: string;
  tags: { key: string; value: string }[];
  clusters: ClusterPlan[];
  flex: string[];
  serverless: string[];
  buckets: string[];
}

const PLAN: ProjectPlan[] = [
  {
    name: 'Production',
    tags: [{ key: 'environment', value: 'production' }],
    clusters: [
      {
        name: 'orders-prod',
        kind: 'replicaSet',
        provider: 'AWS',
        region: 'US_EAST_1',
        instanceSize: 'M30',
        mongoDBVersion: '8.0.4',
        dataGB: 48,
        ageDays: 540,
        pitEnabled: true,
      },
      {
        name: 'events-sharded',
        kind: 'sharded',
        provider: 'AWS',
        region: 'EU_WEST_1',
        instanceSize: 'M40',
        mongoDBVersion: '7.0.16',
        dataGB: 310,
        ageDays: 420,
        pitEnabled: true,
      },
    ],
    flex: ['sandbox-flex'],
    serverless: ['metrics-serverless'],
    buckets: ['acme-atlas-exports'],
  },
  {
    name: 'Staging',
    tags: [{ key: 'environment', value: 'staging' }],
    clusters: [
      {
        name: 'orders-staging',
        kind: 'replicaSet',
        provider: 'GCP',
        region: 'CENTRAL_US',
        instanceSize: 'M10',
        mongoDBVersion: '8.0.4',
        dataGB: 6,
        ageDays: 300,
        pitEnabled: true,
      },
    ],
    flex: ['staging-flex'],
    serverless: [],
    buckets: ['acme-staging-exports'],
  },
  {
    name: 'Analytics',
    tags: [{ key: 'environment', value: 'analytics' }],
    clusters: [
      {
        name: 'reporting',
        kind: 'replicaSet',
        provider: 'AWS',
        region: 'US_WEST_2',
        instanceSize: 'M20',
        mongoDBVersion: '7.0.16',
        dataGB: 22,
        ageDays: 200,
        pitEnabled: false,
        failingForHours: 30,
      },
    ],
    flex: [],
    serverless: [],
    buckets: [],
  },
];

const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

function label(rng: Rng, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += rng.pick([...ALNUM]);
  return out;
}

export interface SeedOptions {
  seed: number;
  large: boolean;
  now: number;
}

/** Fills the store with several projects and weeks of backup history, all from the seed. */
export function seedStore(store: SimStore, runtimeIds: IdFactory, options: SeedOptions): SeedSummary {
  const { seed, large, now } = options;
  const rng = new Rng(seed);
  const stable = new IdFactory(rng.fork(1));
  const detail = rng.fork(2);
  let stableClock = ID_EPOCH;
  const stableId = (): string => stable.objectId((stableClock += DAY));
  const orgId = stableId();
  const projects: SeededProject[] = [];
  const clusters: ClusterRecord[] = [];
  const plans = new Map<ClusterRecord, ClusterPlan>();

  for (const plan of PLAN) {
    const projectId = stableId();
    store.addProject({
      id: projectId,
      name: plan.name,
      orgId,
      created: now - detail.int(600, 900) * DAY,
      tags: plan.tags,
    });
    const seeded: SeededProject = {
      id: projectId,
      name: plan.name,
      clusters: [],
      flexClusters: [],
      serverlessInstances: [],
      exportBucketIds: [],
    };
    for (const c of plan.clusters) {
      const clusterId = stableId();
      const rsPrefix = `atlas-${label(detail, 6)}`;
      const shardCount = c.kind === 'sharded' ? 2 : 1;
      const createdAt = now - c.ageDays * DAY;
      const cluster = store.addCluster({
        id: clusterId,
        groupId: projectId,
        name: c.name,
        kind: c.kind,
        provider: c.provider,
        region: c.region,
        instanceSize: c.instanceSize,
        diskSizeGB: Math.max(10, Math.ceil((c.dataGB * 1.5) / 10) * 10),
        mongoDBVersion: c.mongoDBVersion,
        createdAt,
        pitEnabled: c.pitEnabled,
        paused: false,
        terminationProtectionEnabled: plan.name === 'Production',
        hostLabel: `${c.name}.${label(detail, 5)}`,
        dataSizeBytes: Math.round(c.dataGB * GB),
        shards: Array.from({ length: shardCount }, (_, i) => ({
          replicaSetName: `${rsPrefix}-shard-${i}`,
          replicationSpecId: stableId(),
          zoneId: stableId(),
        })),
        policy: defaultPolicy(stable, (stableClock += DAY)),
        tags: plan.tags,
        namespaces: seededNamespaces(c.name, createdAt, now),
      });
      clusters.push(cluster);
      plans.set(cluster, c);
      seeded.clusters.push({ name: c.name, kind: c.kind });
    }
    for (const name of plan.flex) {
      store.addFlexCluster({
        id: stableId(),
        groupId: projectId,
        name,
        provider: 'AWS',
        region: 'US_EAST_1',
        mongoDBVersion: '8.0.4',
        createdAt: now - detail.int(30, 120) * DAY,
        hostLabel: `${name}.${label(detail, 5)}`,
        tags: plan.tags,
      });
      seeded.flexClusters.push(name);
    }
    for (const name of plan.serverless) {
      store.addServerlessInstance({
        id: stableId(),
        groupId: projectId,
        name,
        provider: 'AWS',
        region: 'US_EAST_1',
        mongoDBVersion: '8.0.4',
        createdAt: now - detail.int(200, 400) * DAY,
        hostLabel: `${name}.${label(detail, 5)}`,
        tags: plan.tags,
      });
      seeded.serverlessInstances.push(name);
    }
    for (const bucketName of plan.buckets) {
      const id = stableId();
      store.addExportBucket({
        id,
        groupId: projectId,
        bucketName,
        cloudProvider: 'AWS',
        iamRoleId: stableId(),
        region: 'us-east-1',
        requirePrivateNetworking: false,
      });
      seeded.exportBucketIds.push(id);
    }
    projects.push(seeded);
  }

  // Backup history: scheduled snapshots from each policy, plus a few on-demand ones.
  const history = rng.fork(3);
  const primary = projects[0] as SeededProject;
  let replicaSetSnapshotCount = 0;
  let failedSnapshot: (ClusterRef & { snapshotId: string }) | undefined;
  for (const cluster of clusters) {
    const isPrimaryReplicaSet = cluster.groupId === primary.id && cluster.kind === 'replicaSet';
    let snapshots: SnapshotRecord[];
    if (large && isPrimaryReplicaSet) {
      snapshots = largeHistory(cluster, runtimeIds, history, now, LARGE_SNAPSHOT_COUNT);
    } else {
      snapshots = scheduledHistory(cluster, runtimeIds, history, now, 0.02);
      // Outcomes are set after drawing, so the random sequence (and every id) stays as it was.
      const failingSince = now - (plans.get(cluster)?.failingForHours ?? 0) * HOUR;
      for (const s of snapshots) if (s.createdAt > failingSince) s.outcome = 'failed';
      if (isPrimaryReplicaSet) {
        const missed = snapshots.find((s) => s.createdAt < now - 36 * HOUR);
        if (missed) {
          missed.outcome = 'failed';
          failedSnapshot = { projectId: cluster.groupId, clusterName: cluster.name, snapshotId: missed.id };
        }
      }
      snapshots.push(
        onDemandSnapshot(
          cluster,
          runtimeIds,
          history,
          now - 10 * DAY - 4 * HOUR,
          'Before schema migration v42',
          30,
        ),
        onDemandSnapshot(
          cluster,
          runtimeIds,
          history,
          now - 3 * DAY - 7 * HOUR,
          'Pre-release checkpoint',
          14,
        ),
      );
    }
    store.loadSnapshots(cluster.groupId, cluster.name, snapshots);
    if (isPrimaryReplicaSet) replicaSetSnapshotCount = snapshots.length;
  }

  for (const project of projects) {
    for (const name of project.flexClusters)
      store.loadFlexSnapshots(
        project.id,
        name,
        flexHistory(project.id, name, '8.0.4', runtimeIds, history, now),
      );
    for (const name of project.serverlessInstances) {
      store.loadServerlessSnapshots(
        project.id,
        name,
        serverlessHistory(project.id, name, '8.0.4', runtimeIds, history, now),
      );
    }
  }

  seedPastJobs(store, runtimeIds, history, now, projects);
  // Ids drawn last, so every id above is the same as before the policy existed.
  store.setCompliancePolicy(primary.id, compliancePolicy(primary.id, stable, now));

  const ref = (c: ClusterRecord): ClusterRef => ({ projectId: c.groupId, clusterName: c.name });
  const behind = clusters.find((c) => plans.get(c)?.failingForHours !== undefined);
  const replicaSet = primary.clusters.find((c) => c.kind === 'replicaSet');
  const sharded = primary.clusters.find((c) => c.kind === 'sharded');
  return {
    seed,
    large,
    orgId,
    projects,
    projectId: primary.id,
    replicaSetName: replicaSet?.name ?? '',
    shardedClusterName: sharded?.name ?? '',
    flexClusterName: primary.flexClusters[0] ?? '',
    serverlessInstanceName: primary.serverlessInstances[0] ?? '',
    exportBucketId: primary.exportBucketIds[0] ?? '',
    replicaSetSnapshotCount,
    ...(behind ? { behindSchedule: ref(behind) } : {}),
    continuousBackupOff: clusters.filter((c) => !c.pitEnabled).map(ref),
    ...(failedSnapshot ? { failedSnapshot } : {}),
    compliancePolicyProjectIds: [primary.id],
  };
}

/**
 * Production's Backup Compliance Policy: Atlas's default schedule as the floor, on-demand
 * snapshots kept at least 2 days, 7 days of continuous backup; as every policy, it forbids
 * deleting snapshots before they expire.
 */
function compliancePolicy(projectId: string, ids: IdFactory, now: number): CompliancePolicyRecord {
  const at = now - 120 * DAY;
  const item = (
    frequencyType: PolicyItemRecord['frequencyType'],
    frequencyInterval: number,
    retentionUnit: PolicyItemRecord['retentionUnit'],
    retentionValue: number,
  ) => ({ id: ids.objectId(ID_EPOCH), frequencyType, frequencyInterval, retentionUnit, retentionValue });
  return {
    projectId,
    authorizedEmail: 'compliance@acme.example',
    authorizedUserFirstName: 'Zoë',
    authorizedUserLastName: 'Müller',
    copyProtectionEnabled: false,
    encryptionAtRestEnabled: false,
    pitEnabled: true,
    restoreWindowDays: 7,
    onDemandPolicyItem: {
      id: ids.objectId(ID_EPOCH),
      frequencyType: 'ondemand',
      frequencyInterval: 0,
      retentionUnit: 'days',
      retentionValue: 2,
    },
    scheduledPolicyItems: [
      item('hourly', 6, 'days', 2),
      item('daily', 1, 'days', 7),
      item('weekly', 6, 'weeks', 4),
      item('monthly', 40, 'months', 12),
    ],
    state: 'ACTIVE',
    deletable: false,
    updatedDate: at,
    updatedUser: 'compliance@acme.example',
  };
}

/** A few finished, failed and expired jobs, so lists are not empty on first look. */
function seedPastJobs(
  store: SimStore,
  ids: IdFactory,
  rng: Rng,
  now: number,
  projects: SeededProject[],
): void {
  const [primary, staging] = projects;
  if (!primary || !staging) return;
  const rsName = primary.clusters.find((c) => c.kind === 'replicaSet')?.name;
  const stagingCluster = staging.clusters[0]?.name;
  if (!rsName) return;
  const snapshots = store.listSnapshots(primary.id, rsName);
  const olderThan = (age: number): SnapshotRecord | undefined =>
    snapshots.find((s) => s.createdAt < now - age && s.outcome === 'succeeded');
  const job = (
    age: number,
    fields: Partial<Parameters<SimStore['addRestoreJob']>[0]>,
    snapshot = olderThan(age + HOUR),
  ): void => {
    if (!snapshot) return;
    const createdAt = now - age;
    store.addRestoreJob({
      id: ids.objectId(createdAt),
      groupId: primary.id,
      clusterName: rsName,
      deliveryType: 'automated',
      snapshotId: snapshot.id,
      restoredTimestamp: snapshot.createdAt,
      createdAt,
      doneAt: createdAt + rng.int(4, 12) * MINUTE,
      outcome: 'succeeded',
      linkLifetimeMs: timings.downloadLinkLifetime,
      ...fields,
    });
  };
  if (stagingCluster) {
    job(9 * DAY, { targetGroupId: staging.id, targetClusterName: stagingCluster, outcome: 'failed' });
    job(5 * DAY, { targetGroupId: staging.id, targetClusterName: stagingCluster });
  }
  job(2 * DAY, { deliveryType: 'download' });

  const bucketId = primary.exportBucketIds[0];
  const exported = olderThan(3 * DAY);
  if (bucketId && exported) {
    const createdAt = now - 3 * DAY + HOUR;
    store.addExportJob({
      id: ids.objectId(createdAt),
      groupId: primary.id,
      clusterName: rsName,
      snapshotId: exported.id,
      exportBucketId: bucketId,
      customData: [{ key: 'reason', value: 'quarterly archive' }],
      createdAt,
      startedAt: createdAt + 30_000,
      doneAt: createdAt + 30_000 + 11 * MINUTE,
      outcome: 'succeeded',
      totalCollections: 37,
    });
  }

  const flexName = primary.flexClusters[0];
  const flexSnapshot = flexName ? store.listFlexSnapshots(primary.id, flexName)[1] : undefined;
  if (flexName && flexSnapshot) {
    const createdAt = now - DAY;
    store.addFlexRestoreJob({
      id: ids.objectId(createdAt),
      groupId: primary.id,
      instanceName: flexName,
      deliveryType: 'DOWNLOAD',
      snapshotId: flexSnapshot.id,
      snapshotFinishedDate: flexSnapshot.finishTime,
      createdAt,
      runningAt: createdAt + 5_000,
      doneAt: createdAt + 2 * MINUTE,
      outcome: 'succeeded',
      expirationDate: createdAt + timings.flexDownloadLifetime,
    });
  }

  const serverlessName = primary.serverlessInstances[0];
  const serverlessSnapshot = serverlessName
    ? store.listServerlessSnapshots(primary.id, serverlessName)[2]
    : undefined;
  if (serverlessName && serverlessSnapshot) {
    const createdAt = serverlessSnapshot.doneAt + HOUR;
    store.addServerlessRestoreJob({
      id: ids.objectId(createdAt),
      groupId: primary.id,
      clusterName: serverlessName,
      deliveryType: 'automated',
      snapshotId: serverlessSnapshot.id,
      targetGroupId: primary.id,
      targetClusterName: serverlessName,
      restoredTimestamp: serverlessSnapshot.createdAt,
      createdAt,
      doneAt: createdAt + 6 * MINUTE,
      outcome: 'succeeded',
      linkLifetimeMs: timings.downloadLinkLifetime,
    });
  }
}
