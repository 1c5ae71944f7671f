import { z } from 'zod';
import { requestMarkerSuffixLength } from '../client/create-once.js';
import { cloudProvider, openEnum } from './common.js';

export const snapshotStatus = openEnum(['queued', 'inProgress', 'completed', 'failed']);
export type SnapshotStatus = z.infer<typeof snapshotStatus>;
export const frequencyType = openEnum(['hourly', 'daily', 'weekly', 'monthly', 'yearly']);

const snapshotFields = {
  id: z.string(),
  createdAt: z.string().optional(),
  expiresAt: z.string().optional(),
  description: z.string().optional(),
  frequencyType: frequencyType.optional(),
  masterKeyUUID: z.string().optional(),
  mongodVersion: z.string().optional(),
  policyItems: z.array(z.string()).optional(),
  snapshotType: openEnum(['onDemand', 'scheduled', 'fallback']).optional(),
  status: snapshotStatus.optional(),
  storageSizeBytes: z.number().optional(),
};

/** A replica set or sharded cluster snapshot as listed and fetched (`DiskBackupReplicaSet`). */
export const snapshot = z.object({
  ...snapshotFields,
  type: openEnum(['replicaSet', 'shardedCluster']).optional(),
  cloudProvider: cloudProvider.optional(),
  copyRegions: z.array(z.string()).optional(),
  replicaSetName: z.string().optional(),
  // Present on sharded cluster snapshots in mixed lists.
  members: z
    .array(z.object({ cloudProvider: z.string(), id: z.string(), replicaSetName: z.string() }))
    .optional(),
  snapshotIds: z.array(z.string()).optional(),
  configServerType: openEnum(['EMBEDDED', 'DEDICATED']).optional(),
});
export type Snapshot = z.infer<typeof snapshot>;

/** `DiskBackupShardedClusterSnapshot`. */
export const shardedSnapshot = z.object({
  ...snapshotFields,
  type: openEnum(['replicaSet', 'shardedCluster']).optional(),
  configServerType: openEnum(['EMBEDDED', 'DEDICATED']).optional(),
  members: z
    .array(z.object({ cloudProvider: z.string(), id: z.string(), replicaSetName: z.string() }))
    .optional(),
  snapshotIds: z.array(z.string()).optional(),
});
export type ShardedSnapshot = z.infer<typeof shardedSnapshot>;

export const retentionUnit = z.enum(['DAYS', 'WEEKS', 'MONTHS', 'YEARS'], {
  error: 'retentionUnit must be one of DAYS, WEEKS, MONTHS, YEARS',
});
export type RetentionUnit = z.infer<typeof retentionUnit>;

/**
 * The longest retention accepted, per unit: 100 years. The contract types retention as int32 with
 * no maximum, but int32 days is millions of years, past any date Atlas or this tool can state, so
 * an expiry could not even be shown; no retention duty runs longer than a century.
 */
export const retentionMax: Record<RetentionUnit, number> = {
  DAYS: 36_500,
  WEEKS: 5_200,
  MONTHS: 1_200,
  YEARS: 100,
};

/** "1 to 1200 months (100 years)": the range a person is told. */
export const retentionRange = (unit: RetentionUnit) =>
  `1 to ${retentionMax[unit]} ${unit.toLowerCase()}${unit === 'YEARS' ? '' : ' (100 years)'}`;

/**
 * What Atlas accepts as an on-demand snapshot's description. The contract states no maximum;
 * this tool has always held descriptions to 1000 characters (UTF-16 code units, as Atlas counts).
 */
export const atlasSnapshotDescriptionMax = 1000;

/**
 * The longest description a person may give: the tool appends ` [atlas-backups-request:<ref>]`
 * to find the snapshot again if Atlas's answer is lost, and that must fit within Atlas's limit.
 */
export const snapshotDescriptionMax = atlasSnapshotDescriptionMax - requestMarkerSuffixLength;

/** `DiskBackupOnDemandSnapshotRequest`. */
export const takeSnapshotRequest = z.strictObject({
  description: z
    .string()
    .max(snapshotDescriptionMax, `description must be at most ${snapshotDescriptionMax} characters`)
    .optional(),
  retentionInDays: z
    .number({ error: 'retentionInDays must be a number' })
    .int('retentionInDays must be a whole number of days')
    .min(1, 'retentionInDays must be at least 1')
    .max(retentionMax.DAYS, `retentionInDays must be ${retentionRange('DAYS')}`)
    .optional(),
});
export type TakeSnapshotRequest = z.infer<typeof takeSnapshotRequest>;

/** The upper bound depends on the unit, so it is checked on the pair. */
export function checkRetention(
  value: { retentionUnit: RetentionUnit; retentionValue: number },
  ctx: z.RefinementCtx,
): void {
  const max = Object.hasOwn(retentionMax, value.retentionUnit)
    ? retentionMax[value.retentionUnit]
    : undefined;
  if (max !== undefined && value.retentionValue > max) {
    ctx.addIssue({
      code: 'custom',
      path: ['retentionValue'],
      message: `retentionValue must be ${retentionRange(value.retentionUnit)}`,
    });
  }
}

/** `BackupSnapshotRetention`. */
export const retentionRequest = z
  .strictObject({
    retentionUnit,
    retentionValue: z
      .number({ error: 'retentionValue must be a number' })
      .int('retentionValue must be a whole number')
      .min(1, 'retentionValue must be at least 1'),
  })
  .superRefine(checkRetention);
export type RetentionRequest = z.infer<typeof retentionRequest>;

/** `ServerlessBackupSnapshot` (API version 2023-01-01, sunset 2026-01-22). */
export const serverlessSnapshot = z.object({
  id: z.string(),
  createdAt: z.string().optional(),
  expiresAt: z.string().optional(),
  frequencyType: openEnum(['hourly', 'daily', 'weekly', 'monthly']).optional(),
  mongodVersion: z.string().optional(),
  serverlessInstanceName: z.string().optional(),
  snapshotType: openEnum(['onDemand', 'scheduled']).optional(),
  status: snapshotStatus.optional(),
  storageSizeBytes: z.number().optional(),
});
export type ServerlessSnapshot = z.infer<typeof serverlessSnapshot>;

export const flexSnapshotStatus = openEnum(['PENDING', 'QUEUED', 'RUNNING', 'FAILED', 'COMPLETED']);
/** `FlexBackupSnapshot20241113`. */
export const flexSnapshot = z.object({
  id: z.string(),
  expiration: z.string().optional(),
  finishTime: z.string().optional(),
  mongoDBVersion: z.string().optional(),
  scheduledTime: z.string().optional(),
  startTime: z.string().optional(),
  status: flexSnapshotStatus.optional(),
});
export type FlexSnapshot = z.infer<typeof flexSnapshot>;
