import { randomBytes } from 'node:crypto';
import type { FollowedJob, FollowedJobStore } from './followed-jobs.js';

export interface JobLeasesOptions {
  store: FollowedJobStore;
  /** This replica's name in the lease rows; random by default. */
  owner?: string;
  /** How long a lease lasts without renewal: a dead replica's jobs are taken up after this. */
  ttlMs?: number;
}

/**
 * Which followed jobs this replica follows. Exactly one replica holds a job's lease at a time;
 * leases are renewed while held and lapse when their holder dies, so another replica takes the
 * job up. This decides only who follows which job; how a job's state is read is the follower's.
 */
export class JobLeases {
  readonly owner: string;
  readonly ttlMs: number;
  private readonly held = new Set<number>();
  private readonly store: FollowedJobStore;

  constructor(options: JobLeasesOptions) {
    this.store = options.store;
    this.owner = options.owner ?? `replica-${randomBytes(6).toString('hex')}`;
    this.ttlMs = options.ttlMs ?? 30_000;
  }

  /** How often to renew and look for lapsed leases: well inside one lease. */
  get intervalMs(): number {
    return Math.max(100, Math.floor(this.ttlMs / 3));
  }

  async acquire(id: number): Promise<boolean> {
    const won = await this.store.acquireLease(id, this.owner, this.ttlMs);
    if (won) this.held.add(id);
    return won;
  }

  /** Jobs nobody (alive) follows, taken by this replica: each one won here is followed only here. */
  async takeUnleased(watcher: string): Promise<FollowedJob[]> {
    const taken: FollowedJob[] = [];
    for (const job of await this.store.unleased(watcher, this.owner))
      if (await this.acquire(job.id)) taken.push(job);
    return taken;
  }

  /** Renews every lease held; returns the ids whose lease was lost (stop following those). */
  async renew(): Promise<number[]> {
    const lost: number[] = [];
    for (const id of [...this.held]) {
      if (!(await this.store.renewLease(id, this.owner, this.ttlMs))) {
        this.held.delete(id);
        lost.push(id);
      }
    }
    return lost;
  }

  get count(): number {
    return this.held.size;
  }

  async release(id: number): Promise<void> {
    this.held.delete(id);
    await this.store.releaseLease(id, this.owner);
  }

  /** Hands every job back at once (a clean shutdown), so another replica need not wait out the leases. */
  async releaseAll(): Promise<void> {
    for (const id of [...this.held]) await this.release(id);
  }
}
