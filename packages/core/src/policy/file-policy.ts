import type { ActionPreview, Actor } from '../actions/types.js';
import type { Project } from '../schemas/projects.js';
import { countPossibleApprovers } from './approvers.js';
import { explainPolicy, type PolicyExplanation } from './explain.js';
import { inAnyGroup, isListed, type GroupMembership } from './group-membership.js';
import {
  actionMatches,
  defaultApprovalTtlMs,
  type PolicyAction,
  type PolicyDocument,
  type PolicyRule,
  type ProjectSelector,
} from './policy-file.js';
import { describeWho, ruleLabel } from './rule-text.js';
import {
  taggedProduction,
  type ApprovalRule,
  type PolicyDecision,
  type PolicyEngine,
  type PolicyInput,
} from './types.js';

type ProjectFacts = Pick<Project, 'id' | 'name' | 'tags'>;

/**
 * The policy used when ATLAS_POLICY_FILE is not set: anyone may read and take snapshots (and
 * lengthen retention, restore collections as new ones beside the existing data, and cancel a
 * running restore); restores that replace data, download links, exports, shortening retention
 * and deleting a snapshot need one approver other than the requester.
 */
export const defaultPolicyDocument: PolicyDocument = {
  version: 1,
  production: [],
  defaults: { approvalTtl: defaultApprovalTtlMs },
  rules: [
    {
      name: 'restores, exports and shorter retention need a second person',
      effect: 'allow',
      actions: [
        'restore.automated',
        'restore.pointInTime',
        'restore.download',
        'restore.flex',
        'restore.download.flex',
        'restore.collections.overwrite',
        'export.create',
        'snapshot.retention.shorten',
        'snapshot.delete',
      ],
      projects: undefined,
      approval: { pools: [{ name: 'approvers', required: 1, approvers: { users: [], usergroups: [] } }] },
    },
    {
      name: 'everything else is open to everyone',
      effect: 'allow',
      actions: [
        'read',
        'snapshot.take',
        'snapshot.retention',
        'restore.collections.createNew',
        'restore.cancel',
      ],
      projects: undefined,
    },
  ],
};

/** The policy action an action request counts as: shortening retention is its own, stricter case. */
export function policyActionOf(action: string, preview?: Pick<ActionPreview, 'risk'>): PolicyAction {
  if (action === 'snapshot.retention' && preview?.risk === 'destructive') return 'snapshot.retention.shorten';
  return action as PolicyAction;
}

export interface FilePolicyEngineOptions {
  /**
   * Resolves user group ids in rules. Without it a group is known only from `actor.groups`, and
   * a rule whose groups would have to be looked up counts as unreadable (fail closed).
   */
  membership?: GroupMembership | undefined;
  /** Which version of the policy this is (recorded with each request it opens). */
  version?: string | undefined;
  /**
   * Refuse a request its pools' listed people could never approve (default). Off where user
   * groups are known for one person only (the terminal), so no pool can be counted.
   */
  countApprovers?: boolean | undefined;
}

type Refusal = Extract<PolicyDecision, { allowed: false }>;

/** A rule that governs an action on a project; `index` is its place in the file. */
export interface GoverningRule {
  rule: PolicyRule;
  index: number;
  label: string;
}
/** A refusal one rule made names it (`label`); one made for want of any rule does not. */
type Evaluation = (Refusal & { label?: string }) | { allowed: true; rule: PolicyRule; label: string };

/** Whether a rule's people and channels include the actor; `unreadable` when user groups could not be read. */
type PersonMatch = boolean | { unreadable: string };

/**
 * A PolicyEngine driven by a policy document.
 *
 * How rules combine, for one action on one project:
 * 1. A matching `deny` rule always wins, wherever it stands.
 * 2. Allow rules whose `projects` name this project (by id, name, tag or production) replace
 *    allow rules that name no project; without any, the rules naming no project apply.
 * 3. Of those, the first whose people and channels match decides, approval included. A rule
 *    saying `otherwise: deny` refuses when its people or channels don't match.
 * 4. When none matches, the answer is no, naming the rules that govern and whom they admit.
 * Rule 2 keeps "production restores need two leads, asked from #incident" from being bypassed
 * by asking elsewhere and landing on a general "other restores need anyone".
 *
 * User groups that cannot be read fail closed: a deny rule that might match refuses, and so
 * does an allow rule that could apply (its action, project and channel match), with
 * `MEMBERSHIP_UNAVAILABLE`; the rules below it are never tried instead.
 */
