import { paginate } from '../pagination.js';
import type { Page, PaginationQuery } from '../schemas/common.js';
import {
  collectionRestoreCollection,
  collectionRestoreJob,
  collectionRestoreRequest,
  snapshotNamespaceName,
  type CollectionRestoreCollection,
  type CollectionRestoreJob,
  type CollectionRestoreRequest,
} from '../schemas/collection-restores.js';
import { parseInput } from '../validation.js';
import type { AtlasApiClass, CallOptions, CreateResult } from './atlas-api.js';
import { atlasPath, atlasPaths } from './paths.js';
import { apiVersions } from './versions.js';

const sorted = (items: { sourceNamespace: string; targetNamespace?: string | undefined }[] | undefined) =>
  (items ?? [])
    .map((i) => `${i.sourceNamespace}→${i.targetNamespace ?? ''}`)
    .sort()
    .join('|');

const sources = (items: { sourceNamespace: string }[] | undefined) =>
  (items ?? [])
    .map((i) => i.sourceNamespace)
    .sort()
    .join('|');

/**
 * Whether a collection restore job is what this request asks for: same source (snapshot or
 * moment), target, strategies, suffixes and namespaces. Atlas fills in target namespaces the
 * request left out, so only the sources are compared unless the request named targets.
 */
export function collectionRestoreJobMatches(
  request: CollectionRestoreRequest,
  job: CollectionRestoreJob,
): boolean {
  const namedTargets = [...(request.collections ?? []), ...(request.databases ?? [])].some(
    (i) => i.targetNamespace !== undefined && i.targetNamespace !== '',
  );
  const same = (a: string | undefined, b: string | undefined) => (a ?? '') === (b ?? '');
  return (
    job.writeStrategy === request.writeStrategy &&
    job.indexStrategy === request.indexStrategy &&
    job.targetClusterName === request.targetClusterName &&
    job.targetGroupId === request.targetGroupId &&
    same(job.snapshotId, request.snapshotId) &&
    job.pointInTimeUtcSeconds === request.pointInTimeUtcSeconds &&
    job.oplogTs === request.oplogTs &&
    job.oplogInc === request.oplogInc &&
    same(job.collectionSuffix, request.collectionSuffix) &&
    same(job.databaseSuffix, request.databaseSuffix) &&
    (namedTargets
      ? sorted(job.collections) === sorted(request.collections) &&
        sorted(job.databases) === sorted(request.databases)
      : sources(job.collections) === sources(request.collections) &&
        sources(job.databases) === sources(request.databases))
  );
}

/** Every item of a list, page by page. */
async function all<T>(fetchPage: (query: PaginationQuery) => Promise<Page<T>>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of paginate((pageNum, itemsPerPage) => fetchPage({ pageNum, itemsPerPage })))
    out.push(item);
  return out;
}

const allNames = async (fetchPage: (query: PaginationQuery) => Promise<Page<{ name: string }>>) =>
  (await all(fetchPage)).map((n) => n.name);

