/**
 * How long simulated work takes, in simulated milliseconds. Fixed values keep tests exact:
 * a test advances the manual clock past these to see the next state.
 */
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export const timings = {
  snapshotQueued: 10 * SECOND,
  snapshotRunning: { replicaSet: 2 * MINUTE, shardedCluster: 4 * MINUTE },
  restoreAutomated: { replicaSet: 5 * MINUTE, shardedCluster: 8 * MINUTE },
  restorePointInTime: 10 * MINUTE,
  restoreDownloadReady: 3 * MINUTE,
  /** A download restore's links stay valid this long once ready. */
  downloadLinkLifetime: HOUR,
  exportQueued: 30 * SECOND,
  exportRunning: 5 * MINUTE,
  flexRestoreQueued: 5 * SECOND,
  flexRestoreRunning: 2 * MINUTE,
  /** Atlas keeps a Flex snapshot download URL active for four hours. */
  flexDownloadLifetime: 4 * HOUR,
  serverlessRestore: 5 * MINUTE,
  /** Collection-level restores: INITIALIZING, then IN_PROGRESS, then FINALIZING, each this long. */
  collectionRestore: { initializing: 30 * SECOND, copying: 4 * MINUTE, finalizing: MINUTE },
  /** A planned collection restore failure strikes this far into the copy. */
  collectionRestoreFailsAfter: 0.6,
  defaultOnDemandRetentionDays: 7,
} as const;

export { SECOND, MINUTE, HOUR };
