import { z } from 'zod';

/** 24 hex digits: project (group), snapshot, job, bucket ids. */
export const objectIdPattern = /^([a-f0-9]{24})$/;
export const clusterNamePattern = /^[a-zA-Z0-9][a-zA-Z0-9-]*$/;
/** Earliest time Atlas accepts for point-in-time restores (2008-01-01T00:00:00Z). */
export const minimumRestoreEpochSeconds = 1199145600;
/** The largest value of the contract's `int32` fields. */
export const int32Max = 2_147_483_647;

/** The latest moment an int32 of seconds can name. */
const latestRestoreTime = '2038-01-19T03:14:07Z';

/** A restore time or oplog timestamp: whole seconds from 2008-01-01 to the end of int32. */
export const restoreEpochSeconds = (field: string) =>
  z
    .number({ error: `${field} must be a number of seconds since the epoch` })
    .int(`${field} must be a whole number of seconds`)
    .min(
      minimumRestoreEpochSeconds,
      `${field} must be at or after 2008-01-01T00:00:00Z (${minimumRestoreEpochSeconds})`,
    )
    .max(int32Max, `${field} must be at or before ${latestRestoreTime} (${int32Max})`);

/** The oplog operation ordinal that goes with `oplogTs`. */
export const oplogIncrement = z
  .number({ error: 'oplogInc must be a number' })
  .int('oplogInc must be a whole number')
  .min(1, 'oplogInc must be at least 1')
  .max(int32Max, `oplogInc must be between 1 and ${int32Max}`);

export const objectId = (what: string) =>
  z.string({ error: `${what} is required` }).regex(objectIdPattern, `${what} must be 24 hexadecimal digits`);

export const clusterName = (what = 'cluster name') =>
  z
    .string({ error: `${what} is required` })
    .min(1, `${what} is required`)
    .max(64, `${what} must be at most 64 characters`)
    .regex(
      clusterNamePattern,
      `${what} must start with a letter or digit and contain only letters, digits and -`,
    );

export const groupId = objectId('project id');
export const snapshotId = objectId('snapshot id');

export const isoDateTime = z.string();

export const link = z.object({ href: z.string().optional(), rel: z.string().optional() });

export function paginated<T extends z.ZodType>(item: T) {
  return z.object({
    links: z.array(link).optional(),
    results: z.array(item),
    totalCount: z.number().int().optional(),
  });
}

export interface Page<T> {
  results: T[];
  totalCount?: number | undefined;
}

/**
 * An enum in an answer from Atlas. Atlas adds values (often behind feature flags) without a new
 * API version, so a value we have never seen is kept as sent instead of failing the whole call.
 * The known values keep their literal types; code that acts on the value treats any other one
 * conservatively (an unknown job state is not finished; an unknown snapshot status is not
 * completed) and shows it as it came. Requests use strict enums.
 */
export type OpenEnum<Known extends string> = Known | (string & Record<never, never>);

export function openEnum<const Known extends readonly [string, ...string[]]>(
  known: Known,
): z.ZodType<OpenEnum<Known[number]>> {
  return z.union([z.enum(known), z.string()]);
}

export const cloudProvider = openEnum(['AWS', 'AZURE', 'GCP']);

export const paginationQuery = z.strictObject({
  itemsPerPage: z
    .number()
    .int('itemsPerPage must be a whole number')
    .min(1, 'itemsPerPage must be between 1 and 500')
    .max(500, 'itemsPerPage must be between 1 and 500')
    .optional(),
  pageNum: z
    .number()
    .int('pageNum must be a whole number')
    .min(1, 'pageNum must be at least 1')
    .max(int32Max, `pageNum must be between 1 and ${int32Max}`)
    .optional(),
  includeCount: z.boolean().optional(),
});
export type PaginationQuery = z.infer<typeof paginationQuery>;
