export { App, type AppProps } from './shell/app.js';
export {
  createServices,
  defaultAuditPath,
  localActor,
  type AppServices,
  type ServicesOptions,
} from './services/app-services.js';
export { JobsStore, type TrackedJob } from './services/jobs-store.js';
