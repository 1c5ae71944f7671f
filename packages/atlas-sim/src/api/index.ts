import type { Operation } from '../http/operation.js';
import { collectionRestoreOperations } from './collection-restores.js';
import { complianceOperations } from './compliance.js';
import { discoveryOperations } from './discovery.js';
import { exportOperations } from './exports.js';
import { flexBackupOperations } from './flex-backups.js';
import { projectOperations } from './projects.js';
import { restoreOperations } from './restores.js';
import { scheduleOperations } from './schedule.js';
import { serverlessBackupOperations } from './serverless-backups.js';
import { snapshotOperations } from './snapshots.js';

/** Every Atlas operation the simulator serves. */
export const operations: readonly Operation[] = [
  ...projectOperations,
  ...snapshotOperations,
  ...restoreOperations,
  ...exportOperations,
  ...scheduleOperations,
  ...flexBackupOperations,
  ...serverlessBackupOperations,
  ...discoveryOperations,
  ...collectionRestoreOperations,
  ...complianceOperations,
];
