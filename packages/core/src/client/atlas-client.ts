import type { z } from 'zod';
import { AtlasApiError, InputValidationError, SnapshotInProgressError } from '../errors.js';
import { createAuthenticator, type AtlasCredentials } from '../http/auth.js';
import {
  AtlasTransport,
  createDispatcher,
  type AtlasRequest,
  type HttpMethod,
  type QueryValue,
  type TransportOptions,
} from '../http/transport.js';
import type { RetryPolicy, Sleep } from '../http/retry.js';
import { paginate } from '../pagination.js';
import {
  atlasSnapshotDescriptionMax,
  backupSchedule,
  cluster,
  dedicatedClusterKind,
  exportBucket,
  exportJob,
  exportRequest,
  flexCluster,
  flexRestoreJob,
  flexRestoreRequest,
  flexSnapshot,
  paginated,
  paginationQuery,
  project,
  restoreJob,
  restoreRequest,
  retentionRequest,
  serverlessInstance,
  serverlessSnapshot,
  shardedSnapshot,
  snapshot,
  takeSnapshotRequest,
  type BackupSchedule,
  type Cluster,
  type ClusterSummary,
  type ExportBucket,
  type ExportJob,
  type ExportRequest,
  type FlexCluster,
  type FlexRestoreJob,
  type FlexRestoreRequest,
  type FlexSnapshot,
  type Page,
  type PaginationQuery,
  type Project,
  type RestoreJob,
  type RestoreRequest,
  type RetentionRequest,
  type ServerlessInstance,
  type ServerlessSnapshot,
  type ShardedSnapshot,
  type Snapshot,
  type TakeSnapshotRequest,
} from '../schemas/index.js';
import { parseInput, parseResponse } from '../validation.js';
import {
  createJobOnce,
  createOnce,
  markerOf,
  newRequestRef,
  requestMarkerKey,
  type Created,
} from './create-once.js';
import { atlasPath, id, name, type PathParam } from './paths.js';
import { retiredApiAnswer } from './retired-api.js';
import { apiVersions } from './versions.js';

export interface AtlasClientOptions {
  baseUrl: string;
  credentials: AtlasCredentials;
  retry?: Partial<RetryPolicy>;
  /** Injected by tests to observe backoff without waiting. */
  sleep?: Sleep;
  envelope?: boolean;
  pretty?: boolean;
  userAgent?: string;
  requestTimeoutMs?: number;
  dispatcher?: TransportOptions['dispatcher'];
  onEvent?: TransportOptions['onEvent'];
  now?: () => number;
}

export { newRequestRef, requestMarkerKey } from './create-once.js';
export { retiredApiAnswer } from './retired-api.js';

export interface CallOptions {
  signal?: AbortSignal | undefined;
}

/** How far back a job may be dated and still count as the one a doubtful create produced. */
const reconcileSkewMs = 5 * 60_000;

export type ServerlessSnapshotResult =
  | { via: 'serverless'; snapshot: ServerlessSnapshot }
  | { via: 'flex'; snapshot: FlexSnapshot; notice: string };

export interface CreateResult<T> extends Created<T> {
  /** Correlates the Atlas object with the audit trail. */
  requestRef: string;
}

export class AtlasClient {
  readonly transport: AtlasTransport;
  readonly baseUrl: string;
  private readonly now: () => number;

  constructor(options: AtlasClientOptions) {
    this.baseUrl = options.baseUrl;
    this.now = options.now ?? Date.now;
    const dispatcher = options.dispatcher ?? createDispatcher(options.requestTimeoutMs);
    this.transport = new AtlasTransport({
      baseUrl: options.baseUrl,
      auth: createAuthenticator(options.credentials, options.baseUrl, dispatcher, options.now),
      dispatcher,
      ownsDispatcher: options.dispatcher === undefined,
      retry: options.retry,
      sleep: options.sleep,
      envelope: options.envelope,
      pretty: options.pretty,
      userAgent: options.userAgent ?? 'atlas-backups/0.1',
      onEvent: options.onEvent,
    });
  }

  private closing: Promise<void> | undefined;

  /** Revokes the service-account token and closes connections; safe to call more than once. */
  close(): Promise<void> {
    this.closing ??= this.transport.close();
    return this.closing;
  }

