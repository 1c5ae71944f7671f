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
}
