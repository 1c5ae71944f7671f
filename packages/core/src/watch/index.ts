export * from './job-state.js';
export * from './watch-job.js';
export * from './job-poller.js';
