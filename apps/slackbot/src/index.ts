export { createSlackBot, type SlackBot, type SlackBotOptions } from './app.js';
export { loadSlackConfig, type SlackBotConfig } from './config.js';
export { openBotDatabase, openRequestLog, botMigrations, type BotDatabase } from './state/db.js';
export {
  parseCommand,
  type Command,
  type ActionCommand,
  type ParseResult,
  type UsageError,
} from './commands/parse.js';
export { tokenize, decodeSlackText } from './commands/args/tokenize.js';
export { commandUsages } from './commands/index.js';
export {
  announcePendingApproval,
  type PendingApprovalHandler,
  type PendingOutcome,
} from './approvals/pending-approval.js';
export { SlackApprovals, type SlackApprovalsDeps } from './approvals/slack-approvals.js';
export {
  createSlackApprovalStack,
  type SlackApprovalStack,
  type SlackApprovalStackOptions,
} from './approvals/setup.js';
export { AuditChannel } from './approvals/audit-channel.js';
export { ApprovalMessages } from './approvals/approval-messages.js';
export { approvalActionIds, auditLine, renderedVersion } from './approvals/approval-blocks.js';
export { denyActionId, denyBlockId, denyCallbackId } from './approvals/deny-modal.js';
export {
  JobFollower,
  slackWatcher,
  type JobMessageContext,
  type StartJobInput,
} from './jobs/job-follower.js';
export { CoalescingSender, SlidingWindowLimiter } from './jobs/rate-limit.js';
export { MessageBuilder, type SlackMessage } from './blocks/message.js';
export { slackLimits } from './blocks/limits.js';
export type { Invocation } from './slack/invocation.js';
export type { Replier } from './slack/reply.js';
export { keepServingOnUnexpectedErrors, redact } from './slack/last-resort.js';
export { createLogger } from './slack/logger.js';
export { maxSlackBodyBytes } from './slack/events-receiver.js';