  // ---- plumbing -------------------------------------------------------------------------------

  private async call<S extends z.ZodType>(
    schema: S,
    req: Omit<AtlasRequest, 'idempotent'> & { idempotent?: boolean },
  ): Promise<z.output<S>> {
    const res = await this.transport.send({ idempotent: req.method !== 'POST', ...req });
    return parseResponse(schema, res.body, req.operationId);
  }

  private async page<S extends z.ZodType>(
    item: S,
    operationId: string,
    version: string,
    path: string,
    query: PaginationQuery | undefined,
    options: CallOptions | undefined,
  ): Promise<Page<z.output<S>>> {
    const q = parseInput(paginationQuery, query ?? {}, 'pagination');
    return this.call(paginated(item), {
      operationId,
      method: 'GET',
      path,
      version,
      query: q as Record<string, QueryValue>,
      signal: options?.signal,
    }) as Promise<Page<z.output<S>>>;
  }

  private get<S extends z.ZodType>(
    schema: S,
    operationId: string,
    version: string,
    path: string,
    options?: CallOptions,
  ) {
    return this.call(schema, { operationId, method: 'GET', path, version, signal: options?.signal });
  }

  private createOnce<S extends z.ZodType>(
    schema: S,
    req: AtlasRequest,
    find: () => Promise<z.output<S> | undefined>,
  ): Promise<Created<z.output<S>>> {
    return createOnce(
      this.transport,
      (body, operationId) => parseResponse(schema, body, operationId),
      req,
      find,
    );
  }

  private createJobOnce<T extends { id: string }>(
    schema: z.ZodType<T>,
    req: AtlasRequest,
    list: () => Promise<T[]>,
    same: (job: T) => boolean,
  ): Promise<Created<T>> {
    return createJobOnce(
      this.transport,
      (body, operationId) => parseResponse(schema, body, operationId),
      req,
      list,
      same,
    );
  }

  // ---- projects and clusters ------------------------------------------------------------------

  async listProjects(query?: PaginationQuery, options?: CallOptions): Promise<Page<Project>> {
    return this.page(project, 'listProjects', apiVersions.projects, atlasPath('groups'), query, options);
  }

  iterateProjects(options?: CallOptions): AsyncGenerator<Project> {
    return paginate((pageNum, itemsPerPage) => this.listProjects({ pageNum, itemsPerPage }, options));
  }

  async getProject(groupId: string, options?: CallOptions): Promise<Project> {
    return this.get(
      project,
      'getProject',
      apiVersions.projects,
      atlasPath('groups', id('groupId', groupId)),
      options,
    );
  }

  async listClusters(
    groupId: string,
    query?: PaginationQuery,
    options?: CallOptions,
  ): Promise<Page<Cluster>> {
    const path = atlasPath('groups', id('groupId', groupId), 'clusters');
    return this.page(cluster, 'listClusters', apiVersions.clusters, path, query, options);
  }

  async getCluster(groupId: string, clusterName: string, options?: CallOptions): Promise<Cluster> {
    const path = atlasPath('groups', id('groupId', groupId), 'clusters', name('clusterName', clusterName));
    return this.get(cluster, 'getCluster', apiVersions.clusters, path, options);
  }

  async listFlexClusters(
    groupId: string,
    query?: PaginationQuery,
    options?: CallOptions,
  ): Promise<Page<FlexCluster>> {
    const path = atlasPath('groups', id('groupId', groupId), 'flexClusters');
    return this.page(flexCluster, 'listFlexClusters', apiVersions.flex, path, query, options);
  }

  async getFlexCluster(groupId: string, clusterName: string, options?: CallOptions): Promise<FlexCluster> {
    const path = atlasPath('groups', id('groupId', groupId), 'flexClusters', name('name', clusterName));
    return this.get(flexCluster, 'getFlexCluster', apiVersions.flex, path, options);
  }

  async listServerlessInstances(
    groupId: string,
    query?: PaginationQuery,
    options?: CallOptions,
  ): Promise<Page<ServerlessInstance>> {
    const path = atlasPath('groups', id('groupId', groupId), 'serverless');
    return this.page(
      serverlessInstance,
      'listServerlessInstances',
      apiVersions.serverless,
      path,
      query,
      options,
    );
  }

