export * from './types.js';
export * from './duration.js';
export * from './group-membership.js';
export * from './approvers.js';
export * from './policy-file.js';
export * from './file-policy.js';
export * from './load-policy.js';
