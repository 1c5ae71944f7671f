import type { Page, PaginationQuery } from '../schemas/common.js';
import { restoreJob, restoreRequest, type RestoreJob, type RestoreRequest } from '../schemas/restores.js';
import { parseInput } from '../validation.js';
import type { AtlasApiClass, CallOptions, CreateResult } from './atlas-api.js';
import { atlasPath, atlasPaths } from './paths.js';
import { apiVersions } from './versions.js';

/**
 * Whether a restore job is what this request asks for: its delivery type, snapshot, target and
 * moment. Restore jobs carry neither free text nor a creation time, so this is the only way a
 * job whose creation answer was lost is recognised, by the client and after a restart alike.
 */
export function restoreJobMatches(request: RestoreRequest, job: RestoreJob): boolean {
  if (job.deliveryType !== request.deliveryType) return false;
  switch (request.deliveryType) {
    case 'download':
      return job.snapshotId === request.snapshotId;
    case 'automated':
      return (
        job.snapshotId === request.snapshotId &&
        job.targetClusterName === request.targetClusterName &&
        job.targetGroupId === request.targetGroupId
      );
    case 'pointInTime':
      return (
        job.targetClusterName === request.targetClusterName &&
        job.targetGroupId === request.targetGroupId &&
        job.pointInTimeUTCSeconds === request.pointInTimeUTCSeconds &&
        job.oplogTs === request.oplogTs &&
        job.oplogInc === request.oplogInc
      );
  }
}

/** A dedicated cluster's restore jobs: automated, download and point in time. */
export function withRestores<B extends AtlasApiClass>(Base: B) {
  return class Restores extends Base {
    async listRestoreJobs(
      groupId: string,
      clusterName: string,
      query?: PaginationQuery,
      options?: CallOptions,
    ): Promise<Page<RestoreJob>> {
      const path = atlasPath(atlasPaths.restoreJobs, { groupId, clusterName });
      return this.page(restoreJob, 'listBackupRestoreJobs', apiVersions.restores, path, query, options);
    }

    async getRestoreJob(
      groupId: string,
      clusterName: string,
      jobId: string,
      options?: CallOptions,
    ): Promise<RestoreJob> {
      const path = atlasPath(atlasPaths.restoreJob, { groupId, clusterName, restoreJobId: jobId });
      return this.get(restoreJob, 'getBackupRestoreJob', apiVersions.restores, path, options);
    }

    /** The restore jobs (first page of 100) that `restoreJobMatches` the request. */
    async findMatchingRestoreJobs(
      groupId: string,
      clusterName: string,
      request: RestoreRequest,
      options?: CallOptions,
    ): Promise<RestoreJob[]> {
      const page = await this.listRestoreJobs(groupId, clusterName, { itemsPerPage: 100 }, options);
      return page.results.filter((job) => restoreJobMatches(request, job));
    }

    /**
     * Creates a restore job. The request is checked against the delivery type's rules before
     * anything is sent. The matching jobs that already exist are noted first; a lost answer is
     * then reconciled by finding a matching job that was not there before. The same restore is
     * never started twice.
     */
    async createRestoreJob(
      groupId: string,
      clusterName: string,
      input: RestoreRequest,
      options?: CallOptions,
    ): Promise<CreateResult<RestoreJob>> {
      const body = parseInput(restoreRequest, input, 'restore request');
      const path = atlasPath(atlasPaths.restoreJobs, { groupId, clusterName });
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
        async () =>
          (await this.listRestoreJobs(groupId, clusterName, { itemsPerPage: 100 }, options)).results,
        (job) => restoreJobMatches(body, job),
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
        method: 'DELETE',
        path: atlasPath(atlasPaths.restoreJob, { groupId, clusterName, restoreJobId: jobId }),
        version: apiVersions.restores,
        idempotent: true,
        signal: options?.signal,
      });
    }
  };
}
