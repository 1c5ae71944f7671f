export { SlackSim, simBotId, type SlackSimOptions } from './slack-sim.js';
export {
  AppDelivery,
  type ActionSource,
  type AppDeliveryOptions,
  type Delivery,
  type DeliveryOutcome,
  type PayloadKind,
} from './app-delivery.js';
export {
  slackSignature,
  signRequest,
  slashCommandBody,
  interactionBody,
  type SignedRequest,
} from './signing.js';
export { triggerLifetimeMs } from './triggers.js';
export { maxStackedViews } from './views.js';
export * from './block-kit.js';
export type * from './types.js';
