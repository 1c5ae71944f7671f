import {
  CachedGroupMembership,
  createApprovalStack,
  formatPolicyWarning,
  loadPolicy,
  type ApprovalStack,
  type AtlasClient,
  type AuditSink,
  type Env,
  type AuditEntry,
  type PolicyEngine,
  type PolicyReload,
  type PolicyWarning,
  ReloadablePolicy,
} from '@atlas-backups/core';
import { LogLevel, webApi, type Logger } from '@slack/bolt';
import { createLogger } from '../slack/logger.js';
import type { BotStore } from '../state/db.js';
import { AuditChannel } from './audit-channel.js';

export interface SlackApprovalStackOptions {
  db: BotStore;
  client: AtlasClient;
  botToken: string;
  /** Passed to the Web API client that reads user groups and posts to the audit channel. */
  clientOptions?: webApi.WebClientOptions | undefined;
  logger?: Logger | undefined;
  logLevel?: LogLevel | undefined;
  /** Where ATLAS_POLICY_FILE is read from (process.env by default). */
  env?: Env | undefined;
  /** A policy to use instead of loading one (given the membership, so it can resolve user groups). */
  policy?: ((membership: CachedGroupMembership) => PolicyEngine) | undefined;
  /** ATLAS_AUDIT_CHANNEL: every audit entry is also posted there. */
  auditChannel?: string | undefined;
  /** Further copies of the audit trail. */
  auditSinks?: AuditSink[] | undefined;
  readOnly?: boolean | undefined;
  /** ATLAS_BOT_LEASE_SECONDS in ms: after this a dead replica's running request is settled by another. */
  executionLeaseMs?: number | undefined;
  now?: () => number;
}

export interface SlackApprovalStack extends ApprovalStack {
  /** Where the policy came from, for the start-up log. */
  policySource: string;
  /** What `pnpm policy:check` warns about in it; logged here at start. */
  policyWarnings: PolicyWarning[];
  membership: CachedGroupMembership;
  auditChannel: AuditChannel | undefined;
  /**
   * Reads the policy file again (SIGHUP, or the file changed): a valid version is used for new
   * requests from now on, an invalid one is refused, logged and posted to the audit channel while
   * the old one stays. Open requests keep the rule they were opened under. Undefined without a file.
   */
  reloadPolicy(): PolicyReload | undefined;
  /** Reloads whenever the policy file changes, until `unwatchPolicy()`. */
  watchPolicy(): void;
  unwatchPolicy(): void;
}

/**
 * Core's approval stack as the Slack bot runs it: user groups read from Slack
 * (`usergroups.users.list`, cached), the policy from ATLAS_POLICY_FILE or the defaults, the
 * audit trail in the bot's database and, when configured, copied to the audit channel.
 */
export function createSlackApprovalStack(options: SlackApprovalStackOptions): SlackApprovalStack {
  const logger = options.logger ?? createLogger(options.logLevel ?? LogLevel.INFO);
  const slack = new webApi.WebClient(options.botToken, { logger, ...options.clientOptions });
  const membership = new CachedGroupMembership({
    fetch: async (usergroup) => (await slack.usergroups.users.list({ usergroup })).users ?? [],
    now: options.now,
  });
  let policy: PolicyEngine;
  let policySource: string;
  let policyWarnings: PolicyWarning[] = [];
  if (options.policy) {
    policy = options.policy(membership);
    policySource = 'given by the caller';
  } else {
    const loaded = loadPolicy({ env: options.env, membership });
    policy = loaded.engine;
    policySource = loaded.source;
    policyWarnings = loaded.warnings;
  }
  for (const warning of policyWarnings)
    logger.warn(`Policy ${policySource}: ${formatPolicyWarning(warning)} (see pnpm policy:check)`);
  const auditChannel = options.auditChannel
    ? new AuditChannel({ chat: slack.chat, channel: options.auditChannel, logger })
    : undefined;
  const stack = createApprovalStack({
    db: options.db,
    client: options.client,
    policy,
    membership,
    auditSinks: [...(options.auditSinks ?? []), ...(auditChannel ? [auditChannel] : [])],
    readOnly: options.readOnly,
    executionLeaseMs: options.executionLeaseMs,
    now: options.now,
    onError: (error, context) =>
      logger.error(`approvals (${context}): ${error instanceof Error ? error.message : String(error)}`),
  });
  const reloadable = policy instanceof ReloadablePolicy ? policy : undefined;
  const now = options.now ?? Date.now;
  const reported = (result: PolicyReload): PolicyReload => {
    if (!reloadable) return result;
    const entry: AuditEntry = {
      at: new Date(now()).toISOString(),
      event: result.ok ? 'policy_reloaded' : 'policy_refused',
      actor: { id: 'system', displayName: 'atlas-backups', source: 'cli' },
      action: 'policy',
      params: { file: reloadable.path, ...(result.ok ? { version: result.version } : {}) },
      ...(result.ok
        ? {
            outcome: result.changed
              ? `policy reloaded (version ${result.version}): new requests follow it; open requests keep the rule they were opened under`
              : `policy unchanged (version ${result.version})`,
          }
        : {
            outcome: `the new policy was refused; version ${reloadable.version ?? '?'} stays in force`,
            error: {
              code: result.error.code,
              message: result.error.issues.map((i) => `${i.path}: ${i.message}`).join('; '),
            },
          }),
    };
    if (result.ok) {
      logger.info(`Policy ${reloadable.path}: ${entry.outcome ?? ''}`);
      for (const warning of result.warnings)
        logger.warn(`Policy ${reloadable.path}: ${formatPolicyWarning(warning)} (see pnpm policy:check)`);
    } else logger.error(`Policy ${reloadable.path}: ${result.error.message} — ${entry.outcome ?? ''}`);
    for (const sink of [stack.auditLog, auditChannel])
      void Promise.resolve(sink?.append(entry)).catch((error: unknown) =>
        logger.warn(
          `could not audit the policy reload: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
    return result;
  };
  return {
    ...stack,
    policySource,
    policyWarnings,
    membership,
    auditChannel,
    reloadPolicy: () => (reloadable ? reported(reloadable.reload()) : undefined),
    watchPolicy: () => reloadable?.watch((result) => void reported(result)),
    unwatchPolicy: () => reloadable?.unwatch(),
  };
}
