import { flexSnapshotStatus, snapshotStatus } from '../model/lifecycle.js';
import type { FlexSnapshotRecord, ServerlessSnapshotRecord, SnapshotRecord } from '../model/types.js';
import { API, clusterPath, iso, selfLinks } from './format.js';

/** Fields common to every dedicated-cluster snapshot view. */
function common(s: SnapshotRecord, now: number, baseUrl: string): Record<string, unknown> {
  const status = snapshotStatus(s, now);
  const view: Record<string, unknown> = {
    createdAt: iso(s.createdAt),
  };
  if (s.description !== undefined) view.description = s.description;
  view.expiresAt = iso(s.expiresAt);
  // On-demand snapshots have no frequency: the contract's enum has no on-demand value.
  if (s.frequencyType) view.frequencyType = s.frequencyType;
  view.id = s.id;
  view.links = selfLinks(baseUrl, `${clusterPath(s.groupId, s.clusterName)}/backup/snapshots/${s.id}`);
  view.mongodVersion = s.mongodVersion;
  view.policyItems = s.policyItemIds;
  view.snapshotType = s.snapshotType;
  view.status = status;
  if (status === 'completed') view.storageSizeBytes = s.storageSizeBytes;
  view.type = s.type;
  return view;
}

/** DiskBackupSnapshot: the answer to taking an on-demand snapshot. */
export function takenSnapshotView(s: SnapshotRecord, now: number, baseUrl: string): Record<string, unknown> {
  return common(s, now, baseUrl);
}

/** DiskBackupReplicaSet: list/get/update through the generic snapshots endpoints. */
export function snapshotView(s: SnapshotRecord, now: number, baseUrl: string): Record<string, unknown> {
  const view = common(s, now, baseUrl);
  view.cloudProvider = s.cloudProvider;
  view.copyRegions = [];
  if (s.replicaSetName !== undefined) view.replicaSetName = s.replicaSetName;
  return view;
}

/** DiskBackupShardedClusterSnapshot: the sharded-cluster endpoints. */
export function shardedSnapshotView(
  s: SnapshotRecord,
  now: number,
  baseUrl: string,
): Record<string, unknown> {
  const view = common(s, now, baseUrl);
  view.links = selfLinks(
    baseUrl,
    `${clusterPath(s.groupId, s.clusterName)}/backup/snapshots/shardedCluster/${s.id}`,
  );
  if (s.configServerType) view.configServerType = s.configServerType;
  const members = s.members ?? [];
  view.members = members.map((m) => ({
    cloudProvider: m.cloudProvider,
    id: m.id,
    replicaSetName: m.replicaSetName,
  }));
  view.snapshotIds = members.map((m) => m.id);
  return view;
}

export function serverlessSnapshotView(
  s: ServerlessSnapshotRecord,
  now: number,
  baseUrl: string,
): Record<string, unknown> {
  const status = snapshotStatus(s, now);
  return {
    createdAt: iso(s.createdAt),
    expiresAt: iso(s.expiresAt),
    frequencyType: s.frequencyType,
    id: s.id,
    links: selfLinks(
      baseUrl,
      `${API}/groups/${s.groupId}/serverless/${s.instanceName}/backup/snapshots/${s.id}`,
    ),
    mongodVersion: s.mongodVersion,
    serverlessInstanceName: s.instanceName,
    snapshotType: s.snapshotType,
    status,
    ...(status === 'completed' ? { storageSizeBytes: s.storageSizeBytes } : {}),
  };
}

export function flexSnapshotView(
  s: FlexSnapshotRecord,
  now: number,
  baseUrl: string,
): Record<string, unknown> {
  const status = flexSnapshotStatus(s, now);
  return {
    expiration: iso(s.expiration),
    ...(status === 'COMPLETED' || status === 'FAILED' ? { finishTime: iso(s.finishTime) } : {}),
    id: s.id,
    links: selfLinks(
      baseUrl,
      `${API}/groups/${s.groupId}/flexClusters/${s.clusterName}/backup/snapshots/${s.id}`,
    ),
    mongoDBVersion: s.mongoDBVersion,
    scheduledTime: iso(s.scheduledTime),
    ...(status === 'QUEUED' ? {} : { startTime: iso(s.startTime) }),
    status,
  };
}
