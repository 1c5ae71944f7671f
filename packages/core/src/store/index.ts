export * from './sql.js';
export * from './sqlite-sql.js';
export * from './database.js';
export * from './migrations.js';
export * from './followed-jobs.js';
export * from './postgres-sql.js';
export * from './job-leases.js';
