export { startPlayground, playgroundPolicy, type Playground, type PlaygroundOptions } from './playground.js';
export {
  people,
  channels,
  approverGroup,
  incidentChannel,
  approvalsChannel,
  auditChannel,
} from './people.js';
export type * from './page-protocol.js';
