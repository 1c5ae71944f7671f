import type { Database } from 'better-sqlite3';
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
 * so among concurrent callers — in this process or another one on the same file — exactly one wins.
 */
export class ApprovalStore {
  private readonly s;

  constructor(readonly db: Database) {
    this.s = {
      insert: db.prepare(
        `INSERT INTO approval_requests (id, state, action, project_id, cluster_name, requester_id, requester_json,
           params_json, preview_json, rule_json, required, reason, request_ref, created_at, expires_at, updated_at)
         VALUES (?, 'open', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      get: db.prepare<[string], RequestRow>('SELECT * FROM approval_requests WHERE id = ?'),
      votes: db.prepare<[string], { approver_json: string; at: number; pools_json: string | null }>(
        'SELECT approver_json, at, pools_json FROM approval_votes WHERE request_id = ? ORDER BY at, rowid',
      ),
      insertBreakGlass: db.prepare(
        `INSERT INTO approval_requests (id, state, action, project_id, cluster_name, requester_id, requester_json,
           params_json, preview_json, rule_json, required, reason, request_ref, created_at, expires_at, updated_at,
           break_glass)
         VALUES (?, 'approved', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
      ),
      remind: db.prepare(
        `UPDATE approval_requests SET reminded_at = ?, updated_at = ?
         WHERE id = ? AND state = 'open' AND expires_at > ? AND reminded_at IS NULL`,
      ),
      escalate: db.prepare(
        `UPDATE approval_requests SET escalated_at = ?, updated_at = ?
         WHERE id = ? AND state = 'open' AND expires_at > ? AND escalated_at IS NULL`,
      ),
      review: db.prepare(
        `UPDATE approval_requests SET reviewed_by_json = ?, reviewed_at = ?, updated_at = ?
         WHERE id = ? AND break_glass = 1 AND reviewed_at IS NULL AND requester_id <> ?`,
      ),
      unreviewed: db.prepare<[], RequestRow>(
        'SELECT * FROM approval_requests WHERE break_glass = 1 AND reviewed_at IS NULL ORDER BY created_at, id',
      ),
      voteCount: db.prepare<[string], { n: number }>(
        'SELECT COUNT(*) AS n FROM approval_votes WHERE request_id = ?',
      ),
      hasVoted: db.prepare('SELECT 1 FROM approval_votes WHERE request_id = ? AND approver_id = ?'),
      // The vote is only written while the request is open and unexpired.
      vote: db.prepare(
        `INSERT INTO approval_votes (request_id, approver_id, approver_json, at, pools_json)
         SELECT id, ?, ?, ?, ? FROM approval_requests WHERE id = ? AND state = 'open' AND expires_at > ?
         ON CONFLICT (request_id, approver_id) DO NOTHING`,
      ),
      approve: db.prepare(
        `UPDATE approval_requests SET state = 'approved', updated_at = ?
         WHERE id = ? AND state = 'open' AND expires_at > ?
           AND (SELECT COUNT(*) FROM approval_votes WHERE request_id = approval_requests.id) >= required`,
      ),
      claim: db.prepare(
        `UPDATE approval_requests SET state = 'executing', execution_started_at = ?, updated_at = ?,
           preexisting_jobs_json = ?
         WHERE id = ? AND state = 'approved'`,
      ),
      executed: db.prepare(
        `UPDATE approval_requests SET state = 'executed', result_json = ?, finished_at = ?, updated_at = ?
         WHERE id = ? AND state = 'executing'`,
      ),
      failed: db.prepare(
        `UPDATE approval_requests SET state = 'failed', error_json = ?, finished_at = ?, updated_at = ?
         WHERE id = ? AND state = ?`,
      ),
      deny: db.prepare(
        `UPDATE approval_requests SET state = 'denied', closed_by_json = ?, close_reason = ?, updated_at = ?
         WHERE id = ? AND state = 'open' AND expires_at > ?`,
      ),
      cancel: db.prepare(
        `UPDATE approval_requests SET state = 'cancelled', closed_by_json = ?, updated_at = ?
         WHERE id = ? AND state = 'open' AND requester_id = ?`,
      ),
      expire: db.prepare<[number, number], { id: string }>(
        `UPDATE approval_requests SET state = 'expired', updated_at = ?
         WHERE state = 'open' AND expires_at <= ? RETURNING id`,
      ),
      open: db.prepare<[], RequestRow>(
        "SELECT * FROM approval_requests WHERE state = 'open' ORDER BY created_at, id",
      ),
      inState: db.prepare<[string], RequestRow>(
        'SELECT * FROM approval_requests WHERE state = ? ORDER BY created_at, id',
      ),
      recent: db.prepare<[number], RequestRow>(
        'SELECT * FROM approval_requests ORDER BY created_at DESC, id DESC LIMIT ?',
      ),
    };
  }

  insert(r: NewApprovalRequest): void {
    this.s.insert.run(
      r.id,
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
    );
  }

  get(id: string): ApprovalRequest | undefined {
    const row = this.s.get.get(id);
    return row && this.fromRow(row);
  }

  /**
   * Records a vote if the request is open and unexpired and this approver has not voted yet.
   * `pools` are the pools the approver may approve for (indexes into the rule's pools).
   */
  vote(id: string, approver: Actor, now: number, pools: number[] = [0]): boolean {
    return (
      this.s.vote.run(approver.id, JSON.stringify(actorRef(approver)), now, JSON.stringify(pools), id, now)
        .changes === 1
    );
  }

  /** The pools each recorded vote may count for, in voting order. */
  votePools(id: string): number[][] {
    return this.s.votes.all(id).map((v) => parsePools(v.pools_json));
  }

  /** A break-glass action: stored already `approved`, since it runs at once (and again after a restart if it had not started). */
  insertBreakGlass(r: NewApprovalRequest): void {
    this.s.insertBreakGlass.run(
      r.id,
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
    );
  }

  /** Notes the reminder once, while the request is open. */
  markReminded(id: string, now: number): boolean {
    return this.s.remind.run(now, now, id, now).changes === 1;
  }

  /** Notes the escalation once, while the request is open. */
  markEscalated(id: string, now: number): boolean {
    return this.s.escalate.run(now, now, id, now).changes === 1;
  }

  /** Acknowledges a break-glass action's review, once, by someone other than who ran it. */
  markReviewed(id: string, by: Actor, now: number): boolean {
    return this.s.review.run(JSON.stringify(actorRef(by)), now, now, id, by.id).changes === 1;
  }

  /** Break-glass actions no one has reviewed yet, oldest first. */
  listUnreviewed(): ApprovalRequest[] {
    return this.s.unreviewed.all().map((r) => this.fromRow(r));
  }

  hasVoted(id: string, approverId: string): boolean {
    return this.s.hasVoted.get(id, approverId) !== undefined;
  }

  voteCount(id: string): number {
    return this.s.voteCount.get(id)?.n ?? 0;
  }

  /** open → approved, when enough votes are in. */
  markApproved(id: string, now: number): boolean {
    return this.s.approve.run(now, id, now).changes === 1;
  }

  /**
   * approved → executing: the right to call Atlas. `preexistingJobIds` are restore jobs that
   * already matched the request, kept so a restart never mistakes one of them for this request's.
   */
  claimExecution(id: string, now: number, preexistingJobIds?: string[]): boolean {
    const pre = preexistingJobIds === undefined ? null : JSON.stringify(preexistingJobIds);
    return this.s.claim.run(now, now, pre, id).changes === 1;
  }

  preexistingJobIds(id: string): string[] {
    const row = this.db
      .prepare<[string], { pre: string | null }>(
        'SELECT preexisting_jobs_json AS pre FROM approval_requests WHERE id = ?',
      )
      .get(id);
    return row?.pre ? (JSON.parse(row.pre) as string[]) : [];
  }

  /** executing → executed; also starts following the job it started, in the same transaction. */
  markExecuted(id: string, execution: ApprovalExecution, now: number): boolean {
    return this.db.transaction(() => {
      const changed = this.s.executed.run(JSON.stringify(execution), now, now, id).changes === 1;
      if (changed && execution.job) this.followJob(execution.job, id, now);
      return changed;
    })();
  }

  /** executing (or approved, when it can no longer start) → failed. */
  markFailed(id: string, from: 'executing' | 'approved', error: ApprovalError, now: number): boolean {
    return this.s.failed.run(JSON.stringify(error), now, now, id, from).changes === 1;
  }

  markDenied(id: string, by: Actor, reason: string, now: number): boolean {
    return this.s.deny.run(JSON.stringify(actorRef(by)), reason, now, id, now).changes === 1;
  }

  markCancelled(id: string, by: Actor, now: number): boolean {
    return this.s.cancel.run(JSON.stringify(actorRef(by)), now, id, by.id).changes === 1;
  }

  /** open → expired for everything past its expiry; returns the ids this call expired. */
  expireDue(now: number): string[] {
    return this.s.expire.all(now, now).map((r) => r.id);
  }

  listOpen(): ApprovalRequest[] {
    return this.s.open.all().map((r) => this.fromRow(r));
  }

  listInState(state: ApprovalState): ApprovalRequest[] {
    return this.s.inState.all(state).map((r) => this.fromRow(r));
  }

  recent(limit: number): ApprovalRequest[] {
    return this.s.recent.all(Math.max(0, Math.floor(limit))).map((r) => this.fromRow(r));
  }

  /** Atlas job ids recorded as the result of some request. */
  claimedJobIds(): Set<string> {
    const rows = this.db
      .prepare<[], { id: string | null }>(
        "SELECT json_extract(result_json, '$.atlasJobId') AS id FROM approval_requests WHERE result_json IS NOT NULL",
      )
      .all();
    return new Set(rows.flatMap((r) => (r.id ? [r.id] : [])));
  }

  executionStartedAt(id: string): number | undefined {
    return this.s.get.get(id)?.execution_started_at ?? undefined;
  }

  private followJob(job: JobRef, requestId: string, now: number): void {
    this.db
      .prepare(
        `INSERT INTO followed_jobs
           (watcher, job_kind, group_id, cluster_name, job_id, request_id, created_at, updated_at)
         VALUES ('approval', ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (watcher, job_kind, group_id, cluster_name, job_id) DO NOTHING`,
      )
      .run(job.kind, job.groupId, job.clusterName, job.id, requestId, now, now);
  }

  private fromRow(r: RequestRow): ApprovalRequest {
    const rows = this.s.votes.all(r.id);
    const votes: ApprovalVote[] = rows.map((v) => ({
      approver: JSON.parse(v.approver_json) as ActorRef,
      at: iso(v.at),
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
      createdAt: iso(r.created_at),
      expiresAt: iso(r.expires_at),
      updatedAt: iso(r.updated_at),
      votes,
      pools: pools.map((p, i) => ({
        name: p.name,
        required: p.required,
        votes: votes.filter((_, v) => counted[v] === i),
      })),
      remindedAt: r.reminded_at === null ? undefined : iso(r.reminded_at),
      escalatedAt: r.escalated_at === null ? undefined : iso(r.escalated_at),
      breakGlass:
        r.break_glass === 1
          ? {
              reviewedBy: r.reviewed_by_json ? (JSON.parse(r.reviewed_by_json) as ActorRef) : undefined,
              reviewedAt: r.reviewed_at === null ? undefined : iso(r.reviewed_at),
            }
          : undefined,
      remaining: open ? Math.max(0, r.required - votes.length) : 0,
      closedBy: r.closed_by_json ? (JSON.parse(r.closed_by_json) as ActorRef) : undefined,
      closeReason: r.close_reason ?? undefined,
      execution: r.result_json ? (JSON.parse(r.result_json) as ApprovalExecution) : undefined,
      error: r.error_json ? (JSON.parse(r.error_json) as ApprovalError) : undefined,
    };
  }
}
