import type { Actor } from '../actions/types.js';

/** Who is in a chat user group. The Slack bot implements it with `usergroups.users.list`. */
export interface GroupMembership {
  membersOf(groupId: string): Promise<string[]>;
}

/** Fixed memberships: for tests, for workspaces without user groups, and for front ends with none. */
export class StaticGroupMembership implements GroupMembership {
  private readonly groups: Map<string, string[]>;
  constructor(groups: Record<string, string[]> = {}) {
    this.groups = new Map(Object.entries(groups));
  }
  async membersOf(groupId: string): Promise<string[]> {
    return [...(this.groups.get(groupId) ?? [])];
  }
}

export interface CachedGroupMembershipOptions {
  /** Fetches a group's members from the source (Slack). Errors propagate unless a stale copy exists. */
  fetch: (groupId: string) => Promise<string[]>;
  /** How long a fetched member list is used before it is fetched again. */
  ttlMs?: number;
  /** How long an outdated list may still be used when fetching fails (the source is down). */
  staleIfErrorMs?: number;
  now?: () => number;
}

/**
 * Caches member lists per group for `ttlMs`, and shares one fetch among concurrent lookups of
 * the same group (fifty simultaneous Approve clicks cost one API call). When a refresh fails,
 * a list younger than `staleIfErrorMs` is used rather than refusing everyone.
 */
export class CachedGroupMembership implements GroupMembership {
  private readonly cache = new Map<string, { members: string[]; at: number }>();
  private readonly inFlight = new Map<string, Promise<string[]>>();
  private readonly ttlMs: number;
  private readonly staleIfErrorMs: number;
  private readonly now: () => number;
  /** Calls made to `fetch`; for tests and diagnostics. */
  fetches = 0;

  constructor(private readonly options: CachedGroupMembershipOptions) {
    this.ttlMs = options.ttlMs ?? 5 * 60_000;
    this.staleIfErrorMs = options.staleIfErrorMs ?? 60 * 60_000;
    this.now = options.now ?? Date.now;
  }

  async membersOf(groupId: string): Promise<string[]> {
    const cached = this.cache.get(groupId);
    if (cached && this.now() - cached.at < this.ttlMs) return [...cached.members];
    const pending = this.inFlight.get(groupId);
    if (pending) return [...(await pending)];

    const load = (async () => {
      this.fetches += 1;
      try {
        const members = await this.options.fetch(groupId);
        this.cache.set(groupId, { members: [...members], at: this.now() });
        return members;
      } catch (error) {
        if (cached && this.now() - cached.at < this.staleIfErrorMs) return cached.members;
        throw error;
      } finally {
        this.inFlight.delete(groupId);
      }
    })();
    this.inFlight.set(groupId, load);
    return [...(await load)];
  }

  /** Forgets one group (or all), e.g. when Slack reports a membership change. */
  invalidate(groupId?: string): void {
    if (groupId === undefined) this.cache.clear();
    else this.cache.delete(groupId);
  }
}

/**
 * Whether the actor is in one of the groups; `unreadable` (why) when that cannot be known: some
 * group could not be read, or there is no way to read groups at all, and no readable group
 * includes them.
 */
export async function inAnyGroup(
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

/** Whether the actor is one of `users` or in one of `groups`; `unreadable` when groups could not be read. */
export async function isListed(
  users: readonly string[],
  groups: readonly string[],
  actor: Actor,
  membership: GroupMembership | undefined,
): Promise<boolean | 'unreadable'> {
  if (users.includes(actor.id)) return true;
  const inGroup = await inAnyGroup(actor, groups, membership);
  return typeof inGroup === 'boolean' ? inGroup : 'unreadable';
}
