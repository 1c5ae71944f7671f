import type { Actor } from '../actions/types.js';
import type { GroupMembership } from './group-membership.js';
import type { ApprovalRule } from './types.js';

export type ApproverRefusalCode = 'SELF_APPROVAL' | 'NOT_AN_APPROVER' | 'MEMBERSHIP_UNAVAILABLE';

export type ApproverCheck = { ok: true } | { ok: false; code: ApproverRefusalCode; reason: string };

/** "U1, U2 or a member of S9": who a rule lets approve, in plain words. */
export function describeApprovers(rule: Pick<ApprovalRule, 'users' | 'groups'>): string {
  const parts = [...rule.users, ...rule.groups.map((g) => `a member of user group ${g}`)];
  if (parts.length === 0) return 'anyone except the requester';
  if (parts.length === 1) return parts[0] ?? '';
  return `${parts.slice(0, -1).join(', ')} or ${parts.at(-1) ?? ''}`;
}

/**
 * Whether the actor is in one of the groups; `unreadable` (why) when that cannot be known: some
 * group could not be read, or there is no way to read groups at all, and no readable group
 * includes them.
 */
async function inAnyGroup(
  actor: Actor,
  groups: readonly string[],
  membership: GroupMembership | undefined,
): Promise<boolean | { unreadable: string }> {
  if (groups.some((g) => actor.groups?.includes(g))) return true;
  if (groups.length === 0) return false;
  if (!membership) return { unreadable: 'no way to read user groups was given' };
  let unreadable: string | undefined;
  for (const group of groups) {
    try {
      if ((await membership.membersOf(group)).includes(actor.id)) return true;
    } catch (error) {
      unreadable ??= error instanceof Error ? error.message : String(error);
    }
  }
  return unreadable === undefined ? false : { unreadable };
}

/**
 * Whether `approver` may vote on a request made by `requesterId` under `rule`. No one approves
 * their own request; with no users or groups listed, anyone else may.
 */
export async function checkApprover(
  rule: Pick<ApprovalRule, 'users' | 'groups'>,
  approver: Actor,
  requesterId: string,
  membership?: GroupMembership,
): Promise<ApproverCheck> {
  if (approver.id === requesterId) {
    return { ok: false, code: 'SELF_APPROVAL', reason: 'You cannot approve your own request.' };
  }
  if (rule.users.length === 0 && rule.groups.length === 0) return { ok: true };
  if (rule.users.includes(approver.id)) return { ok: true };
  const inGroup = await inAnyGroup(approver, rule.groups, membership);
  if (inGroup === true) return { ok: true };
  if (inGroup !== false) {
    return {
      ok: false,
      code: 'MEMBERSHIP_UNAVAILABLE',
      reason: `Could not check user group membership (${inGroup.unreadable}); try again shortly.`,
    };
  }
  return {
    ok: false,
    code: 'NOT_AN_APPROVER',
    reason: `Only ${describeApprovers(rule)} may approve this request.`,
  };
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
