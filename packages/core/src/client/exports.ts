import type { Page, PaginationQuery } from '../schemas/common.js';
import {
  exportBucket,
  exportJob,
  exportRequest,
  type ExportBucket,
  type ExportJob,
  type ExportRequest,
} from '../schemas/exports.js';
import { parseInput } from '../validation.js';
import type { AtlasApiClass, CallOptions, CreateResult } from './atlas-api.js';
import { newRequestRef, requestMarkerKey } from './create-once.js';
import { atlasPath, atlasPaths } from './paths.js';
import { apiVersions } from './versions.js';

/** Snapshot exports to buckets, and the project's export buckets. */
export function withExports<B extends AtlasApiClass>(Base: B) {
  return class Exports extends Base {
    async listExportJobs(
      groupId: string,
      clusterName: string,
      query?: PaginationQuery,
      options?: CallOptions,
    ): Promise<Page<ExportJob>> {
      const path = atlasPath(atlasPaths.exportJobs, { groupId, clusterName });
      return this.page(exportJob, 'listBackupExports', apiVersions.exports, path, query, options);
    }

    async getExportJob(
      groupId: string,
      clusterName: string,
      exportId: string,
      options?: CallOptions,
    ): Promise<ExportJob> {
      const path = atlasPath(atlasPaths.exportJob, { groupId, clusterName, exportId });
      return this.get(exportJob, 'getBackupExport', apiVersions.exports, path, options);
    }

    /** The export a `createExportJob` with this request ref started, by the marker in its `customData`. */
    async findExportByRequestRef(
      groupId: string,
      clusterName: string,
      requestRef: string,
      options?: CallOptions,
    ): Promise<ExportJob | undefined> {
      const page = await this.listExportJobs(groupId, clusterName, { itemsPerPage: 100 }, options);
      return page.results.find((job) =>
        job.customData?.some((d) => d.key === requestMarkerKey && d.value === requestRef),
      );
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
          path: atlasPath(atlasPaths.exportJobs, { groupId, clusterName }),
          version: apiVersions.exports,
          body: { ...body, customData },
          idempotent: false,
          signal: options?.signal,
        },
        () => this.findExportByRequestRef(groupId, clusterName, requestRef),
      );
      return { value, reconciled, requestRef };
    }

    async listExportBuckets(
      groupId: string,
      query?: PaginationQuery,
      options?: CallOptions,
    ): Promise<Page<ExportBucket>> {
      const path = atlasPath(atlasPaths.exportBuckets, { groupId });
      return this.page(exportBucket, 'listExportBuckets', apiVersions.exportBuckets, path, query, options);
    }

    async getExportBucket(groupId: string, bucketId: string, options?: CallOptions): Promise<ExportBucket> {
      const path = atlasPath(atlasPaths.exportBucket, { groupId, exportBucketId: bucketId });
      return this.get(exportBucket, 'getExportBucket', apiVersions.exportBuckets, path, options);
    }
  };
}
