import type { ActionName } from '../actions/catalogue.js';
import type { ActionPreview, Actor } from '../actions/types.js';
import type { ErrorInfo } from '../errors.js';
import type { ApprovalRule } from '../policy/types.js';
import type { JobRef } from '../watch/job-state.js';

/**
 * open ─┬─ approved ── executing ─┬─ executed
 *       ├─ denied                  └─ failed
 *       ├─ cancelled
 *       └─ expired
 *
 * `approved` means the decision is committed but the Atlas call has not been claimed;
 * `executing` means it was claimed and may have reached Atlas, so it is never sent again blindly.
 */
export type ApprovalState =
  'open' | 'approved' | 'executing' | 'executed' | 'failed' | 'denied' | 'cancelled' | 'expired';

export const finalApprovalStates: ReadonlySet<ApprovalState> = new Set([
  'executed',
  'failed',
  'denied',
  'cancelled',
  'expired',
]);

/** The parts of an Actor the approval trail keeps. */
export type ActorRef = Pick<Actor, 'id' | 'displayName' | 'source'>;

export interface ApprovalVote {
  approver: ActorRef;
  at: string;
}

/** One pool's progress: the votes that count for it (see `assignVotes`). */
export interface PoolProgress {
  name: string;
  required: number;
  votes: ApprovalVote[];
}

/** A break-glass action: run at once by its requester, to be acknowledged afterwards by someone else. */
export interface BreakGlassReview {
  reviewedBy: ActorRef | undefined;
  reviewedAt: string | undefined;
}

export interface ApprovalExecution {
  summary: string;
  atlasJobId: string | undefined;
  job: JobRef | undefined;
  /** True when the job was found in Atlas rather than reported by the create call (after a restart). */
  reconciled: boolean;
  requestRef: string;
}

/** Why a request failed; INTERRUPTED when the process stopped before the action could be confirmed. */
export type ApprovalError = ErrorInfo;

/** Everything a front end needs to show a request, rebuilt from the store (so it survives restarts). */
export interface ApprovalRequest {
  id: string;
  state: ApprovalState;
  action: ActionName;
  projectId: string;
  clusterName: string | undefined;
  requester: Actor;
  params: Record<string, unknown>;
  /** The plain summary shown before anything happens: title, lines, warnings, risk. */
  preview: ActionPreview;
  rule: ApprovalRule;
  reason: string | undefined;
  requestRef: string;
  createdAt: string;
  expiresAt: string;
  updatedAt: string;
  votes: ApprovalVote[];
  /** Each pool of the rule with the votes counted for it (one pool for a single approver list). */
  pools: PoolProgress[];
  /** When the approvers were reminded, and when it was escalated (absent until then). */
  remindedAt: string | undefined;
  escalatedAt: string | undefined;
  /** Present when this was a break-glass action, run without approval. */
  breakGlass: BreakGlassReview | undefined;
  /** Approvals still needed before it runs (0 once approved). */
  remaining: number;
  /** Who denied or cancelled it. */
  closedBy: ActorRef | undefined;
  /** The deny reason. */
  closeReason: string | undefined;
  execution: ApprovalExecution | undefined;
  error: ApprovalError | undefined;
}

/** Stable codes for refused clicks; front ends switch on them and show `reason`. */
export type ApprovalRefusalCode =
  | 'NOT_FOUND'
  | 'SELF_APPROVAL'
  | 'NOT_AN_APPROVER'
  | 'MEMBERSHIP_UNAVAILABLE'
  | 'ALREADY_VOTED'
  | 'EXPIRED'
  | 'REQUEST_CLOSED'
  | 'NOT_REQUESTER'
  | 'REASON_REQUIRED'
  | 'POOL_COMPLETE'
  | 'NOT_BREAK_GLASS'
  | 'ALREADY_REVIEWED';

export interface ApprovalRefusal {
  outcome: 'refused';
  code: ApprovalRefusalCode;
  /** One sentence for the person who clicked. */
  reason: string;
  request: ApprovalRequest | undefined;
}

export type ApproveResult =
  | { outcome: 'recorded'; request: ApprovalRequest; votes: number; needed: number }
  | {
      outcome: 'approved_and_executing';
      request: ApprovalRequest;
      /** Settles (never rejects) with the request once it is executed or failed. */
      execution: Promise<ApprovalRequest>;
    }
  | ApprovalRefusal;

export type ReviewResult = { outcome: 'reviewed'; request: ApprovalRequest } | ApprovalRefusal;

export interface BreakGlassStarted {
  id: string;
  /** Settles (never rejects) with the request once it is executed or failed. */
  execution: Promise<ApprovalRequest>;
}

export type DenyResult = { outcome: 'denied'; request: ApprovalRequest } | ApprovalRefusal;
export type CancelResult = { outcome: 'cancelled'; request: ApprovalRequest } | ApprovalRefusal;

export type ApprovalChangeKind =
  | 'opened'
  | 'voted'
  | 'approved'
  | 'executing'
  | 'executed'
  | 'failed'
  | 'denied'
  | 'cancelled'
  | 'expired'
  | 'reminded'
  | 'escalated'
  | 'break_glass'
  | 'reviewed';

/** Sent to listeners after each committed change, so every message about the request can be updated. */
export interface ApprovalChange {
  kind: ApprovalChangeKind;
  request: ApprovalRequest;
  /** Who caused it (absent for expiry and restart recovery). */
  by?: ActorRef | undefined;
}
