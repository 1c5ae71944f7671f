import type { Actor } from '../actions/types.js';

export type AuditEvent =
  | 'requested'
  | 'approved'
  | 'denied'
  | 'cancelled'
  | 'expired'
  | 'refused'
  | 'executed'
  | 'failed'
  | 'reminded'
  | 'escalated'
  | 'break_glass'
  | 'reviewed'
  | 'policy_reloaded'
  | 'policy_refused';

/** One append-only line of the audit trail; the same shape in SQLite and in JSON-lines files. */
export interface AuditEntry {
  at: string;
  event: AuditEvent;
  actor: Pick<Actor, 'id' | 'displayName' | 'source'>;
  action: string;
  projectId?: string | undefined;
  clusterName?: string | undefined;
  params: Record<string, unknown>;
  /** Approval request id, when the action went through approval. */
  requestId?: string | undefined;
  /** Correlates with markers this tool leaves on Atlas objects. */
  requestRef?: string | undefined;
  /** The Atlas job (snapshot, export or restore job) id, once known. */
  atlasJobId?: string | undefined;
  outcome?: string | undefined;
  /** Why the requester asked for it, in their words (a policy rule may require it). */
  reason?: string | undefined;
  error?: { code: string; message: string } | undefined;
  /** Set on every entry about a break-glass action (run without approval, reviewed afterwards). */
  breakGlass?: true | undefined;
}

export interface AuditSink {
  append(entry: AuditEntry): void | Promise<void>;
}
