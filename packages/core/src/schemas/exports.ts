import { z } from 'zod';
import { cloudProvider, objectId, openEnum } from './common.js';

export const backupLabel = z.strictObject({
  key: z.string().min(1, 'customData key must not be empty').max(255, 'customData key is too long'),
  value: z.string().max(255, 'customData value is too long'),
});
/** One `key=value` pair of an export's customData. */
export type BackupLabel = z.infer<typeof backupLabel>;

/** `DiskBackupExportJobRequest`. */
export const exportRequest = z.strictObject({
  snapshotId: objectId('snapshotId'),
  exportBucketId: objectId('exportBucketId'),
  customData: z.array(backupLabel).max(50, 'at most 50 customData pairs').optional(),
});
export type ExportRequest = z.infer<typeof exportRequest>;

export const exportJobState = openEnum(['Cancelled', 'Failed', 'InProgress', 'Queued', 'Successful']);
export type ExportState = z.infer<typeof exportJobState>;

/** `DiskBackupExportJob`. */
export const exportJob = z.object({
  id: z.string(),
  exportBucketId: z.string(),
  snapshotId: z.string().optional(),
  createdAt: z.string().optional(),
  finishedAt: z.string().optional(),
  prefix: z.string().optional(),
  state: exportJobState.optional(),
  customData: z.array(z.object({ key: z.string().optional(), value: z.string().optional() })).optional(),
  exportStatus: z
    .object({ exportedCollections: z.number().optional(), totalCollections: z.number().optional() })
    .optional(),
  stateReason: z.object({ errorCode: z.string().optional(), message: z.string().optional() }).optional(),
  components: z
    .array(z.object({ exportId: z.string().optional(), replicaSetName: z.string().optional() }))
    .optional(),
});
export type ExportJob = z.infer<typeof exportJob>;

/** `DiskBackupSnapshotExportBucketResponse` (version 2024-05-30). */
export const exportBucket = z.object({
  _id: z.string(),
  bucketName: z.string(),
  cloudProvider,
  iamRoleId: z.string().optional(),
  region: z.string().optional(),
  roleId: z.string().optional(),
  serviceUrl: z.string().optional(),
  requirePrivateNetworking: z.boolean().optional(),
});
export type ExportBucket = z.infer<typeof exportBucket>;
