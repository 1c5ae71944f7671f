import type { ActionName } from '../actions/catalogue.js';
import type { ActionPreview, Actor } from '../actions/types.js';
import { approvalPools, type ApprovalRule } from '../policy/types.js';
import { assignVotes } from './pool-assignment.js';
import type {
  ActorRef,
  ApprovalError,
  ApprovalExecution,
  ApprovalRequest,
  ApprovalState,
  ApprovalVote,
} from './types.js';
import type { JobRef } from '../watch/job-state.js';
import type { Sql, SqlSession } from '../store/sql.js';
import { toSql, type SqlSource } from '../store/sqlite-sql.js';

interface RequestRow {
  id: string;
  state: ApprovalState;
  action: string;
  project_id: string;
  cluster_name: string | null;
  requester_id: string;
  requester_json: string;
  params_json: string;
  preview_json: string;
  rule_json: string;
  required: number;
  reason: string | null;
  request_ref: string;
  created_at: number;
  expires_at: number;
  updated_at: number;
  closed_by_json: string | null;
  close_reason: string | null;
  execution_started_at: number | null;
  finished_at: number | null;
  result_json: string | null;
  error_json: string | null;
  reminded_at: number | null;
  escalated_at: number | null;
  break_glass: number;
  reviewed_by_json: string | null;
  reviewed_at: number | null;
}

export interface NewApprovalRequest {
  id: string;
  action: ActionName;
  projectId: string;
  clusterName: string | undefined;
  requester: Actor;
  params: Record<string, unknown>;
  preview: ActionPreview;
  rule: ApprovalRule;
  reason: string | undefined;
  requestRef: string;
  createdAt: number;
  expiresAt: number;
}

/** A vote stored before pools existed counts for the only pool there was. */
const parsePools = (json: string | null): number[] => (json ? (JSON.parse(json) as number[]) : [0]);

const iso = (ms: number) => new Date(ms).toISOString();
const actorRef = (a: Actor | ActorRef): ActorRef => ({
  id: a.id,
  displayName: a.displayName,
  source: a.source,
});

/**
 * The SQL behind approvals. Every state change is one conditional UPDATE whose WHERE clause
 * names the state it leaves; it returns whether this caller made the change (`changes === 1`),
 * so among concurrent callers — in this process, another process on the same file, or another
 * replica on the same PostgreSQL database — exactly one wins.
 */
export class ApprovalStore {
  readonly sql: Sql;

  constructor(source: SqlSource) {
    this.sql = toSql(source);
  }

  async insert(r: NewApprovalRequest): Promise<void> {
    await this.insertAs(r, 'open', false);
  }

  /** A break-glass action: stored already `approved`, since it runs at once (and again after a restart if it had not started). */
  async insertBreakGlass(r: NewApprovalRequest): Promise<void> {
    await this.insertAs(r, 'approved', true);
  }

