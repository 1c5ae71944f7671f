export * from './format.js';
export * from './snapshot-rows.js';
export * from './terminal-text.js';
export * from './restore-rows.js';
export { type RowsOptions } from './rows.js';
export * from './paged-rows.js';
