import { ApiError, notFound } from '../http/errors.js';
import type { ApiVersion, HandlerContext } from '../http/operation.js';
import type {
  ClusterRecord,
  FlexClusterRecord,
  ProjectRecord,
  ServerlessInstanceRecord,
} from '../model/types.js';

export const V20230101: ApiVersion = { date: '2023-01-01' };
export const V20241113: ApiVersion = { date: '2024-11-13' };
/** The serverless backup endpoints' 2023-01-01 version (x-sunset in the contract). */
export const V20230101_SERVERLESS_BACKUP: ApiVersion = { date: '2023-01-01', sunset: '2026-01-22' };
/** Versions the contract marks for sunset on 2027-07-01. */
export const V20230101_UNTIL_2027_07: ApiVersion = { date: '2023-01-01', sunset: '2027-07-01' };

export function param(ctx: HandlerContext, name: string): string {
  const value = ctx.params[name];
  if (value === undefined) throw new Error(`route has no ${name} parameter`);
  return value;
}

export function requireProject(ctx: HandlerContext): ProjectRecord {
  const groupId = param(ctx, 'groupId');
  const project = ctx.store.getProject(groupId);
  if (!project) throw notFound.group(groupId);
  return project;
}

/**
 * A dedicated cluster from `{clusterName}`. Flex clusters and serverless instances have their
 * own APIs, and Atlas refuses them on the cluster API with a 400 rather than a 404.
 */
export function requireCluster(ctx: HandlerContext): ClusterRecord {
  const project = requireProject(ctx);
  const name = param(ctx, 'clusterName');
  const cluster = ctx.store.getCluster(project.id, name);
  if (cluster) return cluster;
  if (ctx.store.getFlexCluster(project.id, name)) {
    throw new ApiError(
      400,
      'CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API',
      `Cluster ${name} is a flex cluster; use the flex cluster API.`,
    );
  }
  if (ctx.store.getServerlessInstance(project.id, name)) {
    throw new ApiError(
      400,
      'CANNOT_USE_SERVERLESS_INSTANCE_IN_CLUSTER_API',
      `Cluster ${name} is a serverless instance; use the serverless instance API.`,
    );
  }
  throw notFound.cluster(project.id, name);
}

export interface FlexDeployment {
  cluster: FlexClusterRecord;
  /** A serverless instance Atlas migrated to Flex: the Flex API serves it too. */
  migratedServerless: boolean;
}

/**
 * A Flex cluster from `{name}`. Atlas moved serverless instances to Flex and points the retired
 * serverless backup API at the Flex one, so a serverless instance answers here as well.
 */
export function requireFlexDeployment(ctx: HandlerContext): FlexDeployment {
  const project = requireProject(ctx);
  const name = param(ctx, 'name');
  const cluster = ctx.store.getFlexCluster(project.id, name);
  if (cluster) return { cluster, migratedServerless: false };
  const serverless = ctx.store.getServerlessInstance(project.id, name);
  if (serverless) return { cluster: serverless, migratedServerless: true };
  throw notFound.flexCluster(project.id, name);
}

export function requireFlexCluster(ctx: HandlerContext): FlexClusterRecord {
  return requireFlexDeployment(ctx).cluster;
}

/** Serverless routes name the instance `{clusterName}` on backup paths and `{name}` elsewhere. */
export function requireServerless(
  ctx: HandlerContext,
  paramName: 'name' | 'clusterName',
): ServerlessInstanceRecord {
  const project = requireProject(ctx);
  const name = param(ctx, paramName);
  const instance = ctx.store.getServerlessInstance(project.id, name);
  if (!instance) throw notFound.serverless(project.id, name);
  return instance;
}

export function snapshotNotCompleted(id: string, status: string, action: string): ApiError {
  return new ApiError(
    400,
    'SNAPSHOT_NOT_COMPLETED',
    `Snapshot ${id} is ${status}; only a completed snapshot can be ${action}.`,
  );
}
