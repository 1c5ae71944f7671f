import type { ClusterKind, ClusterSummary } from '@atlas-backups/core';
import type { ClusterTab } from './routes.js';

/**
 * What each kind of deployment offers in this tool. The "dedicated clusters only" rule lives
 * here and nowhere else in the TUI (it is moving to the core's action definitions).
 */

export const clusterKindLabel: Record<ClusterKind, string> = {
  replicaSet: 'replica set',
  sharded: 'sharded',
  flex: 'Flex',
  serverless: 'serverless',
};

export const isDedicated = (kind: ClusterKind) => kind === 'replicaSet' || kind === 'sharded';

/** A deployment's views: Flex and serverless backups are managed by Atlas and have fewer. */
export function tabsFor(kind: ClusterKind): ClusterTab[] {
  if (isDedicated(kind)) return ['snapshots', 'restores', 'exports', 'buckets', 'schedule'];
  if (kind === 'flex') return ['snapshots', 'restores'];
  return ['snapshots'];
}

/** Why this tool does not change the deployment's backups, or undefined when it does. */
export function changesRefused(cluster: ClusterSummary): string | undefined {
  if (isDedicated(cluster.kind)) return undefined;
  return `${cluster.kind === 'flex' ? 'Flex' : 'serverless'} backups are managed by Atlas; this tool changes dedicated clusters only`;
}
