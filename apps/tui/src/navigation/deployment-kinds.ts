import { isDedicated, type ClusterKind } from '@atlas-backups/core';
import type { ClusterTab } from './routes.js';

/**
 * What each kind of deployment offers in this tool's views. Which actions apply to which kinds is
 * core's (each action definition's `deploymentKinds`; `deploymentRefusal` explains a refusal).
 */

export const clusterKindLabel: Record<ClusterKind, string> = {
  replicaSet: 'replica set',
  sharded: 'sharded',
  flex: 'Flex',
  serverless: 'serverless',
};

/** A deployment's views: Flex and serverless backups are managed by Atlas and have fewer. */
export function tabsFor(kind: ClusterKind): ClusterTab[] {
  if (isDedicated(kind)) return ['snapshots', 'restores', 'exports', 'buckets', 'schedule'];
  if (kind === 'flex') return ['snapshots', 'restores'];
  return ['snapshots'];
}