  async getServerlessInstance(
    groupId: string,
    instanceName: string,
    options?: CallOptions,
  ): Promise<ServerlessInstance> {
    const path = atlasPath('groups', id('groupId', groupId), 'serverless', name('name', instanceName));
    return this.get(serverlessInstance, 'getServerlessInstance', apiVersions.serverless, path, options);
  }

  /**
   * Dedicated, Flex and serverless deployments of a project in one list. Serverless listing
   * failing (it is being retired) does not hide the others.
   */
  async listAllClusters(groupId: string, options?: CallOptions): Promise<ClusterSummary[]> {
    const collect = async <T>(iter: AsyncGenerator<T>) => {
      const out: T[] = [];
      for await (const item of iter) out.push(item);
      return out;
    };
    const [dedicated, flex, serverless] = await Promise.all([
      collect(
        paginate((pageNum, itemsPerPage) => this.listClusters(groupId, { pageNum, itemsPerPage }, options)),
      ),
      collect(
        paginate((pageNum, itemsPerPage) =>
          this.listFlexClusters(groupId, { pageNum, itemsPerPage }, options),
        ),
      ),
      collect(
        paginate((pageNum, itemsPerPage) =>
          this.listServerlessInstances(groupId, { pageNum, itemsPerPage }, options),
        ),
      ).catch((error: unknown) => {
        if (retiredApiAnswer(error) !== undefined || (error instanceof AtlasApiError && error.status === 404))
          return [];
        throw error;
      }),
    ]);
    const rows: ClusterSummary[] = [
      ...dedicated.map((c) => ({
        name: c.name,
        kind: dedicatedClusterKind(c),
        state: c.stateName,
        mongoDBVersion: c.mongoDBVersion,
        backupEnabled: c.backupEnabled ?? false,
        pitEnabled: c.pitEnabled ?? false,
      })),
      ...flex.map((c) => ({
        name: c.name,
        kind: 'flex' as const,
        state: c.stateName,
        mongoDBVersion: c.mongoDBVersion,
        backupEnabled: c.backupSettings?.enabled ?? true,
        pitEnabled: false,
      })),
      ...serverless.map((c) => ({
        name: c.name ?? '',
        kind: 'serverless' as const,
        state: c.stateName,
        mongoDBVersion: c.mongoDBVersion,
        backupEnabled: true,
        pitEnabled: c.serverlessBackupOptions?.serverlessContinuousBackupEnabled ?? false,
      })),
    ];
    return rows.sort((a, b) => a.name.localeCompare(b.name));
  }

  // ---- snapshots --------------------------------------------------------------------------------

  private snapshotsPath(groupId: string, clusterName: string, ...rest: (string | PathParam)[]): string {
    return atlasPath(
      'groups',
      id('groupId', groupId),
      'clusters',
      name('clusterName', clusterName),
      'backup',
      'snapshots',
      ...rest,
    );
  }

  async listSnapshots(
    groupId: string,
    clusterName: string,
    query?: PaginationQuery,
    options?: CallOptions,
  ): Promise<Page<Snapshot>> {
    return this.page(
      snapshot,
      'listBackupSnapshots',
      apiVersions.snapshots,
      this.snapshotsPath(groupId, clusterName),
      query,
      options,
    );
  }

  /** Every snapshot of a cluster, newest first, one page in memory at a time. */
  iterateSnapshots(
    groupId: string,
    clusterName: string,
    options?: CallOptions & { itemsPerPage?: number },
  ): AsyncGenerator<Snapshot> {
    return paginate(
      (pageNum, itemsPerPage) => this.listSnapshots(groupId, clusterName, { pageNum, itemsPerPage }, options),
      options?.itemsPerPage,
    );
  }

  async getSnapshot(
    groupId: string,
    clusterName: string,
    snapshotId: string,
    options?: CallOptions,
  ): Promise<Snapshot> {
    const path = this.snapshotsPath(groupId, clusterName, id('snapshotId', snapshotId));
    return this.get(snapshot, 'getClusterBackupSnapshot', apiVersions.snapshots, path, options);
  }

