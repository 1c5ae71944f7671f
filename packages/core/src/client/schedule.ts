import { backupSchedule, type BackupSchedule } from '../schemas/schedule.js';
import type { AtlasApiClass, CallOptions } from './atlas-api.js';
import { atlasPath, atlasPaths } from './paths.js';
import { apiVersions } from './versions.js';

/** A dedicated cluster's backup schedule and retention policies (read only). */
export function withSchedule<B extends AtlasApiClass>(Base: B) {
  return class Schedule extends Base {
    async getBackupSchedule(
      groupId: string,
      clusterName: string,
      options?: CallOptions,
    ): Promise<BackupSchedule> {
      const path = atlasPath(atlasPaths.schedule, { groupId, clusterName });
      return this.get(backupSchedule, 'getBackupSchedule', apiVersions.schedule, path, options);
    }
  };
}
