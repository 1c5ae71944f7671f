export * from './common.js';
export * from './projects.js';
export * from './clusters.js';
export * from './snapshots.js';
export * from './restores.js';
export * from './exports.js';
export * from './schedule.js';
export * from './date-time.js';
