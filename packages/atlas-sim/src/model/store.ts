import type { SimClock } from '../clock.js';
import { collectionRestoreState, isTerminal } from './collection-restore.js';
import type {
  ClusterRecord,
  CollectionRestoreJobRecord,
  CompliancePolicyRecord,
  ExportBucketRecord,
  ExportJobRecord,
  FlexClusterRecord,
  FlexRestoreJobRecord,
  FlexSnapshotRecord,
  ProjectRecord,
  RestoreJobRecord,
  ServerlessInstanceRecord,
  ServerlessSnapshotRecord,
  SnapshotRecord,
} from './types.js';

type FailureKind =
  | 'snapshot'
  | 'restoreJob'
  | 'exportJob'
  | 'flexRestoreJob'
  | 'serverlessRestoreJob'
  | 'collectionRestoreJob';

interface Identified {
  id: string;
}

function key(groupId: string, name: string): string {
  return `${groupId}/${name}`;
}

/** Per-deployment collection: a newest-first list (time, then id, descending) plus an id index. */
class Collection<T extends Identified> {
  private readonly lists = new Map<string, T[]>();
  private readonly byId = new Map<string, { owner: string; item: T }>();

  constructor(private readonly timeOf: (item: T) => number) {}

  add(owner: string, item: T): T {
    let list = this.lists.get(owner);
    if (!list) {
      list = [];
      this.lists.set(owner, list);
    }
    // Binary search: new items almost always land at the front, but a test may set the clock back.
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compare(list[mid] as T, item) < 0) lo = mid + 1;
      else hi = mid;
    }
    list.splice(lo, 0, item);
    this.byId.set(item.id, { owner, item });
    return item;
  }

  /** Bulk load for seeding. */
  load(owner: string, items: T[]): void {
    for (const item of items) this.byId.set(item.id, { owner, item });
    const merged = [...(this.lists.get(owner) ?? []), ...items];
    merged.sort((a, b) => this.compare(a, b));
    this.lists.set(owner, merged);
  }

  list(owner: string): readonly T[] {
    return this.lists.get(owner) ?? [];
  }

  get(owner: string, id: string): T | undefined {
    const entry = this.byId.get(id);
    return entry && entry.owner === owner ? entry.item : undefined;
  }

  remove(owner: string, id: string): boolean {
    const entry = this.byId.get(id);
    if (!entry || entry.owner !== owner) return false;
    this.byId.delete(id);
    const list = this.lists.get(owner);
    const index = list ? list.indexOf(entry.item) : -1;
    if (list && index >= 0) list.splice(index, 1);
    return true;
  }

  count(): number {
    return this.byId.size;
  }

  all(): IterableIterator<{ owner: string; item: T }> {
    return this.byId.values();
  }

  /** Negative when `a` sorts before `b`, i.e. `a` is newer. */
  private compare(a: T, b: T): number {
    const ta = this.timeOf(a);
    const tb = this.timeOf(b);
    if (ta !== tb) return tb - ta;
    return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
  }
}

/**
 * Everything the simulator knows, with typed accessors. Lists are newest first; snapshots past
 * their `expiresAt` are gone, as Atlas deletes them. Records are live objects: a test may change
 * a field (say `outcome`) to steer what happens next.
 */
