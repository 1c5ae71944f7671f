import { AtlasApiError } from '../errors.js';
import { paginate } from '../pagination.js';
import {
  cluster,
  dedicatedClusterKind,
  flexCluster,
  serverlessInstance,
  type Cluster,
  type ClusterKind,
  type ClusterSummary,
  type FlexCluster,
  type ServerlessInstance,
} from '../schemas/clusters.js';
import type { Page, PaginationQuery } from '../schemas/common.js';
import { project, type Project } from '../schemas/projects.js';
import type { AtlasApiClass, CallOptions } from './atlas-api.js';
import { atlasPath, atlasPaths } from './paths.js';
import { retiredApiAnswer } from './retired-api.js';
import { apiVersions } from './versions.js';

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** Projects, and the deployments in them: dedicated clusters, Flex clusters, serverless instances. */
export function withDeployments<B extends AtlasApiClass>(Base: B) {
  return class Deployments extends Base {
    async listProjects(query?: PaginationQuery, options?: CallOptions): Promise<Page<Project>> {
      const path = atlasPath(atlasPaths.projects, {});
      return this.page(project, 'listProjects', apiVersions.projects, path, query, options);
    }

    iterateProjects(options?: CallOptions): AsyncGenerator<Project> {
      return paginate((pageNum, itemsPerPage) => this.listProjects({ pageNum, itemsPerPage }, options));
    }

    async getProject(groupId: string, options?: CallOptions): Promise<Project> {
      const path = atlasPath(atlasPaths.project, { groupId });
      return this.get(project, 'getProject', apiVersions.projects, path, options);
    }

    async listClusters(
      groupId: string,
      query?: PaginationQuery,
      options?: CallOptions,
    ): Promise<Page<Cluster>> {
      const path = atlasPath(atlasPaths.clusters, { groupId });
      return this.page(cluster, 'listClusters', apiVersions.clusters, path, query, options);
    }

    async getCluster(groupId: string, clusterName: string, options?: CallOptions): Promise<Cluster> {
      const path = atlasPath(atlasPaths.cluster, { groupId, clusterName });
      return this.get(cluster, 'getCluster', apiVersions.clusters, path, options);
    }

    async listFlexClusters(
      groupId: string,
      query?: PaginationQuery,
      options?: CallOptions,
    ): Promise<Page<FlexCluster>> {
      const path = atlasPath(atlasPaths.flexClusters, { groupId });
      return this.page(flexCluster, 'listFlexClusters', apiVersions.flex, path, query, options);
    }

    async getFlexCluster(groupId: string, clusterName: string, options?: CallOptions): Promise<FlexCluster> {
      const path = atlasPath(atlasPaths.flexCluster, { groupId, name: clusterName });
      return this.get(flexCluster, 'getFlexCluster', apiVersions.flex, path, options);
    }

    async listServerlessInstances(
      groupId: string,
      query?: PaginationQuery,
      options?: CallOptions,
    ): Promise<Page<ServerlessInstance>> {
      const path = atlasPath(atlasPaths.serverlessInstances, { groupId });
      const version = apiVersions.serverless;
      return this.page(serverlessInstance, 'listServerlessInstances', version, path, query, options);
    }

    async getServerlessInstance(
      groupId: string,
      instanceName: string,
      options?: CallOptions,
    ): Promise<ServerlessInstance> {
      const path = atlasPath(atlasPaths.serverlessInstance, { groupId, name: instanceName });
      return this.get(serverlessInstance, 'getServerlessInstance', apiVersions.serverless, path, options);
    }

    /**
     * What kind of deployment a name is, asked of the dedicated-cluster API first: Atlas says
     * when the name is a Flex cluster or a serverless instance. Any other failure propagates.
     */
    async deploymentKind(groupId: string, name: string, options?: CallOptions): Promise<ClusterKind> {
      try {
        return dedicatedClusterKind(await this.getCluster(groupId, name, options));
      } catch (error) {
        const kind = deploymentKindFromError(error);
        if (kind === undefined) throw error;
        return kind;
      }
    }

    /**
     * Dedicated, Flex and serverless deployments of a project in one list. Serverless listing
     * failing (it is being retired) does not hide the others.
     */
    async listAllClusters(groupId: string, options?: CallOptions): Promise<ClusterSummary[]> {
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
          if (
            retiredApiAnswer(error) !== undefined ||
            (error instanceof AtlasApiError && error.status === 404)
          )
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
  };
}

/**
 * The kind of deployment a name belongs to when Atlas refused it on the dedicated-cluster API
 * because it is a Flex cluster or a serverless instance; undefined for any other failure. Lets a
 * front end given only a name go to the API that serves it.
 */
export function deploymentKindFromError(error: unknown): 'flex' | 'serverless' | undefined {
  if (!(error instanceof AtlasApiError)) return undefined;
  if (error.errorCode === 'CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API') return 'flex';
  if (error.errorCode === 'CANNOT_USE_SERVERLESS_INSTANCE_IN_CLUSTER_API') return 'serverless';
  return undefined;
}
