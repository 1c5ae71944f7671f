import type { Actor } from '../actions/types.js';
import type { Project } from '../schemas/projects.js';
import { governs } from './explain.js';
import { policyActionOf, type FilePolicyEngine, type GoverningRule } from './file-policy.js';
import { StaticGroupMembership } from './group-membership.js';
import type { PolicyAction } from './policy-file.js';
import { ReloadablePolicy } from './reloadable-policy.js';
import { describeApproval } from './rule-text.js';
import {
  approvalPools,
  type ApprovalRule,
  type ChatVerdict,
  type PolicyDecision,
  type PolicyEngine,
  type PolicyInput,
  type ReasonRule,
} from './types.js';

type ProjectFacts = Pick<Project, 'id' | 'name' | 'tags'>;

/** Who the person at the keyboard is in Slack, as they say (the terminal cannot ask Slack). */
export interface ChatIdentity {
  userId: string;
  /** The user groups they are in; groups not named count as groups they are not in. */
  groups: string[];
}

/**
 * The terminal's policy when the team's policy file is given. The terminal acts with each
 * person's own Atlas credentials and cannot collect approvals, so Atlas's roles decide what they
 * may do. Of the shared policy it applies what one person at a keyboard can honour:
 * - production marking (the file's `production:` list as well as Atlas tags), so destructive
 *   actions there ask for the typed confirmation;
 * - required reasons: asked with the confirmation, checked, and recorded in the audit trail;
 * and it says, for each action, what Slack would ask of the same person (`chat`).
 *
 * Which rule governs depends on who asks. With `identity` it is that person's rule, as the bot
 * would decide it (asked in a direct message: the terminal has no channel). Without it, or when
 * Slack would refuse them, a reason is asked for when any rule governing the action asks for one.
 */
export class TerminalPolicy implements PolicyEngine {
  private constructor(
    readonly shared: ReloadablePolicy,
    readonly identity: ChatIdentity | undefined,
  ) {}

  /** Reads the policy file now; an invalid one throws PolicyFileError. */
  static open(path: string, identity?: ChatIdentity): TerminalPolicy {
    // Groups are known for the person at the keyboard only: every other membership reads as empty,
    // and no pool's possible approvers can be counted.
    const shared = ReloadablePolicy.open(path, {
      membership: new StaticGroupMembership(),
      countApprovers: false,
    });
    return new TerminalPolicy(shared, identity);
  }

  canRead(): boolean {
    return true;
  }

  isProduction(project: ProjectFacts): boolean {
    return this.shared.isProduction(project);
  }

  async decide(input: PolicyInput): Promise<PolicyDecision> {
    const engine = this.shared.current;
    const action = policyActionOf(input.action, input.preview);
    const projects =
      input.target !== undefined && input.target.id !== input.project.id
        ? [input.project, input.target]
        : [input.project];
    const governing = governingIn(engine, action, projects);

    let chat: ChatVerdict;
    let reason: ReasonRule | undefined;
    let ruleLabel: string | undefined;
    if (this.identity) {
      const chatActor: Actor = {
        id: this.identity.userId,
        displayName: input.actor.displayName,
        source: 'slack',
        groups: this.identity.groups,
      };
      const asked = await engine.decide({ ...input, actor: chatActor });
      chat = verdictFor(asked);
      if (asked.allowed) ({ reason, ruleLabel } = asked);
    } else {
      chat = generalVerdict(action, governing);
    }
    if (!this.identity || chat.outcome === 'refused') {
      const asking = governing.find((r) => r.rule.effect === 'allow' && r.rule.reason !== undefined);
      if (asking) {
        reason = asking.rule.reason;
        ruleLabel = asking.label;
      }
    }
    return { allowed: true, chat, ...(reason ? { reason, ruleLabel } : {}) };
  }
}

/** The rules governing an action on each project, each once, in the order they apply. */
function governingIn(
  engine: FilePolicyEngine,
  action: PolicyAction,
  projects: ProjectFacts[],
): GoverningRule[] {
  const seen = new Set<number>();
  return projects
    .flatMap((p) => engine.governingRules(action, p))
    .filter((r) => !seen.has(r.index) && seen.add(r.index));
}

/** A stored rule's approval in the policy's words (its pools back in the file's shape). */
function describeApprovalRule(rule: ApprovalRule): string {
  const pools = approvalPools(rule).map((p) => ({
    name: p.name,
    required: p.required,
    approvers: { users: p.users, usergroups: p.groups },
  }));
  return describeApproval({ approval: { pools } });
}

/** What Slack would do for the person, from the shared policy's own decision. */
function verdictFor(decision: PolicyDecision): ChatVerdict {
  if (!decision.allowed) return { outcome: 'refused', text: `Slack would refuse it: ${decision.reason}` };
  const by = decision.ruleLabel ? ` (${decision.ruleLabel})` : '';
  if (!decision.approval) return { outcome: 'open', text: `Slack would run it without approval${by}` };
  const glass = decision.breakGlass?.eligible === true ? '; you may break glass there' : '';
  return {
    outcome: 'approval',
    text: `Slack would ask for ${describeApprovalRule(decision.approval)}${by}${glass}`,
  };
}

/** What Slack would do when who asks is not known: what every governing rule agrees on, if they do. */
function generalVerdict(action: PolicyAction, governing: GoverningRule[]): ChatVerdict {
  const allows = governing.filter((r) => r.rule.effect === 'allow');
  const denies = governing.filter((r) => r.rule.effect === 'deny');
  const first = allows[0];
  if (!first) {
    const why = denies[0] ? `${denies[0].label} forbids it` : `no policy rule allows ${action} here`;
    return { outcome: 'refused', text: `Slack would refuse it: ${why}` };
  }
  const others =
    allows.length > 1
      ? `; ${allows.length - 1} more rule${allows.length > 2 ? 's' : ''} for other people`
      : '';
  if (denies.length === 0 && allows.every((r) => r.rule.approval !== undefined)) {
    return {
      outcome: 'approval',
      text: `Slack would ask for ${describeApproval(first.rule)} (${first.label}${others})`,
    };
  }
  const admitsAnyone = (r: GoverningRule) =>
    r.rule.users === undefined && r.rule.usergroups === undefined && r.rule.channels === undefined;
  const everyoneWithout =
    denies.length === 0 &&
    allows.every((r) => r.rule.approval === undefined && r.rule.otherwise !== 'deny') &&
    allows.some(admitsAnyone);
  if (everyoneWithout) {
    return { outcome: 'open', text: `Slack would run it without approval (${first.label})` };
  }
  return {
    outcome: 'depends',
    text: `In Slack it depends on who asks: ${governs(first.rule, first.index)}${others}`,
  };
}
