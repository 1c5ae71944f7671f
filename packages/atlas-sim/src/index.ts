export { startSimulator, DEFAULT_SEED } from './simulator.js';
export type { SimulatorOptions, RunningSimulator } from './simulator.js';
export type { SimulatorCredentials } from './auth/credentials.js';
export { DEFAULT_CREDENTIALS } from './auth/credentials.js';
export type { SimClock } from './clock.js';
export type { FaultController, FaultInjection } from './faults.js';
export { parseFaultSpec } from './faults.js';
export type { RequestLogEntry, RecordedResponse } from './http/observe.js';
export type { SeedSummary, SeededProject } from './seed/summary.js';
export type { SimStore } from './model/store.js';
export type * from './model/types.js';
export { LARGE_SNAPSHOT_COUNT } from './seed/seed.js';
export { timings } from './model/timings.js';
export { exportLines, describeSeed } from './cli-output.js';
export type { RequestCounts } from './http/counter.js';
export type {
  BucketLimits,
  EndpointSetId,
  RateLimitBucket,
  RateLimitController,
  RateLimitOptions,
  RateLimitScope,
} from './http/rate-limit.js';
export { ATLAS_LIKE_LIMITS, ENDPOINT_SETS, parseRateLimitSpec } from './http/rate-limit.js';
export type { ClusterRef } from './seed/summary.js';
export type { RestorableWindow } from './model/window.js';
export { restorableWindow } from './model/window.js';