export class SimStore {
  private readonly projectMap = new Map<string, ProjectRecord>();
  private readonly clusterMap = new Map<string, ClusterRecord>();
  private readonly flexMap = new Map<string, FlexClusterRecord>();
  private readonly serverlessMap = new Map<string, ServerlessInstanceRecord>();
  private readonly bucketMap = new Map<string, ExportBucketRecord>();
  private readonly snapshots = new Collection<SnapshotRecord>((s) => s.createdAt);
  private readonly restoreJobs = new Collection<RestoreJobRecord>((j) => j.createdAt);
  private readonly exportJobs = new Collection<ExportJobRecord>((j) => j.createdAt);
  private readonly flexSnapshots = new Collection<FlexSnapshotRecord>((s) => s.scheduledTime);
  private readonly flexRestoreJobs = new Collection<FlexRestoreJobRecord>((j) => j.createdAt);
  private readonly serverlessSnapshots = new Collection<ServerlessSnapshotRecord>((s) => s.createdAt);
  private readonly serverlessRestoreJobs = new Collection<RestoreJobRecord>((j) => j.createdAt);
  private readonly collectionRestoreJobs = new Collection<CollectionRestoreJobRecord>((j) => j.createdAt);
  private readonly compliancePolicies = new Map<string, CompliancePolicyRecord>();
  private readonly plannedFailures = new Map<string, number>();
  private readonly plannedIndexFailures = new Map<string, string[]>();
  private readonly viewOverrides = new Map<string, Record<string, unknown>>();

  constructor(private readonly clock: SimClock) {}

  // Projects and deployments

  addProject(project: ProjectRecord): ProjectRecord {
    this.projectMap.set(project.id, project);
    return project;
  }

  listProjects(): ProjectRecord[] {
    return [...this.projectMap.values()];
  }

  getProject(groupId: string): ProjectRecord | undefined {
    return this.projectMap.get(groupId);
  }

  addCluster(cluster: ClusterRecord): ClusterRecord {
    this.clusterMap.set(key(cluster.groupId, cluster.name), cluster);
    return cluster;
  }

  listClusters(groupId: string): ClusterRecord[] {
    return [...this.clusterMap.values()].filter((c) => c.groupId === groupId);
  }

  getCluster(groupId: string, name: string): ClusterRecord | undefined {
    return this.clusterMap.get(key(groupId, name));
  }

  addFlexCluster(cluster: FlexClusterRecord): FlexClusterRecord {
    this.flexMap.set(key(cluster.groupId, cluster.name), cluster);
    return cluster;
  }

  listFlexClusters(groupId: string): FlexClusterRecord[] {
    return [...this.flexMap.values()].filter((c) => c.groupId === groupId);
  }

  getFlexCluster(groupId: string, name: string): FlexClusterRecord | undefined {
    return this.flexMap.get(key(groupId, name));
  }

  addServerlessInstance(instance: ServerlessInstanceRecord): ServerlessInstanceRecord {
    this.serverlessMap.set(key(instance.groupId, instance.name), instance);
    return instance;
  }

  listServerlessInstances(groupId: string): ServerlessInstanceRecord[] {
    return [...this.serverlessMap.values()].filter((c) => c.groupId === groupId);
  }

  getServerlessInstance(groupId: string, name: string): ServerlessInstanceRecord | undefined {
    return this.serverlessMap.get(key(groupId, name));
  }

  /** Deployments Atlas counts in a project's `clusterCount`. */
  countDeployments(groupId: string): number {
    return (
      this.listClusters(groupId).length +
      this.listFlexClusters(groupId).length +
      this.listServerlessInstances(groupId).length
    );
  }

  // Cloud backup snapshots (dedicated clusters)

  addSnapshot(snapshot: SnapshotRecord): SnapshotRecord {
    return this.snapshots.add(key(snapshot.groupId, snapshot.clusterName), snapshot);
  }

  loadSnapshots(groupId: string, clusterName: string, snapshots: SnapshotRecord[]): void {
    this.snapshots.load(key(groupId, clusterName), snapshots);
  }

  /** Live snapshots of a cluster, newest first (expired ones are gone). */
  listSnapshots(groupId: string, clusterName: string): SnapshotRecord[] {
    const now = this.clock.now();
    return this.snapshots.list(key(groupId, clusterName)).filter((s) => s.expiresAt > now);
  }

  getSnapshot(groupId: string, clusterName: string, snapshotId: string): SnapshotRecord | undefined {
    const snapshot = this.snapshots.get(key(groupId, clusterName), snapshotId);
    return snapshot && snapshot.expiresAt > this.clock.now() ? snapshot : undefined;
  }