export class FilePolicyEngine implements PolicyEngine {
  readonly membership: GroupMembership | undefined;
  readonly version: string | undefined;
  private readonly countApprovers: boolean;

  constructor(
    readonly document: PolicyDocument,
    options: FilePolicyEngineOptions = {},
  ) {
    this.membership = options.membership;
    this.version = options.version;
    this.countApprovers = options.countApprovers ?? true;
  }

  /** What the policy says about one person doing one action on one project (see explainPolicy). */
  explain = (input: { actor: Actor; action: string; project: ProjectFacts }): Promise<PolicyExplanation> =>
    explainPolicy(this, { ...input, action: input.action as PolicyAction });

  isProduction(project: ProjectFacts): boolean {
    if (taggedProduction(project)) return true;
    return this.document.production.some((p) =>
      p.id !== undefined ? p.id === project.id : p.name === project.name,
    );
  }

  async canRead(actor: Actor, project: ProjectFacts): Promise<boolean> {
    return (await this.evaluate(actor, 'read', project)).allowed;
  }

  /**
   * A restore into another project must be allowed for both projects; when both rules ask for
   * approval, the one needing more approvers applies (the target's on a tie).
   */
  async decide(input: PolicyInput): Promise<PolicyDecision> {
    const action = policyActionOf(input.action, input.preview);
    const verdict = await this.evaluate(input.actor, action, input.project);
    if (!verdict.allowed) {
      const { label: _label, ...refusal } = verdict;
      return refusal;
    }
    let chosen = verdict;
    if (input.target !== undefined && input.target.id !== input.project.id) {
      const onTarget = await this.evaluate(input.actor, action, input.target);
      if (!onTarget.allowed) {
        const { label: _label, ...refusal } = onTarget;
        return { ...refusal, reason: `${refusal.reason} (the restore's target)` };
      }
      if (requiredIn(onTarget.rule) >= requiredIn(verdict.rule)) chosen = onTarget;
    }
    const reason = chosen.rule.reason;
    const approval = chosen.rule.approval;
    if (!approval) return reason ? { allowed: true, reason, ruleLabel: chosen.label } : { allowed: true };
    const pools = approval.pools.map((p) => ({
      name: p.name,
      required: p.required,
      users: p.approvers.users,
      groups: p.approvers.usergroups,
    }));
    const escalate = approval.escalate;
    const rule: ApprovalRule = {
      required: pools.reduce((n, p) => n + p.required, 0),
      users: [...new Set(pools.flatMap((p) => p.users))],
      groups: [...new Set(pools.flatMap((p) => p.groups))],
      ttlMs: approval.ttl ?? this.document.defaults.approvalTtl,
      pools,
      ruleLabel: chosen.label,
      policyVersion: this.version,
      reason,
      remindAfterMs: approval.remindAfter,
      escalation: escalate && {
        afterMs: escalate.after,
        users: escalate.to.users,
        groups: escalate.to.usergroups,
        channel: escalate.channel,
      },
    };
    for (const pool of this.countApprovers ? pools : []) {
      const possible = await countPossibleApprovers(pool, input.actor.id, this.membership);
      if (possible !== undefined && possible < pool.required) {
        const which = pools.length > 1 ? ` from pool ${pool.name}` : '';
        return {
          allowed: false,
          reason: `${chosen.label} needs ${pool.required} approver${pool.required === 1 ? '' : 's'}${which} other than you, but only ${possible} ${possible === 1 ? 'person is' : 'people are'} listed`,
        };
      }
    }
    const glass = chosen.rule.breakGlass;
    const breakGlass = glass && {
      rule: { users: glass.users, groups: glass.usergroups },
      eligible: await isListed(glass.users, glass.usergroups, input.actor, this.membership),
    };
    return {
      allowed: true,
      approval: rule,
      ruleLabel: chosen.label,
      ...(reason ? { reason } : {}),
      ...(breakGlass ? { breakGlass } : {}),
    };
  }

