import type { ClusterRecord } from '../model/types.js';
import { clusterPath, iso, selfLinks } from './format.js';

const HOUR = 3_600_000;

/** The next scheduled snapshot: the next slot of the most frequent policy item. */
function nextSnapshot(c: ClusterRecord, now: number): number {
  const hourly = c.policy.items.find((i) => i.frequencyType === 'hourly');
  const interval = (hourly?.frequencyInterval ?? 24) * HOUR;
  const offset = (c.policy.referenceHourOfDay * HOUR + c.policy.referenceMinuteOfHour * 60_000) % interval;
  return Math.floor((now - offset) / interval) * interval + interval + offset;
}

/** DiskBackupSnapshotSchedule (2023-01-01) and DiskBackupSnapshotSchedule20240805. */
export function scheduleView(
  c: ClusterRecord,
  version: string,
  now: number,
  baseUrl: string,
): Record<string, unknown> {
  return {
    ...(version >= '2024-08-05' ? { autoCopySettingsEnabled: false } : {}),
    autoExportEnabled: false,
    clusterId: c.id,
    clusterName: c.name,
    copySettings: [],
    extraRetentionSettings: [],
    links: selfLinks(baseUrl, `${clusterPath(c.groupId, c.name)}/backup/schedule`),
    nextSnapshot: iso(nextSnapshot(c, now)),
    policies: [
      {
        id: c.policy.policyId,
        policyItems: c.policy.items.map((i) => ({
          frequencyInterval: i.frequencyInterval,
          frequencyType: i.frequencyType,
          id: i.id,
          retentionUnit: i.retentionUnit,
          retentionValue: i.retentionValue,
        })),
      },
    ],
    referenceHourOfDay: c.policy.referenceHourOfDay,
    referenceMinuteOfHour: c.policy.referenceMinuteOfHour,
    restoreWindowDays: c.policy.restoreWindowDays,
    useOrgAndGroupNamesInExportPrefix: false,
  };
}
