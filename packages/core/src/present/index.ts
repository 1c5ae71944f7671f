export * from './format.js';
export * from './snapshot-rows.js';
export * from './terminal-text.js';