  /** Applies the rules to one actor, policy action and project. */
  async evaluate(actor: Actor, action: PolicyAction, project: ProjectFacts): Promise<Evaluation> {
    const governing = this.governingRules(action, project);
    const where = project.name ? `${project.name} (${project.id})` : project.id;

    for (const { rule, label } of governing.filter((r) => r.rule.effect === 'deny')) {
      const match = await this.personMatches(rule, actor);
      if (match === true) return { allowed: false, reason: `${label} forbids it`, label };
      if (match !== false) return { ...unavailable(`${label} may forbid it`, match.unreadable), label };
    }
    const allows = governing.filter((r) => r.rule.effect === 'allow');
    const scoped = allows.filter((r) => r.rule.projects !== undefined);
    for (const { rule, label } of allows) {
      const match = await this.personMatches(rule, actor);
      if (match === true) return { allowed: true, rule, label };
      if (match !== false) return { ...unavailable(`${label} may apply`, match.unreadable), label };
      if (rule.otherwise === 'deny') {
        return {
          allowed: false,
          reason: `${label} governs ${action} on ${where} and says otherwise: deny; it applies only to ${describeWho(rule)}`,
          label,
        };
      }
    }
    const [only, ...more] = scoped;
    if (only && more.length === 0) {
      return {
        allowed: false,
        reason: `${only.label} governs ${action} on ${where}; it applies only to ${describeWho(only.rule)}`,
        label: only.label,
      };
    }
    if (only) {
      const whom = scoped.map(({ rule, label }) => `${describeWho(rule)} (${label})`);
      return {
        allowed: false,
        reason: `the rules for ${action} on ${where} apply only to ${whom.slice(0, -1).join(', ')}, or to ${whom.at(-1) ?? ''}`,
      };
    }
    return {
      allowed: false,
      reason:
        `no policy rule lets you ${action} on ${where}` +
        (actor.channel === undefined ? '' : ' from this channel'),
    };
  }

  /**
   * The rules that govern an action on a project, in the order they apply: deny rules, then the
   * allow rules naming the project (by id, name, tag or production) if any, else those naming none.
   */
  governingRules(action: PolicyAction, project: ProjectFacts): GoverningRule[] {
    const matching = this.document.rules
      .map((rule, index) => ({ rule, index, label: ruleLabel(rule, index) }))
      .filter(
        ({ rule }) =>
          rule.actions.some((p) => actionMatches(p, action)) && this.projectMatches(rule, project),
      );
    const allows = matching.filter((r) => r.rule.effect === 'allow');
    const scoped = allows.filter((r) => r.rule.projects !== undefined);
    return [...matching.filter((r) => r.rule.effect === 'deny'), ...(scoped.length > 0 ? scoped : allows)];
  }

  /** Whether a rule's `projects` take in this project (by id, name, production or tag). */
  projectMatches(rule: PolicyRule, project: ProjectFacts): boolean {
    if (rule.projects === undefined) return true;
    return rule.projects.some((s) => this.selectorMatches(s, project));
  }

  private selectorMatches(selector: ProjectSelector, project: ProjectFacts): boolean {
    if (selector.id !== undefined) return selector.id === project.id;
    if (selector.name !== undefined) return selector.name === project.name;
    if (selector.production !== undefined) return selector.production === this.isProduction(project);
    if (selector.tag !== undefined) {
      const [key = '', value = ''] = selector.tag.split('=');
      return (project.tags ?? []).some((t) => t.key === key && t.value === value);
    }
    return false;
  }

  private async personMatches(rule: PolicyRule, actor: Actor): Promise<PersonMatch> {
    if (
      rule.channels !== undefined &&
      (actor.channel === undefined || !rule.channels.includes(actor.channel))
    ) {
      return false;
    }
    if (rule.users === undefined && rule.usergroups === undefined) return true;
    if ((rule.users ?? []).includes(actor.id)) return true;
    return inAnyGroup(actor, rule.usergroups ?? [], this.membership);
  }
}

/** How many approvals a rule asks for in all (0 without approval). */
export function requiredIn(rule: Pick<PolicyRule, 'approval'>): number {
  return (rule.approval?.pools ?? []).reduce((n, p) => n + p.required, 0);
}

function unavailable(what: string, why: string): Refusal {
  return {
    allowed: false,
    code: 'MEMBERSHIP_UNAVAILABLE',
    reason: `${what}, but user group membership could not be checked (${why})`,
  };
}
