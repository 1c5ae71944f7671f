import { ActionService } from '../actions/action-service.js';
import { fanOutAudit } from '../audit/jsonl-audit-log.js';
import type { AuditSink } from '../audit/audit-entry.js';
import { SqliteAuditLog } from '../audit/sqlite-audit-log.js';
import type { AtlasClient } from '../client/atlas-client.js';
import type { GroupMembership } from '../policy/group-membership.js';
import type { PolicyEngine } from '../policy/types.js';
import { FollowedJobStore } from '../store/followed-jobs.js';
import type { SqlSource } from '../store/sqlite-sql.js';
import { ApprovalEngine } from './approval-engine.js';

export interface ApprovalStackOptions {
  /** SQLite (a better-sqlite3 handle or store) or PostgreSQL. */
  db: SqlSource;
  client: AtlasClient;
  policy: PolicyEngine;
  membership?: GroupMembership | undefined;
  /** Further audit sinks after the database (e.g. posting to an audit channel). */
  auditSinks?: AuditSink[];
  readOnly?: boolean;
  /** See ApprovalEngineOptions.executionLeaseMs. */
  executionLeaseMs?: number | undefined;
  now?: () => number;
  onError?: (error: unknown, context: string) => void;
}

export interface ApprovalStack {
  actions: ActionService;
  approvals: ApprovalEngine;
  auditLog: SqliteAuditLog;
  followedJobs: FollowedJobStore;
}

/**
 * Wires the pieces a chat front end needs around one database: the audit log, the approval
 * engine, and the ActionService that routes every change through policy and approval. Call
 * `approvals.recover()` once afterwards, and `approvals.startExpiryTimer()`.
 */
export function createApprovalStack(options: ApprovalStackOptions): ApprovalStack {
  const auditLog = new SqliteAuditLog(options.db);
  const audit = options.auditSinks?.length ? fanOutAudit(auditLog, ...options.auditSinks) : auditLog;
  const approvals = new ApprovalEngine({
    db: options.db,
    audit,
    membership: options.membership,
    now: options.now,
    onError: options.onError,
    executionLeaseMs: options.executionLeaseMs,
  });
  const actions = new ActionService({
    client: options.client,
    policy: options.policy,
    audit,
    approvals,
    readOnly: options.readOnly,
    now: options.now,
  });
  approvals.attach(actions);
  return { actions, approvals, auditLog, followedJobs: new FollowedJobStore(options.db, options.now) };
}
