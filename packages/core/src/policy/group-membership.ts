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
