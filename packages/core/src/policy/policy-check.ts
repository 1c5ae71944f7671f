import type { PolicyDocument, PolicyRule, ProjectSelector } from './policy-file.js';
import { requiredIn } from './file-policy.js';
import { coveredActions, describeApproval, describeWho, joinWords } from './rule-text.js';

/** Something valid but probably not meant, found in a policy (`pnpm policy:check`, the bot's start). */
export interface PolicyWarning {
  /** The rule it is about, e.g. `rules[3]`. */
  path: string;
  name?: string | undefined;
  message: string;
}

export function formatPolicyWarning(warning: PolicyWarning): string {
  return `${warning.path}${warning.name ? ` ("${warning.name}")` : ''}: ${warning.message}`;
}

type Approvers = NonNullable<PolicyRule['approval']>['pools'][number]['approvers'];

/** Everyone who may approve under a rule, whichever pool. */
function allApprovers(approval: NonNullable<PolicyRule['approval']>): Approvers {
  return {
    users: approval.pools.flatMap((p) => p.approvers.users),
    usergroups: approval.pools.flatMap((p) => p.approvers.usergroups),
  };
}

const within = (inner: readonly string[], outer: readonly string[]) => inner.every((x) => outer.includes(x));

/** Everyone `inner` admits (people and channels), `outer` admits too. */
function whoWithin(inner: PolicyRule, outer: PolicyRule): boolean {
  const channels =
    outer.channels === undefined || (inner.channels !== undefined && within(inner.channels, outer.channels));
  const outerEveryone = outer.users === undefined && outer.usergroups === undefined;
  const innerEveryone = inner.users === undefined && inner.usergroups === undefined;
  const people =
    outerEveryone ||
    (!innerEveryone &&
      within(inner.users ?? [], outer.users ?? []) &&
      within(inner.usergroups ?? [], outer.usergroups ?? []));
  return channels && people;
}

function approversWithin(inner: Approvers, outer: Approvers): boolean {
  if (outer.users.length === 0 && outer.usergroups.length === 0) return true;
  if (inner.users.length === 0 && inner.usergroups.length === 0) return false;
  return within(inner.users, outer.users) && within(inner.usergroups, outer.usergroups);
}

/** `rule` asks less than `than`: fewer approvals, or approvals from people `than` does not list. */
function looser(rule: PolicyRule, than: PolicyRule): boolean {
  const required = requiredIn(rule);
  const thanRequired = requiredIn(than);
  if (required < thanRequired) return true;
  if (!than.approval || !rule.approval) return false;
  if (rule.approval.pools.some((p) => p.approvers.users.length + p.approvers.usergroups.length === 0))
    return !than.approval.pools.every((p) => p.approvers.users.length + p.approvers.usergroups.length === 0);
  return !approversWithin(allApprovers(rule.approval), allApprovers(than.approval));
}

function distinct(a: ProjectSelector, b: ProjectSelector): boolean {
  if (a.id !== undefined && b.id !== undefined) return a.id !== b.id;
  if (a.name !== undefined && b.name !== undefined) return a.name !== b.name;
  if (a.production !== undefined && b.production !== undefined) return a.production !== b.production;
  return false;
}

/** Whether some project could match both rules (undecidable pairs such as a name and a tag count). */
function mayShareProject(a: PolicyRule, b: PolicyRule): boolean {
  if (a.projects === undefined || b.projects === undefined) return true;
  return a.projects.some((sa) => (b.projects ?? []).some((sb) => !distinct(sa, sb)));
}

/** Every project `inner` names, `outer` covers. */
function projectsWithin(inner: PolicyRule, outer: PolicyRule): boolean {
  if (outer.projects === undefined) return true;
  if (inner.projects === undefined) return false;
  return inner.projects.every((si) =>
    (outer.projects ?? []).some((so) => JSON.stringify(si) === JSON.stringify(so)),
  );
}

/**
 * Finds allow rules that combine in a way the file's author probably did not mean, following
 * how the engine combines them (see FilePolicyEngine): for the same action and project,
 * - a looser rule below a stricter one catches people the stricter one leaves out (the stricter
 *   rule can be bypassed by asking from elsewhere or as someone else);
 * - a looser rule above a stricter one catches everyone the stricter one would (it never applies);
 * - a rule naming projects stands below a general rule it replaces for those projects.
 * Deny rules are left out: they win wherever they stand.
 */
export function checkPolicy(document: PolicyDocument): PolicyWarning[] {
  const warnings: PolicyWarning[] = [];
  const rules = document.rules
    .map((rule, i) => ({ rule, i, actions: coveredActions(rule) }))
    .filter(({ rule }) => rule.effect === 'allow');
  const ref = (r: { rule: PolicyRule; i: number }) =>
    `rules[${r.i}]${r.rule.name ? ` ("${r.rule.name}")` : ''}`;
  const warn = (r: { rule: PolicyRule; i: number }, message: string) =>
    warnings.push({ path: `rules[${r.i}]`, name: r.rule.name, message });

  for (const [k, b] of rules.entries()) {
    for (const a of rules.slice(0, k)) {
      const shared = a.actions.filter((action) => b.actions.includes(action));
      if (shared.length === 0 || !mayShareProject(a.rule, b.rule)) continue;
      const actions = joinWords(shared, 'and');
      const aScoped = a.rule.projects !== undefined;
      const bScoped = b.rule.projects !== undefined;
      if (aScoped !== bScoped) {
        // The rule naming projects is the only one considered for them, whatever the order.
        if (bScoped)
          warn(
            b,
            `names projects, so for ${actions} on them it replaces ${ref(a)}, which stands above it; move it above rules[${a.i}] so the file reads in the order it applies.`,
          );
        continue;
      }
      if (a.rule.otherwise !== 'deny' && !whoWithin(b.rule, a.rule) && looser(b.rule, a.rule)) {
        warn(
          b,
          `catches ${actions} requests that ${ref(a)} leaves out (it applies only to ${describeWho(a.rule)}), with a looser approval: ${describeApproval(b.rule)} instead of ${describeApproval(a.rule)}. If rules[${a.i}] is meant to be the only way, add \`otherwise: deny\` to it.`,
        );
      } else if (whoWithin(b.rule, a.rule) && projectsWithin(b.rule, a.rule) && looser(a.rule, b.rule)) {
        warn(
          b,
          `never applies to ${actions}: ${ref(a)} above it catches the same requests first, with a looser approval (${describeApproval(a.rule)} instead of ${describeApproval(b.rule)}). Move it above rules[${a.i}].`,
        );
      }
    }
  }
  return warnings;
}