  async listShardedSnapshots(
    groupId: string,
    clusterName: string,
    query?: PaginationQuery,
    options?: CallOptions,
  ): Promise<Page<ShardedSnapshot>> {
    const path = this.snapshotsPath(groupId, clusterName, 'shardedClusters');
    return this.page(
      shardedSnapshot,
      'listBackupShardedClusters',
      apiVersions.snapshots,
      path,
      query,
      options,
    );
  }

  async getShardedSnapshot(
    groupId: string,
    clusterName: string,
    snapshotId: string,
    options?: CallOptions,
  ): Promise<ShardedSnapshot> {
    const path = this.snapshotsPath(groupId, clusterName, 'shardedCluster', id('snapshotId', snapshotId));
    return this.get(shardedSnapshot, 'getBackupShardedCluster', apiVersions.snapshots, path, options);
  }

  /** The cluster's on-demand snapshot that is queued or running, if any. */
  async findActiveOnDemandSnapshot(groupId: string, clusterName: string, options?: CallOptions) {
    const page = await this.listSnapshots(groupId, clusterName, { itemsPerPage: 100 }, options);
    return page.results.find(
      (s) => s.snapshotType === 'onDemand' && (s.status === 'queued' || s.status === 'inProgress'),
    );
  }

  /**
   * Takes an on-demand snapshot. Refuses early when one is already queued or running (Atlas
   * allows one at a time per cluster), and never produces two: the description carries a
   * request marker by which a snapshot whose creation answer was lost is found again.
   */
  async takeSnapshot(
    groupId: string,
    clusterName: string,
    input: TakeSnapshotRequest,
    options?: CallOptions & { requestRef?: string },
  ): Promise<CreateResult<Snapshot>> {
    const body = parseInput(takeSnapshotRequest, input, 'snapshot request');
    const path = this.snapshotsPath(groupId, clusterName);
    const requestRef = options?.requestRef ?? newRequestRef();
    const marker = markerOf(requestRef);
    const description = body.description ? `${body.description} ${marker}` : marker;
    // Only a caller's own, longer requestRef can get here; what Atlas is sent must fit its limit.
    if (description.length > atlasSnapshotDescriptionMax)
      throw new InputValidationError('snapshot request', [
        {
          field: 'description',
          message: `description must be at most ${atlasSnapshotDescriptionMax - marker.length - 1} characters`,
        },
      ]);
    const active = await this.findActiveOnDemandSnapshot(groupId, clusterName, options);
    if (active) throw new SnapshotInProgressError(clusterName, active);

    try {
      const { value, reconciled } = await this.createOnce(
        snapshot,
        {
          operationId: 'takeSnapshots',
          method: 'POST',
          path,
          version: apiVersions.snapshots,
          body: { ...body, description },
          idempotent: false,
          signal: options?.signal,
        },
        async () => {
          for await (const s of this.iterateSnapshots(groupId, clusterName, {
            itemsPerPage: 100,
            ...options,
          })) {
            if (s.description?.includes(marker)) return s;
            if (s.createdAt && Date.parse(s.createdAt) < this.now() - reconcileSkewMs) return undefined;
          }
          return undefined;
        },
      );
      return { value, reconciled, requestRef };
    } catch (error) {
      if (error instanceof AtlasApiError && error.status === 409) {
        const current = await this.findActiveOnDemandSnapshot(groupId, clusterName, options).catch(
          () => undefined,
        );
        throw new SnapshotInProgressError(clusterName, current);
      }
      throw error;
    }
  }

  /** Changes how long a snapshot is kept; the answer carries the new `expiresAt`. */
  async updateSnapshotRetention(
    groupId: string,
    clusterName: string,
    snapshotId: string,
    input: RetentionRequest,
    options?: CallOptions,
  ): Promise<Snapshot> {
    const body = parseInput(retentionRequest, input, 'retention change');
    const path = this.snapshotsPath(groupId, clusterName, id('snapshotId', snapshotId));
    return this.call(snapshot, {
      operationId: 'updateBackupSnapshot',
      method: 'PATCH',
      path,
      version: apiVersions.snapshots,
      body,
      signal: options?.signal,
    });
  }

