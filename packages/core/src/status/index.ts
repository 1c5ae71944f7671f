export * from './backup-status.js';
export * from './load-backup-status.js';
