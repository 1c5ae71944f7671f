/** What the seed created, so tests and the CLI can name real ids without listing first. */
export interface SeededProject {
  id: string;
  name: string;
  /** Dedicated clusters with their topology. */
  clusters: { name: string; kind: 'replicaSet' | 'sharded' }[];
  flexClusters: string[];
  serverlessInstances: string[];
  exportBucketIds: string[];
}

export interface ClusterRef {
  projectId: string;
  clusterName: string;
}

export interface SeedSummary {
  seed: number;
  large: boolean;
  orgId: string;
  projects: SeededProject[];
  /** Shortcuts into the first project, which holds one deployment of every kind. */
  projectId: string;
  replicaSetName: string;
  shardedClusterName: string;
  flexClusterName: string;
  serverlessInstanceName: string;
  exportBucketId: string;
  /** Snapshots seeded on the replica set (10,000 in large mode). */
  replicaSetSnapshotCount: number;
  /** A cluster whose newest completed snapshot is older than its schedule promises (every
   * scheduled snapshot of its last 30 hours failed). */
  behindSchedule?: ClusterRef;
  /** Clusters without continuous cloud backup: point-in-time restores are refused. */
  continuousBackupOff: ClusterRef[];
  /** A scheduled snapshot that failed 1.5 to 2 days ago on a cluster that is otherwise on schedule
   * (absent in large mode). */
  failedSnapshot?: ClusterRef & { snapshotId: string };
  /** Projects with a Backup Compliance Policy (the others answer 404). */
  compliancePolicyProjectIds: string[];
}
