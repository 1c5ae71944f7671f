import type { Project } from '../schemas/projects.js';
import type { ActionName } from '../actions/catalogue.js';
import type { ActionPreview, Actor } from '../actions/types.js';

/** Who may approve, how many must, and for how long a request stays open. */
export interface ApprovalRule {
  /** Distinct approvers needed (N of M). */
  required: number;
  /** Slack user ids allowed to approve; empty with no groups means anyone but the requester. */
  users: string[];
  /** Slack user group ids whose members may approve. */
  groups: string[];
  ttlMs: number;
}

/**
 * A refusal says why; `MEMBERSHIP_UNAVAILABLE` marks one made because user groups could not be
 * read (asking again later may succeed), as opposed to one the policy itself makes.
 */
export type PolicyDecision =
  | { allowed: false; reason: string; code?: 'MEMBERSHIP_UNAVAILABLE' | undefined }
  | { allowed: true; approval?: ApprovalRule | undefined };

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