  deleteSnapshot(groupId: string, clusterName: string, snapshotId: string): boolean {
    return this.snapshots.remove(key(groupId, clusterName), snapshotId);
  }

  // Restore jobs

  addRestoreJob(job: RestoreJobRecord): RestoreJobRecord {
    return this.restoreJobs.add(key(job.groupId, job.clusterName), job);
  }

  listRestoreJobs(groupId: string, clusterName: string): readonly RestoreJobRecord[] {
    return this.restoreJobs.list(key(groupId, clusterName));
  }

  getRestoreJob(groupId: string, clusterName: string, jobId: string): RestoreJobRecord | undefined {
    return this.restoreJobs.get(key(groupId, clusterName), jobId);
  }

  // Export buckets and export jobs

  addExportBucket(bucket: ExportBucketRecord): ExportBucketRecord {
    this.bucketMap.set(bucket.id, bucket);
    return bucket;
  }

  listExportBuckets(groupId: string): ExportBucketRecord[] {
    return [...this.bucketMap.values()].filter((b) => b.groupId === groupId);
  }

  getExportBucket(groupId: string, bucketId: string): ExportBucketRecord | undefined {
    const bucket = this.bucketMap.get(bucketId);
    return bucket && bucket.groupId === groupId ? bucket : undefined;
  }

  addExportJob(job: ExportJobRecord): ExportJobRecord {
    return this.exportJobs.add(key(job.groupId, job.clusterName), job);
  }

  listExportJobs(groupId: string, clusterName: string): readonly ExportJobRecord[] {
    return this.exportJobs.list(key(groupId, clusterName));
  }

  getExportJob(groupId: string, clusterName: string, exportId: string): ExportJobRecord | undefined {
    return this.exportJobs.get(key(groupId, clusterName), exportId);
  }

  // Flex backups

  loadFlexSnapshots(groupId: string, clusterName: string, snapshots: FlexSnapshotRecord[]): void {
    this.flexSnapshots.load(key(groupId, clusterName), snapshots);
  }

  listFlexSnapshots(groupId: string, clusterName: string): FlexSnapshotRecord[] {
    const now = this.clock.now();
    return this.flexSnapshots.list(key(groupId, clusterName)).filter((s) => s.expiration > now);
  }

  getFlexSnapshot(groupId: string, clusterName: string, snapshotId: string): FlexSnapshotRecord | undefined {
    const snapshot = this.flexSnapshots.get(key(groupId, clusterName), snapshotId);
    return snapshot && snapshot.expiration > this.clock.now() ? snapshot : undefined;
  }

  addFlexRestoreJob(job: FlexRestoreJobRecord): FlexRestoreJobRecord {
    return this.flexRestoreJobs.add(key(job.groupId, job.instanceName), job);
  }

  listFlexRestoreJobs(groupId: string, clusterName: string): readonly FlexRestoreJobRecord[] {
    return this.flexRestoreJobs.list(key(groupId, clusterName));
  }

  getFlexRestoreJob(groupId: string, clusterName: string, jobId: string): FlexRestoreJobRecord | undefined {
    return this.flexRestoreJobs.get(key(groupId, clusterName), jobId);
  }

  // Serverless backups

  loadServerlessSnapshots(
    groupId: string,
    instanceName: string,
    snapshots: ServerlessSnapshotRecord[],
  ): void {
    this.serverlessSnapshots.load(key(groupId, instanceName), snapshots);
  }

  listServerlessSnapshots(groupId: string, instanceName: string): ServerlessSnapshotRecord[] {
    const now = this.clock.now();
    return this.serverlessSnapshots.list(key(groupId, instanceName)).filter((s) => s.expiresAt > now);
  }

