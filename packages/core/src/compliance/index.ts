export * from './compliance-rules.js';