/** Collection- and database-level restores, and the namespaces a snapshot holds (version 2025-03-12). */
export function withCollectionRestores<B extends AtlasApiClass>(Base: B) {
  return class CollectionRestores extends Base {
    async listCollectionRestoreJobs(
      groupId: string,
      clusterName: string,
      query?: PaginationQuery,
      options?: CallOptions,
    ): Promise<Page<CollectionRestoreJob>> {
      const path = atlasPath(atlasPaths.collectionRestoreJobs, { groupId, clusterName });
      const op = 'listGroupClusterCollectionRestoreJobs';
      return this.page(collectionRestoreJob, op, apiVersions.collectionRestores, path, query, options);
    }

    async getCollectionRestoreJob(
      groupId: string,
      clusterName: string,
      jobId: string,
      options?: CallOptions,
    ): Promise<CollectionRestoreJob> {
      const path = atlasPath(atlasPaths.collectionRestoreJob, { groupId, clusterName, jobId });
      const op = 'getGroupClusterCollectionRestoreJob';
      return this.get(collectionRestoreJob, op, apiVersions.collectionRestores, path, options);
    }

    /** Every collection of a job with its state and counts (none while the job is initializing). */
    async listCollectionRestoreJobCollections(
      groupId: string,
      clusterName: string,
      jobId: string,
      options?: CallOptions,
    ): Promise<CollectionRestoreCollection[]> {
      const path = atlasPath(atlasPaths.collectionRestoreJobCollections, { groupId, clusterName, jobId });
      const op = 'listGroupClusterCollectionRestoreJobCollections';
      return all((q) =>
        this.page(collectionRestoreCollection, op, apiVersions.collectionRestores, path, q, options),
      );
    }

    /** The collection restore jobs (first page of 100) that match the request. */
    async findMatchingCollectionRestoreJobs(
      groupId: string,
      clusterName: string,
      request: CollectionRestoreRequest,
      options?: CallOptions,
    ): Promise<CollectionRestoreJob[]> {
      const page = await this.listCollectionRestoreJobs(groupId, clusterName, { itemsPerPage: 100 }, options);
      return page.results.filter((job) => collectionRestoreJobMatches(request, job));
    }

    /**
     * Starts a collection- or database-level restore, never twice: the matching jobs that exist
     * are noted first, and a lost answer is reconciled by the matching job that is new.
     */
    async createCollectionRestoreJob(
      groupId: string,
      clusterName: string,
      input: CollectionRestoreRequest,
      options?: CallOptions,
    ): Promise<CreateResult<CollectionRestoreJob>> {
      const body = parseInput(collectionRestoreRequest, input, 'collection restore request');
      const path = atlasPath(atlasPaths.collectionRestoreJobs, { groupId, clusterName });
      const { value, reconciled } = await this.createJobOnce(
        collectionRestoreJob,
        {
          operationId: 'createGroupClusterCollectionRestoreJob',
          method: 'POST',
          path,
          version: apiVersions.collectionRestores,
          body,
          idempotent: false,
          signal: options?.signal,
        },
        async () =>
          (await this.listCollectionRestoreJobs(groupId, clusterName, { itemsPerPage: 100 }, options))
            .results,
        (job) => collectionRestoreJobMatches(body, job),
      );
      return { value, reconciled, requestRef: value.id };
    }

    /** The databases a completed snapshot holds, sorted as Atlas lists them. */
    async listSnapshotDatabases(
      groupId: string,
      clusterName: string,
      snapshotId: string,
      options?: CallOptions,
    ): Promise<string[]> {
      const path = atlasPath(atlasPaths.snapshotDatabases, { groupId, clusterName, snapshotId });
      const op = 'listGroupClusterBackupSnapshotDatabases';
      return allNames((q) =>
        this.page(snapshotNamespaceName, op, apiVersions.collectionRestores, path, q, options),
      );
    }

    /** The collections of one database in a completed snapshot. */
    async listSnapshotCollections(
      groupId: string,
      clusterName: string,
      snapshotId: string,
      databaseName: string,
      options?: CallOptions,
    ): Promise<string[]> {
      const path = atlasPath(atlasPaths.snapshotDatabaseCollections, {
        groupId,
        clusterName,
        snapshotId,
        databaseName,
      });
      const op = 'listGroupClusterBackupSnapshotDatabaseCollections';
      return allNames((q) =>
        this.page(snapshotNamespaceName, op, apiVersions.collectionRestores, path, q, options),
      );
    }

    /** Every `db.collection` a completed snapshot holds, by database. */
    async listSnapshotNamespaces(
      groupId: string,
      clusterName: string,
      snapshotId: string,
      options?: CallOptions,
    ): Promise<{ database: string; collections: string[] }[]> {
      const databases = await this.listSnapshotDatabases(groupId, clusterName, snapshotId, options);
      return Promise.all(
        databases.map(async (database) => ({
          database,
          collections: await this.listSnapshotCollections(
            groupId,
            clusterName,
            snapshotId,
            database,
            options,
          ),
        })),
      );
    }
  };
}