  // ---- serverless and Flex ----------------------------------------------------------------------

  /**
   * One serverless snapshot. Past the serverless API's sunset Atlas answers 410, or 404/400/406
   * as a retired endpoint or version (`retiredApiAnswer`); serverless instances became Flex
   * clusters, so the same snapshot is then read from the Flex endpoint and the caller is told
   * which answer made it do so.
   */
  async getServerlessSnapshot(
    groupId: string,
    instanceName: string,
    snapshotId: string,
    options?: CallOptions,
  ): Promise<ServerlessSnapshotResult> {
    const path = atlasPath(
      'groups',
      id('groupId', groupId),
      'serverless',
      name('clusterName', instanceName),
      'backup',
      'snapshots',
      id('snapshotId', snapshotId),
    );
    try {
      const value = await this.get(
        serverlessSnapshot,
        'getServerlessBackupSnapshot',
        apiVersions.serverless,
        path,
        options,
      );
      return { via: 'serverless', snapshot: value };
    } catch (error) {
      const answer = retiredApiAnswer(error);
      if (answer === undefined) throw error;
      const value = await this.getFlexSnapshot(groupId, instanceName, snapshotId, options);
      return {
        via: 'flex',
        snapshot: value,
        notice: `Atlas retired the serverless backup API (${answer}); read ${instanceName}'s snapshot from its Flex cluster instead.`,
      };
    }
  }

  async listServerlessSnapshots(
    groupId: string,
    instanceName: string,
    query?: PaginationQuery,
    options?: CallOptions,
  ): Promise<Page<ServerlessSnapshot>> {
    const path = atlasPath(
      'groups',
      id('groupId', groupId),
      'serverless',
      name('clusterName', instanceName),
      'backup',
      'snapshots',
    );
    return this.page(
      serverlessSnapshot,
      'listServerlessBackupSnapshots',
      apiVersions.serverless,
      path,
      query,
      options,
    );
  }

  private flexPath(groupId: string, clusterName: string, ...rest: (string | PathParam)[]): string {
    return atlasPath(
      'groups',
      id('groupId', groupId),
      'flexClusters',
      name('name', clusterName),
      'backup',
      ...rest,
    );
  }

  async listFlexSnapshots(
    groupId: string,
    clusterName: string,
    query?: PaginationQuery,
    options?: CallOptions,
  ): Promise<Page<FlexSnapshot>> {
    const path = this.flexPath(groupId, clusterName, 'snapshots');
    return this.page(flexSnapshot, 'listFlexBackupSnapshots', apiVersions.flex, path, query, options);
  }

  async getFlexSnapshot(
    groupId: string,
    clusterName: string,
    snapshotId: string,
    options?: CallOptions,
  ): Promise<FlexSnapshot> {
    const path = this.flexPath(groupId, clusterName, 'snapshots', id('snapshotId', snapshotId));
    return this.get(flexSnapshot, 'getFlexBackupSnapshot', apiVersions.flex, path, options);
  }

  async listFlexRestoreJobs(
    groupId: string,
    clusterName: string,
    query?: PaginationQuery,
    options?: CallOptions,
  ): Promise<Page<FlexRestoreJob>> {
    const path = this.flexPath(groupId, clusterName, 'restoreJobs');
    return this.page(flexRestoreJob, 'listFlexRestoreJobs', apiVersions.flex, path, query, options);
  }

  async getFlexRestoreJob(
    groupId: string,
    clusterName: string,
    jobId: string,
    options?: CallOptions,
  ): Promise<FlexRestoreJob> {
    const path = this.flexPath(groupId, clusterName, 'restoreJobs', id('restoreJobId', jobId));
    return this.get(flexRestoreJob, 'getFlexRestoreJob', apiVersions.flex, path, options);
  }

  private flexJobs(groupId: string, clusterName: string) {
    return async () => (await this.listFlexRestoreJobs(groupId, clusterName, { itemsPerPage: 100 })).results;
  }

