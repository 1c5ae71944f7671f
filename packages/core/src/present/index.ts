export * from './format.js';
export * from './snapshot-rows.js';
