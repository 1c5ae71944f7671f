import type { Project } from '../schemas/projects.js';
import type { ActionName } from '../actions/catalogue.js';
import type { ActionPreview, Actor } from '../actions/types.js';
import type { PolicyExplanation } from './explain.js';

/** One group of approvers within a rule: `required` distinct people from `users`/`groups`. */
export interface ApprovalPool {
  name: string;
  required: number;
  /** Slack user ids; empty with no groups means anyone but the requester. */
  users: string[];
  groups: string[];
}

/** A reason must come with the request; `pattern` (a regular expression) it must match. */
export interface ReasonRule {
  prompt?: string | undefined;
  pattern?: string | undefined;
}

/** After `afterMs` an open request is escalated: `users`/`groups` may approve for any pool, `channel` is told. */
export interface EscalationRule {
  afterMs: number;
  users: string[];
  groups: string[];
  channel?: string | undefined;
}

/**
 * Who may approve, how many must, and for how long a request stays open. Stored with each
 * request, so a request keeps the rule it was opened under whatever the policy says later.
 */
export interface ApprovalRule {
  /** Distinct approvers needed in all (the sum over pools). */
  required: number;
  /** Everyone listed in any pool (a request stored before pools existed has only these). */
  users: string[];
  groups: string[];
  ttlMs: number;
  /** Every pool must reach its count; one person counts for one pool at most. */
  pools?: ApprovalPool[] | undefined;
  /** How the policy names the rule that decided (`rule "…"` or `rules[2]`). */
  ruleLabel?: string | undefined;
  /** Which version of the policy decided (a digest of the file's text). */
  policyVersion?: string | undefined;
  reason?: ReasonRule | undefined;
  /** Re-announce an open request, mentioning its approvers again, after this long. */
  remindAfterMs?: number | undefined;
  escalation?: EscalationRule | undefined;
}

/** Who may run an action that needs approval at once, with a reason, and have it reviewed afterwards. */
export interface BreakGlassRule {
  users: string[];
  groups: string[];
}

/** The pools of a stored rule; a rule stored before pools existed is one pool. */
export function approvalPools(rule: ApprovalRule): ApprovalPool[] {
  return (
    rule.pools ?? [{ name: 'approvers', required: rule.required, users: rule.users, groups: rule.groups }]
  );
}

/**
 * What the chat front end's policy would ask of one person for one action, told by a front end
 * that does not apply it (the terminal acts with the person's own Atlas identity and cannot
 * collect approvals). `depends`: it turns on who asks, and who is asking is not known.
 */
export interface ChatVerdict {
  outcome: 'approval' | 'open' | 'refused' | 'depends';
  /** One line, e.g. `Slack would ask for 1 approval from U1 (rule "production restores")`. */
  text: string;
}

/**
 * A refusal says why; `MEMBERSHIP_UNAVAILABLE` marks one made because user groups could not be
 * read (asking again later may succeed), as opposed to one the policy itself makes.
 */
export type PolicyDecision =
  | { allowed: false; reason: string; code?: 'MEMBERSHIP_UNAVAILABLE' | undefined }
  | {
      allowed: true;
      approval?: ApprovalRule | undefined;
      /** A reason is required (also when no approval is). */
      reason?: ReasonRule | undefined;
      /** The rule allows break-glass for the people listed; `eligible` says whether the actor is one. */
      breakGlass?: { rule: BreakGlassRule; eligible: boolean | 'unreadable' } | undefined;
      /** The rule that decided, as refusals name it. */
      ruleLabel?: string | undefined;
      chat?: ChatVerdict | undefined;
    };

export interface PolicyInput {
  actor: Actor;
  action: ActionName;
  project: Pick<Project, 'id' | 'name' | 'tags'>;
  /** The project whose cluster a restore overwrites, when it is not `project`. */
  target?: Pick<Project, 'id' | 'name' | 'tags'> | undefined;
  preview: ActionPreview;
}

export interface PolicyEngine {
  /** Whether this actor may change this project in this way, and whether others must approve. */
  decide(input: PolicyInput): PolicyDecision | Promise<PolicyDecision>;
  /** Whether the actor may see the project at all. */
  canRead(actor: Actor, project: Pick<Project, 'id' | 'name' | 'tags'>): boolean | Promise<boolean>;
  /** Production projects need the target's name typed to confirm destructive actions. */
  isProduction(project: Pick<Project, 'id' | 'name' | 'tags'>): boolean;
  /** What the policy says about one person doing one action on one project (`policy explain`). */
  explain?:
    | ((input: {
        actor: Actor;
        action: string;
        project: Pick<Project, 'id' | 'name' | 'tags'>;
      }) => Promise<PolicyExplanation>)
    | undefined;
}

const productionValues = new Set(['production', 'prod']);

/** Atlas project tags such as `environment=production` mark production. */
export function taggedProduction(project: Pick<Project, 'tags'>): boolean {
  return (project.tags ?? []).some(
    (t) =>
      ['environment', 'env', 'tier'].includes(t.key.toLowerCase()) &&
      productionValues.has(t.value.toLowerCase()),
  );
}

/**
 * The terminal's policy: one person at their own keyboard with their own credentials. Everything
 * is allowed without approvals (the confirmations still apply); production comes from tags.
 */
export const localOperatorPolicy: PolicyEngine = {
  decide: () => ({ allowed: true }),
  canRead: () => true,
  isProduction: taggedProduction,
};
