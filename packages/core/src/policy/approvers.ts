import type { Actor } from '../actions/types.js';
import { inAnyGroup, type GroupMembership } from './group-membership.js';
import { joinWords } from './rule-text.js';
import { approvalPools, type ApprovalRule } from './types.js';

export type ApproverRefusalCode = 'SELF_APPROVAL' | 'NOT_AN_APPROVER' | 'MEMBERSHIP_UNAVAILABLE';

export type ApproverCheck =
  { ok: true; pools: number[] } | { ok: false; code: ApproverRefusalCode; reason: string };

/** "U1, U2 or a member of S9": who a rule lets approve, in plain words. */
export function describeApprovers(rule: Pick<ApprovalRule, 'users' | 'groups'>): string {
  const parts = [...rule.users, ...rule.groups.map((g) => `a member of user group ${g}`)];
  if (parts.length === 0) return 'anyone except the requester';
  if (parts.length === 1) return parts[0] ?? '';
  return `${parts.slice(0, -1).join(', ')} or ${parts.at(-1) ?? ''}`;
}

/**
 * Whether `approver` may vote on a request made by `requesterId` under `rule`, and for which of
 * its pools (indexes into `approvalPools(rule)`). No one approves their own request; a pool with
 * no users or groups listed takes anyone else. Once a request is escalated, the escalation's
 * people may approve for any pool.
 */
export async function checkApprover(
  rule: ApprovalRule,
  approver: Actor,
  requesterId: string,
  membership?: GroupMembership,
  options: { escalated?: boolean } = {},
): Promise<ApproverCheck> {
  if (approver.id === requesterId) {
    return { ok: false, code: 'SELF_APPROVAL', reason: 'You cannot approve your own request.' };
  }
  const pools = approvalPools(rule);
  const eligible: number[] = [];
  let unreadable: string | undefined;
  const escalation = options.escalated ? rule.escalation : undefined;
  if (escalation && escalation.users.length + escalation.groups.length > 0) {
    const inEscalation =
      escalation.users.includes(approver.id) || (await inAnyGroup(approver, escalation.groups, membership));
    if (inEscalation === true) return { ok: true, pools: pools.map((_, i) => i) };
    if (inEscalation !== false) unreadable = inEscalation.unreadable;
  }
  for (const [i, pool] of pools.entries()) {
    if (pool.users.length === 0 && pool.groups.length === 0) eligible.push(i);
    else if (pool.users.includes(approver.id)) eligible.push(i);
    else {
      const inGroup = await inAnyGroup(approver, pool.groups, membership);
      if (inGroup === true) eligible.push(i);
      else if (inGroup !== false) unreadable ??= inGroup.unreadable;
    }
  }
  if (eligible.length > 0) return { ok: true, pools: eligible };
  if (unreadable !== undefined) {
    return {
      ok: false,
      code: 'MEMBERSHIP_UNAVAILABLE',
      reason: `Could not check user group membership (${unreadable}); try again shortly.`,
    };
  }
  const who =
    pools.length === 1
      ? describeApprovers(rule)
      : joinWords(pools.map((p) => `${describeApprovers(p)} (${p.name})`));
  return { ok: false, code: 'NOT_AN_APPROVER', reason: `Only ${who} may approve this request.` };
}

/**
 * How many distinct people other than the requester could approve; undefined when it cannot be
 * known (group lookups failed). Used to refuse requests nobody could ever approve.
 */
export async function countPossibleApprovers(
  rule: Pick<ApprovalRule, 'users' | 'groups'>,
  requesterId: string,
  membership: GroupMembership | undefined,
): Promise<number | undefined> {
  if (rule.users.length === 0 && rule.groups.length === 0) return undefined;
  const people = new Set(rule.users);
  if (rule.groups.length > 0) {
    if (!membership) return undefined;
    try {
      for (const group of rule.groups) for (const id of await membership.membersOf(group)) people.add(id);
    } catch {
      return undefined;
    }
  }
  people.delete(requesterId);
  return people.size;
}
