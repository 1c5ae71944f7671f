import { randomBytes } from 'node:crypto';
import type {
  ApprovalGateway,
  ApprovedRequest,
  OpenApprovalInput,
  PendingApproval,
} from '../actions/action-service.js';
import type { ActionResult, Actor } from '../actions/types.js';
import type { AuditEntry, AuditEvent, AuditSink } from '../audit/audit-entry.js';
import type { AtlasClient } from '../client/atlas-client.js';
import { toErrorInfo } from '../errors.js';
import { checkApprover } from '../policy/approvers.js';
import { formatDuration } from '../policy/duration.js';
import { joinWords } from '../policy/rule-text.js';
import { approvalPools } from '../policy/types.js';
import { voteWouldCount } from './pool-assignment.js';
import type { GroupMembership } from '../policy/group-membership.js';
import { ApprovalStore, type NewApprovalRequest } from './approval-store.js';
import type { SqlSource } from '../store/sqlite-sql.js';
import { findExecution, matchingRestoreJobIds } from './reconcile.js';
import {
  type ActorRef,
  type ApprovalChange,
  type ApprovalChangeKind,
  type ApprovalError,
  type ApprovalRefusal,
  type ApprovalRefusalCode,
  type ApprovalRequest,
  type ApproveResult,
  type BreakGlassStarted,
  type CancelResult,
  type ReviewResult,
  type DenyResult,
} from './types.js';

/** What runs an approved action: the ActionService. */
export interface ApprovalExecutor {
  executeApproved(request: ApprovedRequest, signal?: AbortSignal): Promise<ActionResult>;
  /** Used after a restart to ask Atlas whether an interrupted action got there. */
  readonly client: AtlasClient;
}

export interface ApprovalEngineOptions {
  /** The store: SQLite (a better-sqlite3 handle or store) or PostgreSQL. */
  db: SqlSource;
  /** Where approved/denied/cancelled/expired/refused entries go (usually a SqliteAuditLog on `db`). */
  audit: AuditSink;
  /** Resolves user groups named as approvers. */
  membership?: GroupMembership | undefined;
  /** Usually set later with `attach`, because the ActionService needs the engine first. */
  executor?: ApprovalExecutor | undefined;
  now?: () => number;
  newId?: () => string;
  /** This replica's name on the requests it runs (random by default). */
  owner?: string;
  /**
   * How long a replica's hold on a request it is running lasts without renewal; after that
   * another replica settles it (default 30 s).
   */
  executionLeaseMs?: number;
  /** Listener and audit-sink failures, which never undo a committed transition. */
  onError?: (error: unknown, context: string) => void;
}

export interface RecoveryReport {
  /** Approved before the restart but never started: started now. */
  started: string[];
  /** Found in Atlas: marked executed. */
  confirmed: string[];
  /** Not found in Atlas: marked failed (INTERRUPTED), nothing re-sent. */
  interrupted: string[];
  /** Atlas could not be asked; still `executing`, try `recover()` again later. */
  unresolved: string[];
  expired: string[];
}

/** " (dba 1 of 1, leads 0 of 1)" when the rule has several pools. */
function poolSummary(request: ApprovalRequest): string {
  if (request.pools.length < 2) return '';
  return ` (${request.pools.map((p) => `${p.name} ${p.votes.length} of ${p.required}`).join(', ')})`;
}

const system: ActorRef = { id: 'system', displayName: 'atlas-backups', source: 'cli' };
const actorRef = (a: Actor | ActorRef): ActorRef => ({
  id: a.id,
  displayName: a.displayName,
  source: a.source,
});

/** The stored form of a request being opened (awaiting approval, or break-glass). */
function newRequest(id: string, input: OpenApprovalInput, now: number): NewApprovalRequest {
  return {
    id,
    action: input.action,
    projectId: input.preview.projectId,
    clusterName: typeof input.params.clusterName === 'string' ? input.params.clusterName : undefined,
    requester: input.actor,
    params: input.params,
    preview: input.preview,
    rule: input.rule,
    reason: input.reason,
    requestRef: input.requestRef,
    createdAt: now,
    expiresAt: now + input.rule.ttlMs,
  };
}

