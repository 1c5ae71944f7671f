import type { ClusterKind } from '../schemas/clusters.js';

/** Cloud backups this tool changes: those of dedicated clusters (Atlas manages Flex and serverless ones). */
export const dedicatedKinds: readonly ClusterKind[] = ['replicaSet', 'sharded'];

export const isDedicated = (kind: ClusterKind): boolean => dedicatedKinds.includes(kind);
