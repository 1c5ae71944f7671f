export * from './types.js';
export * from './catalogue.js';
export * from './action-service.js';