/** What one Approve click did, decided under the request's lock. */
type VoteCast = 'already' | 'useless' | 'closed' | 'counted' | 'won';

/**
 * Approval requests, their votes and their execution, kept in SQLite so they survive restarts.
 *
 * Rules that hold whatever the timing: no one approves their own request; an approver counts
 * once; only listed approvers count; an expired, denied or cancelled request never executes; an
 * approved request is sent to Atlas at most once. Each transition is a single conditional
 * UPDATE, and the Atlas call is made only by the caller whose `approved → executing` update
 * changed the row, after it committed.
 *
 * Crash safety: a request found `approved` at start was never sent, so `recover()` sends it
 * (if it has not expired meanwhile). One found `executing` may or may not have reached Atlas;
 * `recover()` looks for it in Atlas (restore job listing, request markers, snapshot state) and
 * marks it executed if found, or failed with INTERRUPTED if not. It is never re-sent.
 */
export class ApprovalEngine implements ApprovalGateway {
  readonly store: ApprovalStore;
  private executor: ApprovalExecutor | undefined;
  private readonly now: () => number;
  private readonly newId: () => string;
  private readonly listeners = new Set<(change: ApprovalChange) => void>();
  private readonly running = new Map<string, Promise<ApprovalRequest>>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private recoveryTimer: ReturnType<typeof setInterval> | undefined;
  private recovering: Promise<RecoveryReport> | undefined;
  readonly owner: string;
  private readonly leaseMs: number;

  constructor(private readonly options: ApprovalEngineOptions) {
    this.store = new ApprovalStore(options.db);
    this.executor = options.executor;
    this.now = options.now ?? Date.now;
    this.newId = options.newId ?? (() => randomBytes(8).toString('hex'));
    this.owner = options.owner ?? `replica-${randomBytes(6).toString('hex')}`;
    this.leaseMs = options.executionLeaseMs ?? 30_000;
  }

  /** Connects the ActionService that runs approved requests. */
  attach(executor: ApprovalExecutor): this {
    this.executor = executor;
    return this;
  }

