export { App, type AppProps } from './app.js';
export {
  createServices,
  defaultAuditPath,
  localActor,
  type AppServices,
  type ServicesOptions,
} from './services.js';
export { JobsStore, type TrackedJob } from './jobs-store.js';
