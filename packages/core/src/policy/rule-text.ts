import { actionMatches, policyActions, type PolicyAction, type PolicyRule } from './policy-file.js';

/** How refusals and warnings name a rule: its name when it has one, else its place in the file. */
export function ruleLabel(rule: Pick<PolicyRule, 'name'>, index: number): string {
  return rule.name ? `rule "${rule.name}"` : `rules[${index}]`;
}

/** `a`, `a or b`, `a, b or c` (or `and`). */
export function joinWords(words: readonly string[], conjunction: 'or' | 'and' = 'or'): string {
  if (words.length <= 1) return words[0] ?? '';
  return `${words.slice(0, -1).join(', ')} ${conjunction} ${words.at(-1) ?? ''}`;
}

/**
 * Who a rule applies to and from where, in plain words: "members of user group S05DBATEAM
 * asking from C04INCIDENT or C02DBAOPS", "U01 or members of user group S9", "anyone asking
 * from C04INCIDENT", "everyone".
 */
export function describeWho(rule: Pick<PolicyRule, 'users' | 'usergroups' | 'channels'>): string {
  const people =
    rule.users === undefined && rule.usergroups === undefined
      ? 'everyone'
      : joinWords([
          ...(rule.users ?? []),
          ...(rule.usergroups?.length
            ? [
                `members of user group${rule.usergroups.length === 1 ? '' : 's'} ${joinWords(rule.usergroups)}`,
              ]
            : []),
        ]) || 'no one';
  if (rule.channels === undefined) return people;
  return `${people === 'everyone' ? 'anyone' : people} asking from ${joinWords(rule.channels)}`;
}

type PolicyPool = NonNullable<PolicyRule['approval']>['pools'][number];

/** "1 approval from anyone but the requester", "2 approvals from U1, U2 or members of user group S9". */
export function describePool(pool: Pick<PolicyPool, 'required' | 'approvers'>): string {
  const { users, usergroups } = pool.approvers;
  const from =
    users.length === 0 && usergroups.length === 0
      ? 'anyone but the requester'
      : joinWords([
          ...users,
          ...(usergroups.length
            ? [`members of user group${usergroups.length === 1 ? '' : 's'} ${joinWords(usergroups)}`]
            : []),
        ]);
  return `${pool.required} approval${pool.required === 1 ? '' : 's'} from ${from}`;
}

/**
 * "none", "1 approval from anyone but the requester", "2 approvals from U1, U2 or members of S9",
 * "1 approval from members of user group S1 (dba) and 1 approval from U7 (leads)".
 */
export function describeApproval(rule: Pick<PolicyRule, 'approval'>): string {
  const pools = rule.approval?.pools ?? [];
  if (pools.length === 0) return 'none';
  if (pools.length === 1 && pools[0]) return describePool(pools[0]);
  return joinWords(
    pools.map((p) => `${describePool(p)} (${p.name})`),
    'and',
  );
}

/** The concrete policy actions a rule's action patterns cover, in catalogue order. */
export function coveredActions(rule: Pick<PolicyRule, 'actions'>): PolicyAction[] {
  return policyActions.filter((action) => rule.actions.some((p) => actionMatches(p, action)));
}
