export * from './types.js';
export * from './approval-store.js';
export * from './approval-engine.js';
export * from './reconcile.js';
export * from './setup.js';
export * from './pool-assignment.js';
