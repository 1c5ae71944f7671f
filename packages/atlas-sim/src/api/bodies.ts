import { z } from 'zod';
import type { FieldViolation } from '../http/errors.js';

/** Request bodies, written from the contract: unknown (and read-only) attributes are rejected. */

const objectId = z.string().regex(/^([a-f0-9]{24})$/);
const clusterName = z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9-]*$/);
const INT32_MAX = 2_147_483_647;
/** The contract's lower bound for restore times: 2008-01-01T00:00:00Z. */
export const MIN_RESTORE_SECONDS = 1_199_145_600;
const restoreSeconds = z.int().min(MIN_RESTORE_SECONDS).max(INT32_MAX);

export const takeSnapshotBody = z.strictObject({
  description: z.string().max(1000).optional(),
  retentionInDays: z.int().min(1).max(INT32_MAX).optional(),
});

export const updateSnapshotBody = z.strictObject({
  retentionUnit: z.enum(['DAYS', 'WEEKS', 'MONTHS', 'YEARS']),
  retentionValue: z.int().min(1).max(INT32_MAX),
});

const restoreFields = {
  deliveryType: z.enum(['automated', 'download', 'pointInTime']),
  snapshotId: objectId.optional(),
  pointInTimeUTCSeconds: restoreSeconds.optional(),
  oplogTs: restoreSeconds.optional(),
  oplogInc: z.int().min(1).max(INT32_MAX).optional(),
};

export const createRestoreJobBody = z.strictObject({
  ...restoreFields,
  targetClusterName: clusterName.optional(),
  targetGroupId: objectId.optional(),
});

/** Serverless restores always name a target (the contract marks both required). */
export const createServerlessRestoreJobBody = z.strictObject({
  ...restoreFields,
  targetClusterName: clusterName,
  targetGroupId: objectId,
});

export type RestoreJobBody = z.infer<typeof createRestoreJobBody>;

/** Which fields each delivery type needs and refuses, as Atlas documents them. */
export function restoreRuleViolations(body: RestoreJobBody): FieldViolation[] {
  const out: FieldViolation[] = [];
  const need = (field: keyof RestoreJobBody, why: string): void => {
    if (body[field] === undefined) out.push({ field, description: `is required when ${why}` });
  };
  const refuse = (field: keyof RestoreJobBody, why: string): void => {
    if (body[field] !== undefined) out.push({ field, description: `must not be set when ${why}` });
  };
  const kind = `deliveryType is ${body.deliveryType}`;
  const pitFields = ['pointInTimeUTCSeconds', 'oplogTs', 'oplogInc'] as const;
  switch (body.deliveryType) {
    case 'automated':
      need('snapshotId', kind);
      need('targetClusterName', kind);
      need('targetGroupId', kind);
      pitFields.forEach((f) => refuse(f, kind));
      break;
    case 'download':
      need('snapshotId', kind);
      refuse('targetClusterName', kind);
      refuse('targetGroupId', kind);
      pitFields.forEach((f) => refuse(f, kind));
      break;
    case 'pointInTime': {
      need('targetClusterName', kind);
      need('targetGroupId', kind);
      refuse('snapshotId', kind);
      const hasPit = body.pointInTimeUTCSeconds !== undefined;
      const hasTs = body.oplogTs !== undefined;
      const hasInc = body.oplogInc !== undefined;
      if (hasPit && (hasTs || hasInc)) {
        out.push({
          field: 'pointInTimeUTCSeconds',
          description: 'cannot be combined with oplogTs and oplogInc',
        });
      } else if (!hasPit && !hasTs && !hasInc) {
        out.push({
          field: 'pointInTimeUTCSeconds',
          description: `or oplogTs and oplogInc are required when ${kind}`,
        });
      } else if (hasTs && !hasInc) {
        out.push({ field: 'oplogInc', description: 'is required with oplogTs' });
      } else if (hasInc && !hasTs) {
        out.push({ field: 'oplogTs', description: 'is required with oplogInc' });
      }
      break;
    }
  }
  return out;
}

export const createExportBody = z.strictObject({
  snapshotId: objectId,
  exportBucketId: objectId,
  customData: z.array(z.strictObject({ key: z.string(), value: z.string() })).optional(),
});

export const flexDownloadBody = z.strictObject({ snapshotId: objectId });

export const createFlexRestoreJobBody = z.strictObject({
  snapshotId: objectId,
  targetDeploymentItemName: z.string().regex(/^[\p{L}\p{N}\-_.(),:&@+']{1,64}$/u),
  targetProjectId: objectId.optional(),
});

const restoreNamespace = z.strictObject({
  sourceNamespace: z.string(),
  targetNamespace: z.string().optional(),
});

/** ApiAtlasCollectionRestoreJobRequest; the contract marks suffixes and point-in-time fields nullable. */
export const createCollectionRestoreJobBody = z.strictObject({
  snapshotId: objectId.optional(),
  pointInTimeUtcSeconds: restoreSeconds.nullable().optional(),
  oplogTs: restoreSeconds.nullable().optional(),
  oplogInc: z.int().min(1).max(INT32_MAX).nullable().optional(),
  targetClusterName: clusterName,
  targetGroupId: objectId,
  writeStrategy: z.enum(['CREATE_NEW', 'OVERWRITE_EXISTING']),
  indexStrategy: z.enum(['ALL', 'NONE', 'ALL_EXCEPT_TTL']),
  databases: z.array(restoreNamespace).max(100).optional(),
  collections: z.array(restoreNamespace).max(100).optional(),
  databaseSuffix: z.string().nullable().optional(),
  collectionSuffix: z.string().nullable().optional(),
});

export type CollectionRestoreJobBody = z.infer<typeof createCollectionRestoreJobBody>;
