import type { Page, PaginationQuery } from '../schemas/common.js';
import {
  flexRestoreJob,
  flexRestoreRequest,
  type FlexRestoreJob,
  type FlexRestoreRequest,
} from '../schemas/restores.js';
import {
  flexSnapshot,
  serverlessSnapshot,
  type FlexSnapshot,
  type ServerlessSnapshot,
} from '../schemas/snapshots.js';
import { parseInput } from '../validation.js';
import type { AtlasApiClass, CallOptions, CreateResult } from './atlas-api.js';
import { atlasPath, atlasPaths } from './paths.js';
import { retiredApiAnswer } from './retired-api.js';
import { apiVersions } from './versions.js';

export type ServerlessSnapshotResult =
  | { via: 'serverless'; snapshot: ServerlessSnapshot }
  | { via: 'flex'; snapshot: FlexSnapshot; notice: string };

/**
 * Backups Atlas manages for Flex clusters and serverless instances: their snapshots, and Flex
 * restores and downloads.
 */
export function withFlexAndServerless<B extends AtlasApiClass>(Base: B) {
  return class FlexAndServerless extends Base {
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
      const path = atlasPath(atlasPaths.serverlessSnapshot, {
        groupId,
        clusterName: instanceName,
        snapshotId,
      });
      try {
        const version = apiVersions.serverless;
        const value = await this.get(
          serverlessSnapshot,
          'getServerlessBackupSnapshot',
          version,
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
      const path = atlasPath(atlasPaths.serverlessSnapshots, { groupId, clusterName: instanceName });
      const version = apiVersions.serverless;
      return this.page(serverlessSnapshot, 'listServerlessBackupSnapshots', version, path, query, options);
    }

    async listFlexSnapshots(
      groupId: string,
      clusterName: string,
      query?: PaginationQuery,
      options?: CallOptions,
    ): Promise<Page<FlexSnapshot>> {
      const path = atlasPath(atlasPaths.flexSnapshots, { groupId, name: clusterName });
      return this.page(flexSnapshot, 'listFlexBackupSnapshots', apiVersions.flex, path, query, options);
    }

    async getFlexSnapshot(
      groupId: string,
      clusterName: string,
      snapshotId: string,
      options?: CallOptions,
    ): Promise<FlexSnapshot> {
      const path = atlasPath(atlasPaths.flexSnapshot, { groupId, name: clusterName, snapshotId });
      return this.get(flexSnapshot, 'getFlexBackupSnapshot', apiVersions.flex, path, options);
    }

    async listFlexRestoreJobs(
      groupId: string,
      clusterName: string,
      query?: PaginationQuery,
      options?: CallOptions,
    ): Promise<Page<FlexRestoreJob>> {
      const path = atlasPath(atlasPaths.flexRestoreJobs, { groupId, name: clusterName });
      return this.page(flexRestoreJob, 'listFlexRestoreJobs', apiVersions.flex, path, query, options);
    }

    async getFlexRestoreJob(
      groupId: string,
      clusterName: string,
      jobId: string,
      options?: CallOptions,
    ): Promise<FlexRestoreJob> {
      const path = atlasPath(atlasPaths.flexRestoreJob, { groupId, name: clusterName, restoreJobId: jobId });
      return this.get(flexRestoreJob, 'getFlexRestoreJob', apiVersions.flex, path, options);
    }

    private flexJobs(groupId: string, clusterName: string) {
      return async () =>
        (await this.listFlexRestoreJobs(groupId, clusterName, { itemsPerPage: 100 })).results;
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
          path: atlasPath(atlasPaths.flexRestoreJobs, { groupId, name: clusterName }),
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
          path: atlasPath(atlasPaths.flexDownload, { groupId, name: clusterName }),
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
  };
}
