import { AtlasApiError, InputValidationError, SnapshotInProgressError } from '../errors.js';
import { paginate } from '../pagination.js';
import type { Page, PaginationQuery } from '../schemas/common.js';
import {
  atlasSnapshotDescriptionMax,
  retentionRequest,
  shardedSnapshot,
  snapshot,
  takeSnapshotRequest,
  type RetentionRequest,
  type ShardedSnapshot,
  type Snapshot,
  type TakeSnapshotRequest,
} from '../schemas/snapshots.js';
import { parseInput } from '../validation.js';
import { reconcileSkewMs, type AtlasApiClass, type CallOptions, type CreateResult } from './atlas-api.js';
import { markerOf, newRequestRef } from './create-once.js';
import { atlasPath, atlasPaths } from './paths.js';
import { apiVersions } from './versions.js';

/** A dedicated cluster's cloud backup snapshots: listing, taking, and their retention. */
export function withSnapshots<B extends AtlasApiClass>(Base: B) {
  return class Snapshots extends Base {
    async listSnapshots(
      groupId: string,
      clusterName: string,
      query?: PaginationQuery,
      options?: CallOptions,
    ): Promise<Page<Snapshot>> {
      const path = atlasPath(atlasPaths.snapshots, { groupId, clusterName });
      return this.page(snapshot, 'listBackupSnapshots', apiVersions.snapshots, path, query, options);
    }

    /** Every snapshot of a cluster, newest first, one page in memory at a time. */
    iterateSnapshots(
      groupId: string,
      clusterName: string,
      options?: CallOptions & { itemsPerPage?: number },
    ): AsyncGenerator<Snapshot> {
      return paginate(
        (pageNum, itemsPerPage) =>
          this.listSnapshots(groupId, clusterName, { pageNum, itemsPerPage }, options),
        options?.itemsPerPage,
      );
    }

    async getSnapshot(
      groupId: string,
      clusterName: string,
      snapshotId: string,
      options?: CallOptions,
    ): Promise<Snapshot> {
      const path = atlasPath(atlasPaths.snapshot, { groupId, clusterName, snapshotId });
      return this.get(snapshot, 'getClusterBackupSnapshot', apiVersions.snapshots, path, options);
    }

    async listShardedSnapshots(
      groupId: string,
      clusterName: string,
      query?: PaginationQuery,
      options?: CallOptions,
    ): Promise<Page<ShardedSnapshot>> {
      const path = atlasPath(atlasPaths.shardedSnapshots, { groupId, clusterName });
      const version = apiVersions.snapshots;
      return this.page(shardedSnapshot, 'listBackupShardedClusters', version, path, query, options);
    }

    async getShardedSnapshot(
      groupId: string,
      clusterName: string,
      snapshotId: string,
      options?: CallOptions,
    ): Promise<ShardedSnapshot> {
      const path = atlasPath(atlasPaths.shardedSnapshot, { groupId, clusterName, snapshotId });
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
     * The snapshot a `takeSnapshot` with this request ref produced, found by the marker in its
     * description; newest first, stopping at snapshots older than `sinceMs`.
     */
    async findSnapshotByRequestRef(
      groupId: string,
      clusterName: string,
      requestRef: string,
      sinceMs: number,
      options?: CallOptions,
    ): Promise<Snapshot | undefined> {
      const marker = markerOf(requestRef);
      for await (const s of this.iterateSnapshots(groupId, clusterName, { itemsPerPage: 100, ...options })) {
        if (s.description?.includes(marker)) return s;
        if (s.createdAt && Date.parse(s.createdAt) < sinceMs) return undefined;
      }
      return undefined;
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
      const path = atlasPath(atlasPaths.snapshots, { groupId, clusterName });
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
          () =>
            this.findSnapshotByRequestRef(
              groupId,
              clusterName,
              requestRef,
              this.now() - reconcileSkewMs,
              options,
            ),
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
      return this.call(snapshot, {
        operationId: 'updateBackupSnapshot',
        method: 'PATCH',
        path: atlasPath(atlasPaths.snapshot, { groupId, clusterName, snapshotId }),
        version: apiVersions.snapshots,
        body,
        signal: options?.signal,
      });
    }

    /**
     * Deletes a replica set's snapshot, or with `sharded` a sharded cluster's (each has its own
     * endpoint). Sent at most as a DELETE is: retried, since deleting twice deletes once.
     */
    async deleteSnapshot(
      groupId: string,
      clusterName: string,
      snapshotId: string,
      options?: CallOptions & { sharded?: boolean },
    ): Promise<void> {
      const sharded = options?.sharded === true;
      await this.transport.send({
        operationId: sharded
          ? 'deleteGroupClusterBackupSnapshotShardedCluster'
          : 'deleteGroupClusterBackupSnapshot',
        method: 'DELETE',
        path: atlasPath(sharded ? atlasPaths.shardedSnapshot : atlasPaths.snapshot, {
          groupId,
          clusterName,
          snapshotId,
        }),
        version: apiVersions.snapshots,
        idempotent: true,
        signal: options?.signal,
      });
    }
  };
}