  async createFlexRestoreJob(
    groupId: string,
    clusterName: string,
    input: FlexRestoreRequest,
    options?: CallOptions,
  ): Promise<CreateResult<FlexRestoreJob>> {
    const body = parseInput(flexRestoreRequest, input, 'Flex restore request');
    const { value, reconciled } = await this.createJobOnce(
      flexRestoreJob,
      {
        operationId: 'createFlexRestoreJob',
        method: 'POST',
        path: this.flexPath(groupId, clusterName, 'restoreJobs'),
        version: apiVersions.flex,
        body,
        idempotent: false,
        signal: options?.signal,
      },
      this.flexJobs(groupId, clusterName),
      (job) =>
        job.deliveryType !== 'DOWNLOAD' &&
        job.snapshotId === body.snapshotId &&
        job.targetDeploymentItemName === body.targetDeploymentItemName,
    );
    return { value, reconciled, requestRef: value.id };
  }

  async downloadFlexSnapshot(
    groupId: string,
    clusterName: string,
    snapshotId: string,
    options?: CallOptions,
  ): Promise<CreateResult<FlexRestoreJob>> {
    const body = parseInput(
      flexRestoreRequest.pick({ snapshotId: true }),
      { snapshotId },
      'Flex download request',
    );
    const { value, reconciled } = await this.createJobOnce(
      flexRestoreJob,
      {
        operationId: 'downloadFlexBackup',
        method: 'POST',
        path: this.flexPath(groupId, clusterName, 'download'),
        version: apiVersions.flex,
        body,
        idempotent: false,
        signal: options?.signal,
      },
      this.flexJobs(groupId, clusterName),
      (job) => job.deliveryType === 'DOWNLOAD' && job.snapshotId === body.snapshotId,
    );
    return { value, reconciled, requestRef: value.id };
  }

  // ---- exports ---------------------------------------------------------------------------------

  private exportsPath(groupId: string, clusterName: string, ...rest: (string | PathParam)[]): string {
    return atlasPath(
      'groups',
      id('groupId', groupId),
      'clusters',
      name('clusterName', clusterName),
      'backup',
      'exports',
      ...rest,
    );
  }

  async listExportJobs(
    groupId: string,
    clusterName: string,
    query?: PaginationQuery,
    options?: CallOptions,
  ): Promise<Page<ExportJob>> {
    return this.page(
      exportJob,
      'listBackupExports',
      apiVersions.exports,
      this.exportsPath(groupId, clusterName),
      query,
      options,
    );
  }

  async getExportJob(
    groupId: string,
    clusterName: string,
    exportId: string,
    options?: CallOptions,
  ): Promise<ExportJob> {
    const path = this.exportsPath(groupId, clusterName, id('exportId', exportId));
    return this.get(exportJob, 'getBackupExport', apiVersions.exports, path, options);
  }

  /** Starts exporting a snapshot to a bucket; a marker in `customData` makes a lost answer recoverable. */
  async createExportJob(
    groupId: string,
    clusterName: string,
    input: ExportRequest,
    options?: CallOptions & { requestRef?: string },
  ): Promise<CreateResult<ExportJob>> {
    const body = parseInput(exportRequest, input, 'export request');
    const requestRef = options?.requestRef ?? newRequestRef();
    const customData = [
      ...(body.customData ?? []).filter((d) => d.key !== requestMarkerKey),
      { key: requestMarkerKey, value: requestRef },
    ];
    const { value, reconciled } = await this.createOnce(
      exportJob,
      {
        operationId: 'createBackupExport',
        method: 'POST',
        path: this.exportsPath(groupId, clusterName),
        version: apiVersions.exports,
        body: { ...body, customData },
        idempotent: false,
        signal: options?.signal,
      },
      async () => {
        const page = await this.listExportJobs(groupId, clusterName, { itemsPerPage: 100 });
        return page.results.find((job) =>
          job.customData?.some((d) => d.key === requestMarkerKey && d.value === requestRef),
        );
      },
    );
    return { value, reconciled, requestRef };
  }

  async listExportBuckets(
    groupId: string,
    query?: PaginationQuery,
    options?: CallOptions,
  ): Promise<Page<ExportBucket>> {
    const path = atlasPath('groups', id('groupId', groupId), 'backup', 'exportBuckets');
    return this.page(exportBucket, 'listExportBuckets', apiVersions.exportBuckets, path, query, options);
  }