  getServerlessSnapshot(
    groupId: string,
    instanceName: string,
    snapshotId: string,
  ): ServerlessSnapshotRecord | undefined {
    const snapshot = this.serverlessSnapshots.get(key(groupId, instanceName), snapshotId);
    return snapshot && snapshot.expiresAt > this.clock.now() ? snapshot : undefined;
  }

  addServerlessRestoreJob(job: RestoreJobRecord): RestoreJobRecord {
    return this.serverlessRestoreJobs.add(key(job.groupId, job.clusterName), job);
  }

  listServerlessRestoreJobs(groupId: string, instanceName: string): readonly RestoreJobRecord[] {
    return this.serverlessRestoreJobs.list(key(groupId, instanceName));
  }

  getServerlessRestoreJob(
    groupId: string,
    instanceName: string,
    jobId: string,
  ): RestoreJobRecord | undefined {
    return this.serverlessRestoreJobs.get(key(groupId, instanceName), jobId);
  }

  // Collection-level restore jobs (listed under their source cluster)

  addCollectionRestoreJob(job: CollectionRestoreJobRecord): CollectionRestoreJobRecord {
    return this.collectionRestoreJobs.add(key(job.groupId, job.clusterName), job);
  }

  listCollectionRestoreJobs(groupId: string, clusterName: string): readonly CollectionRestoreJobRecord[] {
    return this.collectionRestoreJobs.list(key(groupId, clusterName));
  }

  getCollectionRestoreJob(
    groupId: string,
    clusterName: string,
    jobId: string,
  ): CollectionRestoreJobRecord | undefined {
    return this.collectionRestoreJobs.get(key(groupId, clusterName), jobId);
  }

  /** Unfinished collection restore jobs writing into a cluster, from any source. */
  pendingCollectionRestoresInto(
    targetGroupId: string,
    targetClusterName: string,
  ): CollectionRestoreJobRecord[] {
    const now = this.clock.now();
    const out: CollectionRestoreJobRecord[] = [];
    for (const { item } of this.collectionRestoreJobs.all()) {
      if (item.targetGroupId !== targetGroupId || item.targetClusterName !== targetClusterName) continue;
      if (!isTerminal(collectionRestoreState(item, now))) out.push(item);
    }
    return out;
  }

  /**
   * Cancels an unfinished collection restore job now, as someone in the Atlas UI or support
   * would (the API has no cancel operation): it turns CANCELED, copied collections keep their
   * data and the namespaces it was about to create never appear. False when it had finished.
   */
  cancelCollectionRestoreJob(groupId: string, clusterName: string, jobId: string): boolean {
    const job = this.getCollectionRestoreJob(groupId, clusterName, jobId);
    const now = this.clock.now();
    if (!job || isTerminal(collectionRestoreState(job, now))) return false;
    job.cancelledAt = now;
    const target = this.getCluster(job.targetGroupId, job.targetClusterName);
    for (const ns of target?.namespaces ?? []) {
      if (ns.restoredBy === job.id) ns.droppedAt = ns.createdAt;
    }
    return true;
  }

  // Backup Compliance Policies

  getCompliancePolicy(groupId: string): CompliancePolicyRecord | undefined {
    return this.compliancePolicies.get(groupId);
  }

  /** Sets (or with `undefined` removes) a project's Backup Compliance Policy. */
  setCompliancePolicy(groupId: string, policy: CompliancePolicyRecord | undefined): void {
    if (policy === undefined) this.compliancePolicies.delete(groupId);
    else this.compliancePolicies.set(groupId, { ...policy, projectId: groupId });
  }

  // Steering outcomes from tests

  /** The next `times` snapshots taken on this cluster fail instead of completing. */
  failNextSnapshot(groupId: string, clusterName: string, times = 1): void {
    this.planFailure('snapshot', groupId, clusterName, times);
  }

  /** The next `times` restore jobs created from this cluster fail. */
  failNextRestoreJob(groupId: string, clusterName: string, times = 1): void {
    this.planFailure('restoreJob', groupId, clusterName, times);
  }

