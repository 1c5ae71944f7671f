/**
 * The simulator's stored records. They hold the facts fixed at creation (times at which a job
 * moves on, its planned outcome); the status a client sees is derived from them and the clock.
 */
export type CloudProvider = 'AWS' | 'AZURE' | 'GCP';
export type Outcome = 'succeeded' | 'failed';
export type FrequencyType = 'hourly' | 'daily' | 'weekly' | 'monthly' | 'yearly';
export type RetentionUnit = 'days' | 'weeks' | 'months' | 'years';

export interface Tag {
  key: string;
  value: string;
}

export interface ProjectRecord {
  id: string;
  name: string;
  orgId: string;
  created: number;
  tags: Tag[];
}

export interface PolicyItemRecord {
  id: string;
  frequencyType: FrequencyType;
  frequencyInterval: number;
  retentionUnit: RetentionUnit;
  retentionValue: number;
}

export interface BackupPolicyRecord {
  policyId: string;
  items: PolicyItemRecord[];
  referenceHourOfDay: number;
  referenceMinuteOfHour: number;
  restoreWindowDays: number;
}

export interface ShardRecord {
  replicaSetName: string;
  replicationSpecId: string;
  zoneId: string;
}

export interface ClusterRecord {
  id: string;
  groupId: string;
  name: string;
  kind: 'replicaSet' | 'sharded';
  provider: CloudProvider;
  region: string;
  instanceSize: string;
  diskSizeGB: number;
  mongoDBVersion: string;
  createdAt: number;
  pitEnabled: boolean;
  paused: boolean;
  terminationProtectionEnabled: boolean;
  /** Host label Atlas derives from the name, e.g. `prod-rs.ab1cd`. */
  hostLabel: string;
  /** Size of the data a snapshot stores today; snapshots vary around it. */
  dataSizeBytes: number;
  /** One entry for a replica set, one per shard for a sharded cluster. */
  shards: ShardRecord[];
  policy: BackupPolicyRecord;
  tags: Tag[];
  /** Databases and collections over time: snapshots and point-in-time restores see those live then. */
  namespaces: NamespaceRecord[];
}

/**
 * One collection of a cluster and when it existed. A snapshot (or a point in time) holds the
 * collections live at its instant, so a collection created last week is absent from older
 * snapshots and one dropped yesterday is still in them.
 */
export interface NamespaceRecord {
  database: string;
  collection: string;
  documents: number;
  createdAt: number;
  droppedAt?: number;
  /** Atlas restores plain collections only; a time-series one shows as UNSUPPORTED. */
  kind: 'collection' | 'timeseries';
  /** Written by this collection restore job (so a cancelled job can take it back). */
  restoredBy?: string;
}

export interface FlexClusterRecord {
  id: string;
  groupId: string;
  name: string;
  provider: CloudProvider;
  region: string;
  mongoDBVersion: string;
  createdAt: number;
  hostLabel: string;
  tags: Tag[];
}

export interface ServerlessInstanceRecord {
  id: string;
  groupId: string;
  name: string;
  provider: CloudProvider;
  region: string;
  mongoDBVersion: string;
  createdAt: number;
  hostLabel: string;
  tags: Tag[];
}

export interface SnapshotMemberRecord {
  id: string;
  replicaSetName: string;
  cloudProvider: CloudProvider;
}

export interface SnapshotRecord {
  id: string;
  groupId: string;
  clusterName: string;
  type: 'replicaSet' | 'shardedCluster';
  snapshotType: 'onDemand' | 'scheduled' | 'fallback';
  frequencyType?: FrequencyType;
  policyItemIds: string[];
  description?: string;
  cloudProvider: CloudProvider;
  mongodVersion: string;
  replicaSetName?: string;
  members?: SnapshotMemberRecord[];
  configServerType?: 'EMBEDDED' | 'DEDICATED';
  createdAt: number;
  /** queued until this instant, then inProgress. */
  startedAt: number;
  /** inProgress until this instant, then `outcome`. */
  doneAt: number;
  outcome: Outcome;
  expiresAt: number;
  storageSizeBytes: number;
}

export interface ServerlessSnapshotRecord {
  id: string;
  groupId: string;
  instanceName: string;
  snapshotType: 'onDemand' | 'scheduled';
  frequencyType: 'hourly' | 'daily' | 'weekly' | 'monthly';
  mongodVersion: string;
  createdAt: number;
  startedAt: number;
  doneAt: number;
  outcome: Outcome;
  expiresAt: number;
  storageSizeBytes: number;
}

export type DeliveryType = 'automated' | 'download' | 'pointInTime';

