import { z } from 'zod';
import { openEnum } from './common.js';

const stateName = z.string();
const tag = z.object({ key: z.string(), value: z.string() });

/** Dedicated cluster, API version 2024-08-05 (`ClusterDescription20240805`). */
export const cluster = z.object({
  id: z.string().optional(),
  name: z.string(),
  groupId: z.string().optional(),
  clusterType: openEnum(['REPLICASET', 'SHARDED', 'GEOSHARDED']).optional(),
  mongoDBVersion: z.string().optional(),
  mongoDBMajorVersion: z.string().optional(),
  stateName: stateName.optional(),
  backupEnabled: z.boolean().optional(),
  pitEnabled: z.boolean().optional(),
  paused: z.boolean().optional(),
  createDate: z.string().optional(),
  tags: z.array(tag).optional(),
  replicationSpecs: z
    .array(
      z.object({
        id: z.string().optional(),
        zoneName: z.string().optional(),
        regionConfigs: z
          .array(
            z.object({
              providerName: z.string().optional(),
              regionName: z.string().optional(),
              electableSpecs: z.object({ instanceSize: z.string().optional() }).optional(),
            }),
          )
          .optional(),
      }),
    )
    .optional(),
});
export type Cluster = z.infer<typeof cluster>;

/** Flex cluster, API version 2024-11-13. */
export const flexCluster = z.object({
  id: z.string().optional(),
  name: z.string(),
  groupId: z.string().optional(),
  mongoDBVersion: z.string().optional(),
  stateName: stateName.optional(),
  createDate: z.string().optional(),
  backupSettings: z.object({ enabled: z.boolean().optional() }).optional(),
  providerSettings: z.object({
    backingProviderName: z.string().optional(),
    regionName: z.string().optional(),
    diskSizeGB: z.number().optional(),
    providerName: z.string().optional(),
  }),
  tags: z.array(tag).optional(),
});
export type FlexCluster = z.infer<typeof flexCluster>;

/** Serverless instance, API version 2023-01-01. */
export const serverlessInstance = z.object({
  id: z.string().optional(),
  name: z.string().optional(),
  groupId: z.string().optional(),
  mongoDBVersion: z.string().optional(),
  stateName: stateName.optional(),
  createDate: z.string().optional(),
  providerSettings: z.object({
    backingProviderName: z.string(),
    regionName: z.string(),
    providerName: z.string().optional(),
  }),
  serverlessBackupOptions: z.object({ serverlessContinuousBackupEnabled: z.boolean().optional() }).optional(),
  tags: z.array(tag).optional(),
});
export type ServerlessInstance = z.infer<typeof serverlessInstance>;

export type ClusterKind = 'replicaSet' | 'sharded' | 'flex' | 'serverless';

/**
 * What a dedicated cluster is, from its `clusterType`. A type Atlas adds later is taken for
 * sharded: of the two, the one whose rules (restore, cancel) are the more restrictive.
 */
export function dedicatedClusterKind(c: Pick<Cluster, 'clusterType'>): 'replicaSet' | 'sharded' {
  return c.clusterType === 'REPLICASET' ? 'replicaSet' : 'sharded';
}

/** One row of the merged cluster list the front ends show. */
export interface ClusterSummary {
  name: string;
  kind: ClusterKind;
  state: string | undefined;
  mongoDBVersion: string | undefined;
  backupEnabled: boolean;
  pitEnabled: boolean;
}