  /** The next `times` export jobs created for this cluster fail. */
  failNextExportJob(groupId: string, clusterName: string, times = 1): void {
    this.planFailure('exportJob', groupId, clusterName, times);
  }

  /** The next `times` Flex restore jobs or downloads of this Flex cluster fail. */
  failNextFlexRestoreJob(groupId: string, clusterName: string, times = 1): void {
    this.planFailure('flexRestoreJob', groupId, clusterName, times);
  }

  failNextServerlessRestoreJob(groupId: string, instanceName: string, times = 1): void {
    this.planFailure('serverlessRestoreJob', groupId, instanceName, times);
  }

  /** The next `times` collection restore jobs from this cluster fail partway through the copy. */
  failNextCollectionRestoreJob(groupId: string, clusterName: string, times = 1): void {
    this.planFailure('collectionRestoreJob', groupId, clusterName, times);
  }

  /**
   * The next collection restore job from this cluster that restores `sourceNamespace` fails to
   * build its indexes: the job succeeds with that collection INDEX_BUILD_FAILED.
   */
  failNextCollectionRestoreIndexBuild(groupId: string, clusterName: string, sourceNamespace: string): void {
    const k = key(groupId, clusterName);
    this.plannedIndexFailures.set(k, [...(this.plannedIndexFailures.get(k) ?? []), sourceNamespace]);
  }

  /** Used by handlers: the planned index failure among these namespaces, consumed. */
  takePlannedIndexFailure(
    groupId: string,
    clusterName: string,
    namespaces: readonly string[],
  ): string | undefined {
    const k = key(groupId, clusterName);
    const planned = this.plannedIndexFailures.get(k) ?? [];
    const index = planned.findIndex((ns) => namespaces.includes(ns));
    if (index < 0) return undefined;
    const [hit] = planned.splice(index, 1);
    if (planned.length === 0) this.plannedIndexFailures.delete(k);
    return hit;
  }

  /** Used by handlers: whether the job being created now should fail. */
  takePlannedFailure(kind: FailureKind, groupId: string, name: string): boolean {
    const k = `${kind}:${key(groupId, name)}`;
    const left = this.plannedFailures.get(k) ?? 0;
    if (left <= 0) return false;
    if (left === 1) this.plannedFailures.delete(k);
    else this.plannedFailures.set(k, left - 1);
    return true;
  }

  private planFailure(kind: FailureKind, groupId: string, name: string, times: number): void {
    const k = `${kind}:${key(groupId, name)}`;
    this.plannedFailures.set(k, (this.plannedFailures.get(k) ?? 0) + times);
  }

  // Answering with what Atlas may add later

  /**
   * From now on every answer that shows the object with this id (`id`, or `_id` for buckets),
   * wherever it appears, carries these fields over the simulator's own: how a test makes Atlas
   * answer with a value it may add later (a new status, a new field). `undefined` stops it.
   * Such answers leave the contract on purpose and are marked so (`offContract`).
   */
  overrideView(id: string, fields: Record<string, unknown> | undefined): void {
    if (fields === undefined) this.viewOverrides.delete(id);
    else this.viewOverrides.set(id, { ...fields });
  }

  viewOverride(id: string): Readonly<Record<string, unknown>> | undefined {
    return this.viewOverrides.get(id);
  }

  get hasViewOverrides(): boolean {
    return this.viewOverrides.size > 0;
  }

  /** Counts for summaries and large-mode checks. */
  counts(): {
    projects: number;
    clusters: number;
    snapshots: number;
    restoreJobs: number;
    exportJobs: number;
    collectionRestoreJobs: number;
  } {
    return {
      projects: this.projectMap.size,
      clusters: this.clusterMap.size,
      snapshots: this.snapshots.count(),
      restoreJobs: this.restoreJobs.count(),
      exportJobs: this.exportJobs.count(),
      collectionRestoreJobs: this.collectionRestoreJobs.count(),
    };
  }
}
