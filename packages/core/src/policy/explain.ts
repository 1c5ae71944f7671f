import type { Actor } from '../actions/types.js';
import type { Project } from '../schemas/projects.js';
import { formatDuration } from './duration.js';
import type { FilePolicyEngine } from './file-policy.js';
import { isListed } from './group-membership.js';
import type { PolicyAction, PolicyRule } from './policy-file.js';
import { describeApproval, describeWho, joinWords, ruleLabel } from './rule-text.js';

export interface PolicyExplanation {
  action: PolicyAction;
  project: string;
  actor: string;
  /** Allowed (with or without approval), or refused with why. */
  allowed: boolean;
  verdict: string;
  /** The rule that decided, as refusals name it; absent when no rule matched. */
  decidedBy: string | undefined;
  /** What else the deciding rule asks: a reason, break-glass, reminders and escalation. */
  details: string[];
  /** Every rule that governs this action on this project, in the order they apply, with whom it admits. */
  governing: string[];
}

const listed = (users: readonly string[], groups: readonly string[]) =>
  joinWords([...users, ...groups.map((g) => `members of user group ${g}`)]);

function details(rule: PolicyRule, engine: FilePolicyEngine): string[] {
  const out: string[] = [];
  if (rule.reason) {
    const prompt = rule.reason.prompt ? ` (${rule.reason.prompt})` : '';
    const pattern = rule.reason.pattern ? `, matching ${rule.reason.pattern}` : '';
    out.push(`a reason is required${prompt}${pattern}`);
  }
  const approval = rule.approval;
  if (approval) {
    out.push(`requests stay open ${formatDuration(approval.ttl ?? engine.document.defaults.approvalTtl)}`);
    if (approval.remindAfter !== undefined)
      out.push(`approvers are reminded after ${formatDuration(approval.remindAfter)}`);
    const e = approval.escalate;
    if (e) {
      const who =
        e.to.users.length + e.to.usergroups.length > 0 ? ` to ${listed(e.to.users, e.to.usergroups)}` : '';
      const where = e.channel ? ` in ${e.channel}` : '';
      out.push(`escalated after ${formatDuration(e.after)}${who}${where}`);
    }
  }
  if (rule.breakGlass)
    out.push(
      `break-glass (run at once with a reason, reviewed afterwards) for ${listed(rule.breakGlass.users, rule.breakGlass.usergroups)}`,
    );
  return out;
}

export function governs(rule: PolicyRule, index: number): string {
  const label = ruleLabel(rule, index);
  if (rule.effect === 'deny') return `${label}: forbids it for ${describeWho(rule)}`;
  const approval = rule.approval ? `with ${describeApproval(rule)}` : 'without approval';
  const otherwise = rule.otherwise === 'deny' ? '; refuses everyone else (otherwise: deny)' : '';
  return `${label}: allows it for ${describeWho(rule)}, ${approval}${otherwise}`;
}

/**
 * What the policy says about one person doing one action on one project: allowed or not, with
 * what approval, decided by which rule, and every rule that governs the action there, so an
 * author can check a file before deploying it. Uses the engine's own evaluation.
 */
export async function explainPolicy(
  engine: FilePolicyEngine,
  input: { actor: Actor; action: PolicyAction; project: Pick<Project, 'id' | 'name' | 'tags'> },
): Promise<PolicyExplanation> {
  const { actor, action, project } = input;
  const verdict = await engine.evaluate(actor, action, project);
  const ordered = engine.governingRules(action, project);
  const where = project.name
    ? `${project.name}${engine.isProduction(project) ? ' (production)' : ''}`
    : project.id;
  const who = `${actor.id}${actor.groups?.length ? ` (in ${joinWords(actor.groups, 'and')})` : ''}${actor.channel ? ` asking from ${actor.channel}` : ' in a direct message'}`;
  const base = {
    action,
    project: where,
    actor: who,
    governing: ordered.map(({ rule, index }) => governs(rule, index)),
  };
  if (!verdict.allowed) {
    return {
      ...base,
      allowed: false,
      verdict: `refused: ${verdict.reason}`,
      decidedBy: verdict.label,
      details: [],
    };
  }
  const rule = verdict.rule;
  const needs = rule.approval ? `allowed with ${describeApproval(rule)}` : 'allowed without approval';
  const extra = details(rule, engine);
  if (rule.breakGlass) {
    const { users, usergroups } = rule.breakGlass;
    const inList = (await isListed(users, usergroups, actor, engine.membership)) === true;
    extra.push(inList ? `${actor.id} may break glass` : `${actor.id} may not break glass`);
  }
  return { ...base, allowed: true, verdict: needs, decidedBy: verdict.label, details: extra };
}

/** The explanation as lines of plain text (the CLI prints it; the bot renders it for Slack). */
export function formatExplanation(e: PolicyExplanation): string {
  return [
    `${e.action} on ${e.project} by ${e.actor}:`,
    `  ${e.verdict}`,
    `  decided by: ${e.decidedBy ?? 'no rule (nothing allows it)'}`,
    ...e.details.map((d) => `  ${d}`),
    e.governing.length > 0
      ? `rules that govern ${e.action} on ${e.project}, in the order they apply:`
      : `no rule governs ${e.action} on ${e.project}`,
    ...e.governing.map((g) => `  ${g}`),
  ].join('\n');
}
