import { z } from 'zod';
import { clusterName, objectId, openEnum, oplogIncrement, restoreEpochSeconds } from './common.js';

const target = {
  targetClusterName: clusterName('targetClusterName'),
  targetGroupId: objectId('targetGroupId'),
};

/** Restore a snapshot onto a target cluster, replacing all of its data. */
export const automatedRestoreRequest = z.strictObject({
  deliveryType: z.literal('automated'),
  snapshotId: objectId('snapshotId'),
  ...target,
});

/** Produce download links for a snapshot; nothing is overwritten. */
export const downloadRestoreRequest = z.strictObject({
  deliveryType: z.literal('download'),
  snapshotId: objectId('snapshotId'),
});

/** Fields of a point-in-time restore; see `checkPointInTime` for the rule between them. */
export const pointInTimeFields = {
  ...target,
  pointInTimeUTCSeconds: restoreEpochSeconds('pointInTimeUTCSeconds').optional(),
  oplogTs: restoreEpochSeconds('oplogTs').optional(),
  oplogInc: oplogIncrement.optional(),
};

/** Either wall-clock seconds, or oplog timestamp with increment; never both, never neither. */
export function checkPointInTime(
  value: {
    pointInTimeUTCSeconds?: number | undefined;
    oplogTs?: number | undefined;
    oplogInc?: number | undefined;
  },
  ctx: z.RefinementCtx,
): void {
  const bySeconds = value.pointInTimeUTCSeconds !== undefined;
  const byOplog = value.oplogTs !== undefined || value.oplogInc !== undefined;
  if (bySeconds && byOplog) {
    ctx.addIssue({
      code: 'custom',
      path: ['pointInTimeUTCSeconds'],
      message: 'give either pointInTimeUTCSeconds or oplogTs + oplogInc, not both',
    });
  } else if (!bySeconds && !byOplog) {
    ctx.addIssue({
      code: 'custom',
      path: ['pointInTimeUTCSeconds'],
      message: 'a point-in-time restore needs pointInTimeUTCSeconds, or oplogTs with oplogInc',
    });
  } else if (byOplog && value.oplogTs === undefined) {
    ctx.addIssue({ code: 'custom', path: ['oplogTs'], message: 'oplogTs is required with oplogInc' });
  } else if (byOplog && value.oplogInc === undefined) {
    ctx.addIssue({ code: 'custom', path: ['oplogInc'], message: 'oplogInc is required with oplogTs' });
  }
}

/** Restore the target to a moment, by wall-clock seconds or by oplog timestamp and increment. */
export const pointInTimeRestoreRequest = z
  .strictObject({ deliveryType: z.literal('pointInTime'), ...pointInTimeFields })
  .superRefine(checkPointInTime);

export const restoreRequest = z.discriminatedUnion(
  'deliveryType',
  [automatedRestoreRequest, downloadRestoreRequest, pointInTimeRestoreRequest],
  { error: 'deliveryType must be one of automated, download, pointInTime' },
);
export type RestoreRequest = z.infer<typeof restoreRequest>;
export type RestoreDeliveryType = RestoreRequest['deliveryType'];

/** `DiskBackupSnapshotRestoreJob` as Atlas returns it. */
export const restoreJob = z.object({
  id: z.string(),
  deliveryType: openEnum(['automated', 'download', 'pointInTime']),
  snapshotId: z.string().optional(),
  targetClusterName: z.string().optional(),
  targetGroupId: z.string().optional(),
  cancelled: z.boolean().optional(),
  failed: z.boolean().optional(),
  expired: z.boolean().optional(),
  expiresAt: z.string().optional(),
  finishedAt: z.string().optional(),
  timestamp: z.string().optional(),
  deliveryUrl: z.array(z.string()).optional(),
  pointInTimeUTCSeconds: z.number().optional(),
  oplogTs: z.number().optional(),
  oplogInc: z.number().optional(),
  desiredTimestamp: z.object({ date: z.string().optional(), increment: z.number().optional() }).optional(),
  components: z
    .array(z.object({ downloadUrl: z.string().optional(), replicaSetName: z.string().optional() }))
    .optional(),
});
export type RestoreJob = z.infer<typeof restoreJob>;

export const flexJobStatus = openEnum(['PENDING', 'QUEUED', 'RUNNING', 'FAILED', 'COMPLETED']);
/** `FlexBackupRestoreJob20241113`: Flex restores and downloads. */
export const flexRestoreJob = z.object({
  id: z.string(),
  deliveryType: openEnum(['RESTORE', 'DOWNLOAD']).optional(),
  expirationDate: z.string().optional(),
  instanceName: z.string().optional(),
  projectId: z.string().optional(),
  restoreFinishedDate: z.string().optional(),
  restoreScheduledDate: z.string().optional(),
  snapshotFinishedDate: z.string().optional(),
  snapshotId: z.string().optional(),
  snapshotUrl: z.string().optional(),
  status: flexJobStatus.optional(),
  targetDeploymentItemName: z.string().optional(),
  targetProjectId: z.string().optional(),
});
export type FlexRestoreJob = z.infer<typeof flexRestoreJob>;

/** `FlexBackupRestoreJobCreate20241113`. */
export const flexRestoreRequest = z.strictObject({
  snapshotId: objectId('snapshotId'),
  targetDeploymentItemName: clusterName('targetDeploymentItemName'),
  targetProjectId: objectId('targetProjectId').optional(),
});
export type FlexRestoreRequest = z.infer<typeof flexRestoreRequest>;
