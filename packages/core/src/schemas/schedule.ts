import { z } from 'zod';
import { openEnum } from './common.js';

const policyItem = z.object({
  id: z.string().optional(),
  frequencyInterval: z.number(),
  frequencyType: openEnum(['daily', 'hourly', 'weekly', 'monthly', 'yearly', 'ondemand']),
  retentionUnit: openEnum(['days', 'weeks', 'months', 'years']),
  retentionValue: z.number(),
});
export type SchedulePolicyItem = z.infer<typeof policyItem>;

/** `DiskBackupSnapshotSchedule20240805`. */
export const backupSchedule = z.object({
  clusterId: z.string().optional(),
  clusterName: z.string().optional(),
  autoExportEnabled: z.boolean().optional(),
  nextSnapshot: z.string().optional(),
  referenceHourOfDay: z.number().optional(),
  referenceMinuteOfHour: z.number().optional(),
  restoreWindowDays: z.number().optional(),
  useOrgAndGroupNamesInExportPrefix: z.boolean().optional(),
  policies: z.array(z.object({ id: z.string().optional(), policyItems: z.array(policyItem) })),
  export: z
    .object({
      exportBucketId: z.string().optional(),
      frequencyType: openEnum(['monthly', 'yearly']).optional(),
    })
    .optional(),
});
export type BackupSchedule = z.infer<typeof backupSchedule>;
