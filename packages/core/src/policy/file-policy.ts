import type { ActionPreview, Actor } from '../actions/types.js';
import type { Project } from '../schemas/projects.js';
import { countPossibleApprovers } from './approvers.js';
import type { GroupMembership } from './group-membership.js';
import {
  actionMatches,
  defaultApprovalTtlMs,
  type PolicyAction,
  type PolicyDocument,
  type PolicyRule,
  type ProjectSelector,
} from './policy-file.js';
import { taggedProduction, type PolicyDecision, type PolicyEngine, type PolicyInput } from './types.js';

type ProjectFacts = Pick<Project, 'id' | 'name' | 'tags'>;

/**
 * The policy used when ATLAS_POLICY_FILE is not set: anyone may read and take snapshots (and
 * lengthen retention, and cancel a running restore); restores of every kind, exports and
 * shortening retention need one approver other than the requester.
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
        'export.create',
        'snapshot.retention.shorten',
      ],
      projects: undefined,
      approval: { required: 1, approvers: { users: [], usergroups: [] } },
    },
    {
      name: 'everything else is open to everyone',
      effect: 'allow',
      actions: ['read', 'snapshot.take', 'snapshot.retention', 'restore.cancel'],
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
  /** Resolves user group ids in rules; without it only `actor.groups` counts. */
  membership?: GroupMembership | undefined;
}

type Evaluation = { allowed: false; reason: string } | { allowed: true; rule: PolicyRule; label: string };

/**
 * A PolicyEngine driven by a policy document.
 *
 * How rules combine: a matching `deny` rule always wins, wherever it stands; otherwise the first
 * matching `allow` rule, top to bottom, decides (including whether approval is needed). When no
 * rule matches, the answer is no. A rule matches when the action, the project and the person
 * (and, if listed, the channel) all match.
 */
export class FilePolicyEngine implements PolicyEngine {
  readonly membership: GroupMembership | undefined;

  constructor(
    readonly document: PolicyDocument,
    options: FilePolicyEngineOptions = {},
  ) {
    this.membership = options.membership;
  }

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
    if (!verdict.allowed) return verdict;
    let chosen = verdict;
    if (input.target !== undefined && input.target.id !== input.project.id) {
      const onTarget = await this.evaluate(input.actor, action, input.target);
      if (!onTarget.allowed) return { allowed: false, reason: `${onTarget.reason} (the restore's target)` };
      if ((onTarget.rule.approval?.required ?? 0) >= (verdict.rule.approval?.required ?? 0))
        chosen = onTarget;
    }
    const approval = chosen.rule.approval;
    if (!approval) return { allowed: true };
    const rule = {
      required: approval.required,
      users: approval.approvers.users,
      groups: approval.approvers.usergroups,
      ttlMs: approval.ttl ?? this.document.defaults.approvalTtl,
    };
    const possible = await countPossibleApprovers(rule, input.actor.id, this.membership);
    if (possible !== undefined && possible < rule.required) {
      return {
        allowed: false,
        reason: `${chosen.label} needs ${rule.required} approver${rule.required === 1 ? '' : 's'} other than you, but only ${possible} ${possible === 1 ? 'person is' : 'people are'} listed`,
      };
    }
    return { allowed: true, approval: rule };
  }

  /** Applies the rules to one actor, policy action and project. */
  async evaluate(actor: Actor, action: PolicyAction, project: ProjectFacts): Promise<Evaluation> {
    const rules = this.document.rules.map((rule, i) => ({
      rule,
      label: rule.name ? `rule "${rule.name}"` : `rules[${i}]`,
    }));
    const applicable = rules.filter(
      ({ rule }) => rule.actions.some((p) => actionMatches(p, action)) && this.projectMatches(rule, project),
    );
    let lookupFailure: string | undefined;

    for (const { rule, label } of applicable.filter((r) => r.rule.effect === 'deny')) {
      try {
        if (await this.personMatches(rule, actor)) return { allowed: false, reason: `${label} forbids it` };
      } catch {
        // Fail closed: a deny rule whose user groups cannot be read is taken to apply.
        return {
          allowed: false,
          reason: `${label} may forbid it and user group membership could not be checked`,
        };
      }
    }
    for (const { rule, label } of applicable.filter((r) => r.rule.effect === 'allow')) {
      try {
        if (await this.personMatches(rule, actor)) return { allowed: true, rule, label };
      } catch (error) {
        lookupFailure = error instanceof Error ? error.message : String(error);
      }
    }
    const where = project.name ? `${project.name} (${project.id})` : project.id;
    return {
      allowed: false,
      reason:
        `no policy rule lets you ${action} on ${where}` +
        (actor.channel === undefined ? '' : ' from this channel') +
        (lookupFailure ? ` (user group membership could not be checked: ${lookupFailure})` : ''),
    };
  }

  private projectMatches(rule: PolicyRule, project: ProjectFacts): boolean {
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

  private async personMatches(rule: PolicyRule, actor: Actor): Promise<boolean> {
    if (
      rule.channels !== undefined &&
      (actor.channel === undefined || !rule.channels.includes(actor.channel))
    ) {
      return false;
    }
    const users = rule.users ?? [];
    const groups = rule.usergroups ?? [];
    if (rule.users === undefined && rule.usergroups === undefined) return true;
    if (users.includes(actor.id)) return true;
    for (const group of groups) {
      if (actor.groups?.includes(group)) return true;
      if (this.membership && (await this.membership.membersOf(group)).includes(actor.id)) return true;
    }
    return false;
  }
}