  private async insertAs(
    r: NewApprovalRequest,
    state: 'open' | 'approved',
    breakGlass: boolean,
  ): Promise<void> {
    await this.sql.run(
      `INSERT INTO approval_requests (id, state, action, project_id, cluster_name, requester_id, requester_json,
         params_json, preview_json, rule_json, required, reason, request_ref, created_at, expires_at, updated_at,
         break_glass)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        r.id,
        state,
        r.action,
        r.projectId,
        r.clusterName ?? null,
        r.requester.id,
        JSON.stringify(r.requester),
        JSON.stringify(r.params),
        JSON.stringify(r.preview),
        JSON.stringify(r.rule),
        r.rule.required,
        r.reason ?? null,
        r.requestRef,
        r.createdAt,
        r.expiresAt,
        r.createdAt,
        breakGlass ? 1 : 0,
      ],
    );
  }

  async get(id: string, session: SqlSession = this.sql): Promise<ApprovalRequest | undefined> {
    const row = await session.get<RequestRow>('SELECT * FROM approval_requests WHERE id = ?', [id]);
    return row && this.fromRow(row, session);
  }

  /**
   * Holds the request's row until the transaction ends, so concurrent votes on one request are
   * counted one after the other (PostgreSQL; SQLite's write lock already serialises them).
   */
  async lock(id: string, tx: SqlSession): Promise<void> {
    if (tx.dialect === 'postgres')
      await tx.get('SELECT id FROM approval_requests WHERE id = ? FOR UPDATE', [id]);
  }

  /**
   * Records a vote if the request is open and unexpired and this approver has not voted yet.
   * `pools` are the pools the approver may approve for (indexes into the rule's pools).
   */
  async vote(
    id: string,
    approver: Actor,
    now: number,
    session: SqlSession = this.sql,
    pools: number[] = [0],
  ): Promise<boolean> {
    // The vote is only written while the request is open and unexpired.
    const { changes } = await session.run(
      `INSERT INTO approval_votes (request_id, approver_id, approver_json, at, pools_json)
       SELECT id, ?, ?, ?, ? FROM approval_requests WHERE id = ? AND state = 'open' AND expires_at > ?
       ON CONFLICT (request_id, approver_id) DO NOTHING`,
      [approver.id, JSON.stringify(actorRef(approver)), now, JSON.stringify(pools), id, now],
    );
    return changes === 1;
  }

  /** The pools each recorded vote may count for, in voting order. */
  async votePools(id: string, session: SqlSession = this.sql): Promise<number[][]> {
    return (await this.voteRows(id, session)).map((v) => parsePools(v.pools_json));
  }

  /** A request's votes in the order they were cast. */
  private voteRows(id: string, session: SqlSession) {
    // rowid keeps votes cast in the same millisecond in the order they were written (SQLite).
    const order = session.dialect === 'sqlite' ? 'at, rowid' : 'at, approver_id';
    return session.all<{ approver_json: string; at: number; pools_json: string | null }>(
      `SELECT approver_json, at, pools_json FROM approval_votes WHERE request_id = ? ORDER BY ${order}`,
      [id],
    );
  }

  /** Notes the reminder once, while the request is open. */
  async markReminded(id: string, now: number): Promise<boolean> {
    const { changes } = await this.sql.run(
      `UPDATE approval_requests SET reminded_at = ?, updated_at = ?
       WHERE id = ? AND state = 'open' AND expires_at > ? AND reminded_at IS NULL`,
      [now, now, id, now],
    );
    return changes === 1;
  }

  /** Notes the escalation once, while the request is open. */
  async markEscalated(id: string, now: number): Promise<boolean> {
    const { changes } = await this.sql.run(
      `UPDATE approval_requests SET escalated_at = ?, updated_at = ?
       WHERE id = ? AND state = 'open' AND expires_at > ? AND escalated_at IS NULL`,
      [now, now, id, now],
    );
    return changes === 1;
  }

  /** Acknowledges a break-glass action's review, once, by someone other than who ran it. */
  async markReviewed(id: string, by: Actor, now: number): Promise<boolean> {
    const { changes } = await this.sql.run(
      `UPDATE approval_requests SET reviewed_by_json = ?, reviewed_at = ?, updated_at = ?
       WHERE id = ? AND break_glass = 1 AND reviewed_at IS NULL AND requester_id <> ?`,
      [JSON.stringify(actorRef(by)), now, now, id, by.id],
    );
    return changes === 1;
  }

  /** Break-glass actions no one has reviewed yet, oldest first. */
  async listUnreviewed(): Promise<ApprovalRequest[]> {
    return this.many(
      await this.sql.all<RequestRow>(
        'SELECT * FROM approval_requests WHERE break_glass = 1 AND reviewed_at IS NULL ORDER BY created_at, id',
      ),
    );
  }

  async hasVoted(id: string, approverId: string, session: SqlSession = this.sql): Promise<boolean> {
    const row = await session.get('SELECT 1 FROM approval_votes WHERE request_id = ? AND approver_id = ?', [
      id,
      approverId,
    ]);
    return row !== undefined;
  }

  async voteCount(id: string): Promise<number> {
    const row = await this.sql.get<{ n: number }>(
      'SELECT COUNT(*) AS n FROM approval_votes WHERE request_id = ?',
      [id],
    );
    return Number(row?.n ?? 0);
  }

  /** open → approved, when enough votes are in. */
  async markApproved(id: string, now: number, session: SqlSession = this.sql): Promise<boolean> {
    const { changes } = await session.run(
      `UPDATE approval_requests SET state = 'approved', updated_at = ?
       WHERE id = ? AND state = 'open' AND expires_at > ?
         AND (SELECT COUNT(*) FROM approval_votes WHERE request_id = approval_requests.id) >= required`,
      [now, id, now],
    );
    return changes === 1;
  }

  /**
   * approved → executing: the right to call Atlas. `preexistingJobIds` are restore jobs that
   * already matched the request, kept so a restart never mistakes one of them for this request's.
   */
  async claimExecution(
    id: string,
    now: number,
    preexistingJobIds?: string[],
    lease?: { owner: string; ttlMs: number },
  ): Promise<boolean> {
    const pre = preexistingJobIds === undefined ? null : JSON.stringify(preexistingJobIds);
    const { changes } = await this.sql.run(
      `UPDATE approval_requests SET state = 'executing', execution_started_at = ?, updated_at = ?,
         preexisting_jobs_json = ?, execution_owner = ?, execution_lease_expires_at = ?
       WHERE id = ? AND state = 'approved'`,
      [now, now, pre, lease?.owner ?? null, lease ? now + lease.ttlMs : null, id],
    );
    return changes === 1;
  }

  /** The replica running the request is alive: extends its hold on it. */
  async renewExecution(id: string, owner: string, now: number, ttlMs: number): Promise<boolean> {
    const { changes } = await this.sql.run(
      `UPDATE approval_requests SET execution_lease_expires_at = ?
       WHERE id = ? AND state = 'executing' AND execution_owner = ?`,
      [now + ttlMs, id, owner],
    );
    return changes === 1;
  }

  /**
   * A request left `executing` whose runner is gone (no owner recorded, or its hold lapsed):
   * the one replica whose update wins settles it.
   */
  async claimRecovery(id: string, owner: string, now: number, ttlMs: number): Promise<boolean> {
    const { changes } = await this.sql.run(
      `UPDATE approval_requests SET execution_owner = ?, execution_lease_expires_at = ?
       WHERE id = ? AND state = 'executing'
         AND (execution_owner IS NULL OR execution_owner = ? OR execution_lease_expires_at IS NULL
              OR execution_lease_expires_at <= ?)`,
      [owner, now + ttlMs, id, owner, now],
    );
    return changes === 1;
  }

  async preexistingJobIds(id: string): Promise<string[]> {
    const row = await this.sql.get<{ pre: string | null }>(
      'SELECT preexisting_jobs_json AS pre FROM approval_requests WHERE id = ?',
      [id],
    );
    return row?.pre ? (JSON.parse(row.pre) as string[]) : [];
  }

  /** executing → executed; also starts following the job it started, in the same transaction. */
  async markExecuted(id: string, execution: ApprovalExecution, now: number): Promise<boolean> {
    return this.sql.transaction(async (tx) => {
      const { changes } = await tx.run(
        `UPDATE approval_requests SET state = 'executed', result_json = ?, finished_at = ?, updated_at = ?
         WHERE id = ? AND state = 'executing'`,
        [JSON.stringify(execution), now, now, id],
      );
      const changed = changes === 1;
      if (changed && execution.job) await this.followJob(tx, execution.job, id, now);
      return changed;
    });
  }

  /** executing (or approved, when it can no longer start) → failed. */
  async markFailed(
    id: string,
    from: 'executing' | 'approved',
    error: ApprovalError,
    now: number,
  ): Promise<boolean> {
    const { changes } = await this.sql.run(
      `UPDATE approval_requests SET state = 'failed', error_json = ?, finished_at = ?, updated_at = ?
       WHERE id = ? AND state = ?`,
      [JSON.stringify(error), now, now, id, from],
    );
    return changes === 1;
  }

  async markDenied(id: string, by: Actor, reason: string, now: number): Promise<boolean> {
    const { changes } = await this.sql.run(
      `UPDATE approval_requests SET state = 'denied', closed_by_json = ?, close_reason = ?, updated_at = ?
       WHERE id = ? AND state = 'open' AND expires_at > ?`,
      [JSON.stringify(actorRef(by)), reason, now, id, now],
    );
    return changes === 1;
  }

  async markCancelled(id: string, by: Actor, now: number): Promise<boolean> {
    const { changes } = await this.sql.run(
      `UPDATE approval_requests SET state = 'cancelled', closed_by_json = ?, updated_at = ?
       WHERE id = ? AND state = 'open' AND requester_id = ?`,
      [JSON.stringify(actorRef(by)), now, id, by.id],
    );
    return changes === 1;
  }

  /** open → expired for everything past its expiry; returns the ids this call expired. */
  async expireDue(now: number): Promise<string[]> {
    const rows = await this.sql.all<{ id: string }>(
      `UPDATE approval_requests SET state = 'expired', updated_at = ?
       WHERE state = 'open' AND expires_at <= ? RETURNING id`,
      [now, now],
    );
    return rows.map((r) => r.id);
  }

  async listOpen(): Promise<ApprovalRequest[]> {
    return this.many(
      await this.sql.all<RequestRow>(
        "SELECT * FROM approval_requests WHERE state = 'open' ORDER BY created_at, id",
      ),
    );
  }

  async listInState(state: ApprovalState): Promise<ApprovalRequest[]> {
    return this.many(
      await this.sql.all<RequestRow>(
        'SELECT * FROM approval_requests WHERE state = ? ORDER BY created_at, id',
        [state],
      ),
    );
  }

  async recent(limit: number): Promise<ApprovalRequest[]> {
    return this.many(
      await this.sql.all<RequestRow>(
        'SELECT * FROM approval_requests ORDER BY created_at DESC, id DESC LIMIT ?',
        [Math.max(0, Math.floor(limit))],
      ),
    );
  }

  /** Atlas job ids recorded as the result of some request. */
  async claimedJobIds(): Promise<Set<string>> {
    const rows = await this.sql.all<{ result_json: string }>(
      'SELECT result_json FROM approval_requests WHERE result_json IS NOT NULL',
    );
    return new Set(
      rows.flatMap((r) => {
        const id = (JSON.parse(r.result_json) as { atlasJobId?: unknown }).atlasJobId;
        return typeof id === 'string' && id !== '' ? [id] : [];
      }),
    );
  }

  async executionStartedAt(id: string): Promise<number | undefined> {
    const row = await this.sql.get<{ at: number | null }>(
      'SELECT execution_started_at AS at FROM approval_requests WHERE id = ?',
      [id],
    );
    return row?.at == null ? undefined : Number(row.at);
  }

  private async followJob(tx: SqlSession, job: JobRef, requestId: string, now: number): Promise<void> {
    await tx.run(
      `INSERT INTO followed_jobs
         (watcher, job_kind, group_id, cluster_name, job_id, request_id, created_at, updated_at)
       VALUES ('approval', ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (watcher, job_kind, group_id, cluster_name, job_id) DO NOTHING`,
      [job.kind, job.groupId, job.clusterName, job.id, requestId, now, now],
    );
  }

  private async many(rows: RequestRow[]): Promise<ApprovalRequest[]> {
    const out: ApprovalRequest[] = [];
    for (const row of rows) out.push(await this.fromRow(row, this.sql));
    return out;
  }

  private async fromRow(r: RequestRow, session: SqlSession): Promise<ApprovalRequest> {
    const rows = await this.voteRows(r.id, session);
    const votes: ApprovalVote[] = rows.map((v) => ({
      approver: JSON.parse(v.approver_json) as ActorRef,
      at: iso(Number(v.at)),
    }));
    const open = r.state === 'open';
    const rule = JSON.parse(r.rule_json) as ApprovalRule;
    const pools = approvalPools(rule);
    const counted = assignVotes(
      pools.map((p) => p.required),
      rows.map((v) => parsePools(v.pools_json)),
    );
    return {
      id: r.id,
      state: r.state,
      action: r.action as ActionName,
      projectId: r.project_id,
      clusterName: r.cluster_name ?? undefined,
      requester: JSON.parse(r.requester_json) as Actor,
      params: JSON.parse(r.params_json) as Record<string, unknown>,
      preview: JSON.parse(r.preview_json) as ActionPreview,
      rule,
      reason: r.reason ?? undefined,
      requestRef: r.request_ref,
      createdAt: iso(Number(r.created_at)),
      expiresAt: iso(Number(r.expires_at)),
      updatedAt: iso(Number(r.updated_at)),
      votes,
      pools: pools.map((p, i) => ({
        name: p.name,
        required: p.required,
        votes: votes.filter((_, v) => counted[v] === i),
      })),
      remindedAt: r.reminded_at == null ? undefined : iso(Number(r.reminded_at)),
      escalatedAt: r.escalated_at == null ? undefined : iso(Number(r.escalated_at)),
      breakGlass:
        Number(r.break_glass) === 1
          ? {
              reviewedBy: r.reviewed_by_json ? (JSON.parse(r.reviewed_by_json) as ActorRef) : undefined,
              reviewedAt: r.reviewed_at == null ? undefined : iso(Number(r.reviewed_at)),
            }
          : undefined,
      remaining: open ? Math.max(0, Number(r.required) - votes.length) : 0,
      closedBy: r.closed_by_json ? (JSON.parse(r.closed_by_json) as ActorRef) : undefined,
      closeReason: r.close_reason ?? undefined,
      execution: r.result_json ? (JSON.parse(r.result_json) as ApprovalExecution) : undefined,
      error: r.error_json ? (JSON.parse(r.error_json) as ApprovalError) : undefined,
    };
  }
}