export interface RestoreJobRecord {
  id: string;
  groupId: string;
  /** Source cluster (or serverless instance) name. */
  clusterName: string;
  deliveryType: DeliveryType;
  snapshotId?: string;
  targetGroupId?: string;
  targetClusterName?: string;
  pointInTimeUTCSeconds?: number;
  oplogTs?: number;
  oplogInc?: number;
  /** When the restored data dates from (snapshot creation or the point in time). */
  restoredTimestamp: number;
  createdAt: number;
  /** The restore finishes (or fails, or a download becomes ready) at this instant. */
  doneAt: number;
  outcome: Outcome;
  cancelledAt?: number;
  /** How long a download link stays valid once ready. */
  linkLifetimeMs: number;
  /** Shard replica set names of a sharded source, for per-member download components. */
  shardNames?: string[];
}

export interface ExportBucketRecord {
  id: string;
  groupId: string;
  bucketName: string;
  cloudProvider: CloudProvider;
  iamRoleId: string;
  region: string;
  requirePrivateNetworking: boolean;
}

export interface ExportJobRecord {
  id: string;
  groupId: string;
  clusterName: string;
  snapshotId: string;
  exportBucketId: string;
  customData: Tag[];
  createdAt: number;
  startedAt: number;
  doneAt: number;
  outcome: Outcome;
  totalCollections: number;
  components?: { exportId: string; replicaSetName: string }[];
}

export type FlexStatus = 'PENDING' | 'QUEUED' | 'RUNNING' | 'FAILED' | 'COMPLETED';

export interface FlexSnapshotRecord {
  id: string;
  groupId: string;
  clusterName: string;
  mongoDBVersion: string;
  scheduledTime: number;
  startTime: number;
  finishTime: number;
  expiration: number;
  outcome: Outcome;
}

export interface FlexRestoreJobRecord {
  id: string;
  groupId: string;
  instanceName: string;
  deliveryType: 'RESTORE' | 'DOWNLOAD';
  snapshotId: string;
  snapshotFinishedDate: number;
  targetDeploymentItemName?: string;
  targetProjectId?: string;
  createdAt: number;
  runningAt: number;
  doneAt: number;
  outcome: Outcome;
  /** When a download link stops working; restores into a cluster have none. */
  expirationDate?: number;
}

export type WriteStrategy = 'CREATE_NEW' | 'OVERWRITE_EXISTING';
export type IndexStrategy = 'ALL' | 'NONE' | 'ALL_EXCEPT_TTL';

/** One collection a collection-level restore copies, fixed when the job is created. */
export interface CollectionRestoreItem {
  sourceNamespace: string;
  /** What was asked for (or the source with the suffixes applied). */
  targetNamespace: string;
  /** Where the data really goes: differs after a CREATE_NEW conflict rename. */
  effectiveTargetNamespace: string;
  documents: number;
  supported: boolean;
}

export interface RestoreNamespaceRequest {
  sourceNamespace: string;
  targetNamespace?: string;
}

export interface CollectionRestoreJobRecord {
  id: string;
  groupId: string;
  /** Source cluster. */
  clusterName: string;
  snapshotId?: string;
  pointInTimeUtcSeconds?: number;
  oplogTs?: number;
  oplogInc?: number;
  targetGroupId: string;
  targetClusterName: string;
  writeStrategy: WriteStrategy;
  indexStrategy: IndexStrategy;
  /** The request's scope as sent: one of the two lists is empty. */
  databases: RestoreNamespaceRequest[];
  collections: RestoreNamespaceRequest[];
  databaseSuffix: string;
  collectionSuffix: string;
  items: CollectionRestoreItem[];
  createdAt: number;
  /** INITIALIZING until this instant, then IN_PROGRESS. */
  copyStartsAt: number;
  /** IN_PROGRESS (documents climb) until this instant, then FINALIZING (indexes). */
  copyEndsAt: number;
  /** FINALIZING until this instant, then SUCCESSFUL or FAILED. */
  doneAt: number;
  /** A planned failure stops the copy at this instant (between copyStartsAt and copyEndsAt). */
  failsAt?: number;
  /** A planned index build failure on this source namespace (the job still succeeds). */
  indexFailureNamespace?: string;
  cancelledAt?: number;
}

export interface CompliancePolicyItemRecord {
  id: string;
  frequencyType: FrequencyType | 'ondemand';
  frequencyInterval: number;
  retentionUnit: RetentionUnit;
  retentionValue: number;
}

/** A project's Backup Compliance Policy (DataProtectionSettings). */
export interface CompliancePolicyRecord {
  projectId: string;
  authorizedEmail: string;
  authorizedUserFirstName: string;
  authorizedUserLastName: string;
  copyProtectionEnabled: boolean;
  encryptionAtRestEnabled: boolean;
  pitEnabled: boolean;
  restoreWindowDays: number;
  onDemandPolicyItem: CompliancePolicyItemRecord;
  scheduledPolicyItems: CompliancePolicyItemRecord[];
  state: 'ACTIVE' | 'ENABLING' | 'UPDATING' | 'DISABLING';
  deletable: boolean;
  updatedDate: number;
  updatedUser: string;
}