  async getExportBucket(groupId: string, bucketId: string, options?: CallOptions): Promise<ExportBucket> {
    const path = atlasPath(
      'groups',
      id('groupId', groupId),
      'backup',
      'exportBuckets',
      id('exportBucketId', bucketId),
    );
    return this.get(exportBucket, 'getExportBucket', apiVersions.exportBuckets, path, options);
  }

  // ---- restores --------------------------------------------------------------------------------

  private restoresPath(groupId: string, clusterName: string, ...rest: (string | PathParam)[]): string {
    return atlasPath(
      'groups',
      id('groupId', groupId),
      'clusters',
      name('clusterName', clusterName),
      'backup',
      'restoreJobs',
      ...rest,
    );
  }

  async listRestoreJobs(
    groupId: string,
    clusterName: string,
    query?: PaginationQuery,
    options?: CallOptions,
  ): Promise<Page<RestoreJob>> {
    const path = this.restoresPath(groupId, clusterName);
    return this.page(restoreJob, 'listBackupRestoreJobs', apiVersions.restores, path, query, options);
  }

  async getRestoreJob(
    groupId: string,
    clusterName: string,
    jobId: string,
    options?: CallOptions,
  ): Promise<RestoreJob> {
    const path = this.restoresPath(groupId, clusterName, id('restoreJobId', jobId));
    return this.get(restoreJob, 'getBackupRestoreJob', apiVersions.restores, path, options);
  }

  /**
   * Creates a restore job. The request is checked against the delivery type's rules before
   * anything is sent. Restore jobs carry neither free text nor a creation time, so the matching
   * jobs that already exist are noted first; a lost answer is then reconciled by finding a job
   * with the same parameters that was not there before. The same restore is never started twice.
   */
  async createRestoreJob(
    groupId: string,
    clusterName: string,
    input: RestoreRequest,
    options?: CallOptions,
  ): Promise<CreateResult<RestoreJob>> {
    const body = parseInput(restoreRequest, input, 'restore request');
    const path = this.restoresPath(groupId, clusterName);
    const same = (job: RestoreJob) => {
      if (job.deliveryType !== body.deliveryType) return false;
      switch (body.deliveryType) {
        case 'download':
          return job.snapshotId === body.snapshotId;
        case 'automated':
          return (
            job.snapshotId === body.snapshotId &&
            job.targetClusterName === body.targetClusterName &&
            job.targetGroupId === body.targetGroupId
          );
        case 'pointInTime':
          return (
            job.targetClusterName === body.targetClusterName &&
            job.targetGroupId === body.targetGroupId &&
            job.pointInTimeUTCSeconds === body.pointInTimeUTCSeconds &&
            job.oplogTs === body.oplogTs &&
            job.oplogInc === body.oplogInc
          );
      }
    };
    const { value, reconciled } = await this.createJobOnce(
      restoreJob,
      {
        operationId: 'createBackupRestoreJob',
        method: 'POST',
        path,
        version: apiVersions.restores,
        body,
        idempotent: false,
        signal: options?.signal,
      },
      async () => (await this.listRestoreJobs(groupId, clusterName, { itemsPerPage: 100 }, options)).results,
      same,
    );
    return { value, reconciled, requestRef: value.id };
  }

  async cancelRestoreJob(
    groupId: string,
    clusterName: string,
    jobId: string,
    options?: CallOptions,
  ): Promise<void> {
    await this.transport.send({
      operationId: 'cancelBackupRestoreJob',
      method: 'DELETE' satisfies HttpMethod,
      path: this.restoresPath(groupId, clusterName, id('restoreJobId', jobId)),
      version: apiVersions.restores,
      idempotent: true,
      signal: options?.signal,
    });
  }

  // ---- schedule --------------------------------------------------------------------------------

  async getBackupSchedule(
    groupId: string,
    clusterName: string,
    options?: CallOptions,
  ): Promise<BackupSchedule> {
    const path = atlasPath(
      'groups',
      id('groupId', groupId),
      'clusters',
      name('clusterName', clusterName),
      'backup',
      'schedule',
    );
    return this.get(backupSchedule, 'getBackupSchedule', apiVersions.schedule, path, options);
  }
}