  /** Calls `listener` after every committed change. Returns a function that stops it. */
  onChange(listener: (change: ApprovalChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---- ApprovalGateway ------------------------------------------------------------------------

  async open(input: OpenApprovalInput): Promise<PendingApproval> {
    const now = this.now();
    const id = this.newId();
    await this.store.insert(newRequest(id, input, now));
    await this.emit('opened', id, input.actor);
    return { id, expiresAt: new Date(now + input.rule.ttlMs).toISOString(), rule: input.rule };
  }

  // ---- reading --------------------------------------------------------------------------------

  async get(id: string): Promise<ApprovalRequest | undefined> {
    await this.expireDue();
    return this.store.get(id);
  }

  /** Open requests, oldest first. */
  async listOpen(): Promise<ApprovalRequest[]> {
    await this.expireDue();
    return this.store.listOpen();
  }

  /** The most recent requests in any state, newest first. */
  async recent(limit = 20): Promise<ApprovalRequest[]> {
    await this.expireDue();
    return this.store.recent(limit);
  }

  // ---- decisions ------------------------------------------------------------------------------

  async approve(id: string, approver: Actor): Promise<ApproveResult> {
    const before = await this.precheck(id);
    if ('outcome' in before) return this.refuse(before, approver);
    const request = before.request;

    const check = await checkApprover(request.rule, approver, request.requester.id, this.options.membership, {
      escalated: request.escalatedAt !== undefined,
    });
    if (!check.ok) return this.refuse({ code: check.code, reason: check.reason, request }, approver);

    const now = this.now();
    const required = approvalPools(request.rule).map((p) => p.required);
    // Vote and (if it is the deciding one) open → approved, both conditional, in one transaction.
    // A vote that cannot count (every pool this person may approve for is full) is not recorded,
    // so each recorded vote counts and the number of votes decides, as with a single pool.
    const cast = await this.store.sql.transaction(async (tx): Promise<VoteCast> => {
      await this.store.lock(id, tx);
      if (await this.store.hasVoted(id, approver.id, tx)) return 'already';
      if (!voteWouldCount(required, await this.store.votePools(id, tx), check.pools)) return 'useless';
      if (!(await this.store.vote(id, approver, now, tx, check.pools))) return 'closed';
      return (await this.store.markApproved(id, now, tx)) ? 'won' : 'counted';
    });

    if (cast === 'useless') {
      const current = await this.mustGet(id);
      // Full because it was decided meanwhile: say that, as for any late click.
      if (current.state !== 'open' || Date.parse(current.expiresAt) <= this.now())
        return this.refuse(this.closedRefusal(current), approver);
      const mine = check.pools.map((i) => current.pools[i]?.name ?? String(i));
      const waiting = current.pools.filter((p) => p.votes.length < p.required).map((p) => p.name);
      return this.refuse(
        {
          code: 'POOL_COMPLETE',
          reason: `Your approval would not count: ${joinWords(mine, 'and')} already ${mine.length === 1 ? 'has' : 'have'} the approvals needed; this request is waiting for ${joinWords(waiting, 'and')}.`,
          request: current,
        },
        approver,
      );
    }
    if (cast === 'already') {
      return this.refuse(
        {
          code: 'ALREADY_VOTED',
          reason: 'You have already approved this request; it counts once.',
          request: await this.store.get(id),
        },
        approver,
        false,
      );
    }
    if (cast === 'closed') return this.refuse(this.closedRefusal(await this.store.get(id)), approver);

    const votes = await this.store.voteCount(id);
    if (cast === 'counted') {
      const current = await this.mustGet(id);
      await this.audit('approved', approver, current, {
        outcome: `approval ${votes} of ${current.rule.required} recorded${poolSummary(current)}`,
      });
      await this.emit('voted', id, approver);
      return {
        outcome: 'recorded',
        request: current,
        votes,
        needed: Math.max(0, current.rule.required - votes),
      };
    }

    const approved = await this.mustGet(id);
    await this.audit('approved', approver, approved, {
      outcome: `approved (${votes} of ${approved.rule.required}); executing`,
    });
    await this.emit('approved', id, approver);
    return { outcome: 'approved_and_executing', request: approved, execution: this.execute(id) };
  }

  async deny(id: string, approver: Actor, reason: string): Promise<DenyResult> {
    const before = await this.precheck(id);
    if ('outcome' in before) return this.refuse(before, approver);
    const request = before.request;
    if (approver.id === request.requester.id) {
      return this.refuse(
        {
          code: 'NOT_AN_APPROVER',
          reason: 'You cannot deny your own request; cancel it instead.',
          request,
        },
        approver,
      );
    }
    const check = await checkApprover(request.rule, approver, request.requester.id, this.options.membership, {
      escalated: request.escalatedAt !== undefined,
    });
    if (!check.ok) {
      const why =
        check.code === 'NOT_AN_APPROVER' ? check.reason.replace('may approve', 'may deny') : check.reason;
      return this.refuse({ code: check.code, reason: why, request }, approver);
    }
    const text = reason.trim();
    if (text === '') {
      return this.refuse(
        { code: 'REASON_REQUIRED', reason: 'Say why you deny it.', request },
        approver,
        false,
      );
    }
    if (!(await this.store.markDenied(id, approver, text, this.now()))) {
      return this.refuse(this.closedRefusal(await this.store.get(id)), approver);
    }
    const denied = await this.mustGet(id);
    await this.audit('denied', approver, denied, { outcome: `denied: ${text}` });
    await this.emit('denied', id, approver);
    return { outcome: 'denied', request: denied };
  }

  /** Withdraws an open request; only its requester may. */
  async cancel(id: string, requester: Actor): Promise<CancelResult> {
    const before = await this.precheck(id);
    if ('outcome' in before) return this.refuse(before, requester);
    const request = before.request;
    if (request.requester.id !== requester.id) {
      return this.refuse(
        { code: 'NOT_REQUESTER', reason: 'Only the person who made the request can cancel it.', request },
        requester,
      );
    }
    if (!(await this.store.markCancelled(id, requester, this.now()))) {
      return this.refuse(this.closedRefusal(await this.store.get(id)), requester);
    }
    const cancelled = await this.mustGet(id);
    await this.audit('cancelled', requester, cancelled, { outcome: 'cancelled by the requester' });
    await this.emit('cancelled', id, requester);
    return { outcome: 'cancelled', request: cancelled };
  }

  /** Closes every open request past its expiry. Returns those this call expired. */
  async expireDue(now = this.now()): Promise<ApprovalRequest[]> {
    const ids = await this.store.expireDue(now);
    const expired: ApprovalRequest[] = [];
    for (const id of ids) expired.push(await this.mustGet(id));
    for (const request of expired) {
      void this.audit('expired', system, request, {
        outcome: `expired with ${request.votes.length} of ${request.rule.required} approvals`,
      });
      await this.emit('expired', request.id, undefined);
    }
    return expired;
  }

  /**
   * Reminds and escalates the open requests whose rule says it is time (once each), announcing it
   * through `onChange` (`reminded`, `escalated`). Nothing is ever approved by time passing.
   */
  async remindDue(now = this.now()): Promise<{ reminded: ApprovalRequest[]; escalated: ApprovalRequest[] }> {
    const reminded: ApprovalRequest[] = [];
    const escalated: ApprovalRequest[] = [];
    for (const request of await this.store.listOpen()) {
      if (Date.parse(request.expiresAt) <= now) continue;
      const age = now - Date.parse(request.createdAt);
      const { remindAfterMs, escalation } = request.rule;
      if (
        remindAfterMs !== undefined &&
        request.remindedAt === undefined &&
        age >= remindAfterMs &&
        (await this.store.markReminded(request.id, now))
      ) {
        const current = await this.mustGet(request.id);
        await this.audit('reminded', system, current, {
          outcome: `reminded: ${current.votes.length} of ${current.rule.required} approvals after ${formatDuration(age)}`,
        });
        await this.emit('reminded', request.id, undefined);
        reminded.push(current);
      }
      if (
        escalation !== undefined &&
        request.escalatedAt === undefined &&
        age >= escalation.afterMs &&
        (await this.store.markEscalated(request.id, now))
      ) {
        const current = await this.mustGet(request.id);
        await this.audit('escalated', system, current, {
          outcome: `escalated after ${formatDuration(age)} with ${current.votes.length} of ${current.rule.required} approvals`,
        });
        await this.emit('escalated', request.id, undefined);
        escalated.push(current);
      }
    }
    return { reminded, escalated };
  }

  // ---- break-glass ----------------------------------------------------------------------------

  /**
   * Runs an action that needs approval at once, for someone the rule lets break glass (the
   * ActionService has checked that, and the reason). It is stored like an approved request, marked
   * break-glass, sent to Atlas exactly once, and waits for someone else to acknowledge it.
   */
  async breakGlass(input: OpenApprovalInput): Promise<BreakGlassStarted> {
    const now = this.now();
    const id = this.newId();
    await this.store.insertBreakGlass(newRequest(id, input, now));
    const request = await this.mustGet(id);
    await this.audit('break_glass', input.actor, request, {
      breakGlass: true,
      outcome: `break-glass: run without approval (${input.reason ?? ''}); review needed`,
    });
    await this.emit('break_glass', id, input.actor);
    return { id, execution: this.execute(id) };
  }

  /** Acknowledges the review of a break-glass action: once, by someone who could have approved it. */
  async acknowledge(id: string, reviewer: Actor): Promise<ReviewResult> {
    await this.expireDue();
    const request = await this.store.get(id);
    if (!request)
      return this.refuse({ code: 'NOT_FOUND', reason: 'There is no such request.', request }, reviewer);
    if (!request.breakGlass)
      return this.refuse(
        { code: 'NOT_BREAK_GLASS', reason: 'This request was not a break-glass action.', request },
        reviewer,
      );
    if (request.breakGlass.reviewedAt !== undefined) {
      const by = request.breakGlass.reviewedBy;
      return this.refuse(
        {
          code: 'ALREADY_REVIEWED',
          reason: `This was already reviewed by ${by?.displayName ?? by?.id ?? 'someone'}.`,
          request,
        },
        reviewer,
        false,
      );
    }
    if (reviewer.id === request.requester.id)
      return this.refuse(
        { code: 'SELF_APPROVAL', reason: 'Someone else must review your break-glass action.', request },
        reviewer,
      );
    const check = await checkApprover(request.rule, reviewer, request.requester.id, this.options.membership, {
      escalated: true,
    });
    if (!check.ok) {
      const why =
        check.code === 'NOT_AN_APPROVER' ? check.reason.replace('may approve', 'may review') : check.reason;
      return this.refuse({ code: check.code, reason: why, request }, reviewer);
    }
    if (!(await this.store.markReviewed(id, reviewer, this.now()))) {
      return this.refuse(
        { code: 'ALREADY_REVIEWED', reason: 'This was already reviewed.', request: await this.store.get(id) },
        reviewer,
        false,
      );
    }
    const reviewed = await this.mustGet(id);
    await this.audit('reviewed', reviewer, reviewed, {
      breakGlass: true,
      outcome: 'break-glass action reviewed',
    });
    await this.emit('reviewed', id, reviewer);
    return { outcome: 'reviewed', request: reviewed };
  }

  /** Runs `expireDue` every `intervalMs` until `stop()` (the timer does not keep the process alive). */
  startExpiryTimer(intervalMs = 15_000): void {
    this.stopExpiryTimer();
    this.timer = setInterval(() => {
      this.expireDue()
        .then(() => this.remindDue())
        .catch((error: unknown) => this.report(error, 'expiry timer'));
    }, intervalMs);
    this.timer.unref();
  }

  stopExpiryTimer(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    if (this.recoveryTimer !== undefined) clearInterval(this.recoveryTimer);
    this.recoveryTimer = undefined;
  }

  /**
   * With several replicas: runs `recover()` every `intervalMs`, so requests another replica left
   * approved or executing when it died are settled here, once (stopped by `stopExpiryTimer()`).
   */
  startRecoveryTimer(intervalMs = Math.max(100, Math.floor(this.leaseMs / 2))): void {
    if (this.recoveryTimer !== undefined) clearInterval(this.recoveryTimer);
    this.recoveryTimer = setInterval(() => {
      this.recoverOnce().catch((error: unknown) => this.report(error, 'recovery timer'));
    }, intervalMs);
    this.recoveryTimer.unref();
  }

  private recoverOnce(): Promise<RecoveryReport> {
    this.recovering ??= this.recover().finally(() => (this.recovering = undefined));
    return this.recovering;
  }

  /** Settles with the request once the execution running in this process (if any) ends. */
  async settled(id: string): Promise<ApprovalRequest | undefined> {
    const pending = this.running.get(id);
    if (pending) return pending;
    return this.store.get(id);
  }

  /** Waits for every execution running in this process. */
  async drain(): Promise<void> {
    await Promise.all([...this.running.values()]);
  }

  /**
   * Call once at start, after `attach`: expires what is due, starts requests approved but never
   * sent, and settles those interrupted mid-call by asking Atlas (never by sending again).
   */
  async recover(): Promise<RecoveryReport> {
    const report: RecoveryReport = {
      started: [],
      confirmed: [],
      interrupted: [],
      unresolved: [],
      expired: [],
    };
    report.expired = (await this.expireDue()).map((r) => r.id);
    const executor = this.requireExecutor();

    for (const request of await this.store.listInState('approved')) {
      if (Date.parse(request.expiresAt) <= this.now()) {
        const error: ApprovalError = {
          code: 'INTERRUPTED',
          message:
            'Approved, but the service stopped before starting it, and the request has since expired; nothing was done.',
          hint: 'Request it again if it is still wanted.',
        };
        if (await this.store.markFailed(request.id, 'approved', error, this.now())) {
          const failed = await this.mustGet(request.id);
          await this.audit('failed', system, failed, { error });
          await this.emit('failed', request.id, undefined);
          report.interrupted.push(request.id);
        }
        continue;
      }
      if (!this.running.has(request.id)) {
        void this.execute(request.id);
        report.started.push(request.id);
      }
    }

    for (const request of await this.store.listInState('executing')) {
      if (this.running.has(request.id)) continue;
      // Another replica may be running it right now: only a lapsed (or unrecorded) hold is ours to settle.
      if (!(await this.store.claimRecovery(request.id, this.owner, this.now(), this.leaseMs))) continue;
      const startedAt = (await this.store.executionStartedAt(request.id)) ?? Date.parse(request.updatedAt);
      let verdict;
      try {
        const excluded = new Set([
          ...(await this.store.claimedJobIds()),
          ...(await this.store.preexistingJobIds(request.id)),
        ]);
        verdict = await findExecution(executor.client, request, startedAt, excluded);
      } catch (error) {
        this.report(error, `reconciling ${request.id}`);
        report.unresolved.push(request.id);
        continue;
      }
      if (verdict.found) {
        if (await this.store.markExecuted(request.id, verdict.execution, this.now())) {
          const executed = await this.mustGet(request.id);
          await this.audit('executed', system, executed, {
            atlasJobId: verdict.execution.atlasJobId,
            outcome: `${verdict.execution.summary} (confirmed after restart)`,
          });
          await this.emit('executed', request.id, undefined);
          report.confirmed.push(request.id);
        }
      } else {
        const error: ApprovalError = {
          code: 'INTERRUPTED',
          message: `The service stopped while starting this, and Atlas shows no sign of it (${verdict.detail}); it was not sent again.`,
          hint: 'Check Atlas, then request it again if it is still wanted.',
        };
        if (await this.store.markFailed(request.id, 'executing', error, this.now())) {
          const failed = await this.mustGet(request.id);
          await this.audit('failed', system, failed, { error });
          await this.emit('failed', request.id, undefined);
          report.interrupted.push(request.id);
        }
      }
    }
    return report;
  }

  // ---- internals ------------------------------------------------------------------------------

  /** Claims approved → executing and, only if this call won, runs the action. */
  private execute(id: string): Promise<ApprovalRequest> {
    const existing = this.running.get(id);
    if (existing) return existing;
    const run = (async (): Promise<ApprovalRequest> => {
      const executor = this.requireExecutor();
      const approved = await this.mustGet(id);
      if (approved.state !== 'approved') return approved;
      const preexisting = await matchingRestoreJobIds(executor.client, approved);
      const lease = { owner: this.owner, ttlMs: this.leaseMs };
      if (!(await this.store.claimExecution(id, this.now(), preexisting, lease))) return this.mustGet(id);
      const request = await this.mustGet(id);
      await this.emit('executing', id, undefined);
      const renew = setInterval(
        () => {
          this.store
            .renewExecution(id, this.owner, this.now(), this.leaseMs)
            .catch((error: unknown) => this.report(error, `renewing ${id}`));
        },
        Math.max(100, Math.floor(this.leaseMs / 3)),
      );
      renew.unref();
      try {
        const result = await executor.executeApproved({
          id,
          actor: request.requester,
          action: request.action,
          params: request.params,
          requestRef: request.requestRef,
          breakGlass: request.breakGlass !== undefined,
          reason: request.reason,
        });
        await this.store.markExecuted(
          id,
          {
            summary: result.summary,
            atlasJobId: result.job?.id,
            job: result.job,
            reconciled: result.reconciled,
            requestRef: result.requestRef,
          },
          this.now(),
        );
        await this.emit('executed', id, undefined);
      } catch (error) {
        await this.store.markFailed(id, 'executing', toErrorInfo(error), this.now());
        await this.emit('failed', id, undefined);
      } finally {
        clearInterval(renew);
      }
      return this.mustGet(id);
    })()
      .catch((error: unknown) => {
        this.report(error, `executing ${id}`);
        return this.mustGet(id);
      })
      .finally(() => this.running.delete(id));
    this.running.set(id, run);
    return run;
  }

  /** Expires what is due, then loads the request and refuses if it is no longer open. */
  private async precheck(
    id: string,
  ): Promise<{ request: ApprovalRequest } | (Omit<ApprovalRefusal, 'outcome'> & { outcome: 'refused' })> {
    await this.expireDue();
    const request = await this.store.get(id);
    if (!request)
      return { outcome: 'refused', code: 'NOT_FOUND', reason: 'There is no such approval request.', request };
    if (request.state !== 'open') return { outcome: 'refused', ...this.closedRefusal(request) };
    return { request };
  }

  private closedRefusal(request: ApprovalRequest | undefined): {
    code: ApprovalRefusalCode;
    reason: string;
    request: ApprovalRequest | undefined;
  } {
    if (!request) return { code: 'NOT_FOUND', reason: 'There is no such approval request.', request };
    if (
      request.state === 'expired' ||
      (request.state === 'open' && Date.parse(request.expiresAt) <= this.now())
    )
      return { code: 'EXPIRED', reason: `This request expired at ${request.expiresAt}.`, request };
    const by = request.closedBy ? ` by ${request.closedBy.displayName ?? request.closedBy.id}` : '';
    const what: Record<string, string> = {
      approved: 'has already been approved and is starting',
      executing: 'has already been approved and is running',
      executed: 'has already been approved and carried out',
      failed: 'was approved but failed',
      denied: `was denied${by}`,
      cancelled: `was cancelled${by}`,
    };
    return { code: 'REQUEST_CLOSED', reason: `This request ${what[request.state] ?? 'is closed'}.`, request };
  }

  private async refuse(
    refusal: { code: ApprovalRefusalCode; reason: string; request: ApprovalRequest | undefined },
    actor: Actor,
    auditIt = true,
  ): Promise<ApprovalRefusal> {
    if (auditIt && refusal.request) {
      await this.audit('refused', actor, refusal.request, {
        error: { code: refusal.code, message: refusal.reason },
      });
    }
    return { outcome: 'refused', code: refusal.code, reason: refusal.reason, request: refusal.request };
  }

  private async audit(
    event: AuditEvent,
    actor: Actor | ActorRef,
    request: ApprovalRequest,
    extra: Partial<AuditEntry>,
  ): Promise<void> {
    try {
      await this.options.audit.append({
        at: new Date(this.now()).toISOString(),
        event,
        actor: actorRef(actor),
        action: request.action,
        projectId: request.projectId,
        clusterName: request.clusterName,
        params: request.params,
        requestId: request.id,
        requestRef: request.requestRef,
        ...(request.reason ? { reason: request.reason } : {}),
        ...extra,
      });
    } catch (error) {
      this.report(error, `audit ${event} ${request.id}`);
    }
  }

  private async emit(kind: ApprovalChangeKind, id: string, by: Actor | ActorRef | undefined): Promise<void> {
    if (this.listeners.size === 0) return;
    const request = await this.store.get(id);
    if (!request) return;
    const change: ApprovalChange = { kind, request, by: by && actorRef(by) };
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        this.report(error, `listener for ${kind} ${id}`);
      }
    }
  }

  private async mustGet(id: string): Promise<ApprovalRequest> {
    const request = await this.store.get(id);
    if (!request) throw new Error(`approval request ${id} vanished`);
    return request;
  }

  private requireExecutor(): ApprovalExecutor {
    if (!this.executor) throw new Error('ApprovalEngine has no executor: call attach(actionService) first');
    return this.executor;
  }

  private report(error: unknown, context: string): void {
    if (this.options.onError) this.options.onError(error, context);
    else console.error(`approvals: ${context}:`, error instanceof Error ? error.message : error);
  }
}
