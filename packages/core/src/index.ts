export * from './errors.js';
export * from './config.js';
export * from './validation.js';
export * from './pagination.js';
export * from './schemas/index.js';
export * from './client/atlas-client.js';
export * from './client/versions.js';
export type { AtlasCredentials } from './http/auth.js';
export { parseDigestChallenge, digestAuthorization, DigestSession } from './http/digest.js';
export {
  defaultRetryPolicy,
  parseRetryAfter,
  realSleep,
  retryDelayMs,
  type RetryPolicy,
  type Sleep,
} from './http/retry.js';
export { mediaType, type AtlasCall, type TransportEvent } from './http/transport.js';
export * from './http/priority.js';
export * from './http/scheduler.js';
export * from './http/endpoint-sets.js';
export * from './http/manual-timer.js';
export * from './watch/index.js';
export * from './actions/index.js';
export * from './input/index.js';
export * from './policy/types.js';
export * from './policy/index.js';
export * from './audit/audit-entry.js';
export * from './audit/jsonl-audit-log.js';
export * from './audit/sqlite-audit-log.js';
export * from './store/index.js';
export * from './approvals/index.js';
export * from './present/index.js';
export * from './window/index.js';
export * from './compliance/index.js';
export * from './status/index.js';
