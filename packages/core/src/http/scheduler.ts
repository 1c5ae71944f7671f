import type { IncomingHttpHeaders } from 'node:http';
import { bucketKeyOf } from './endpoint-sets.js';
import type { RequestPriority } from './priority.js';
import { parseRetryAfter, realSleep, type Sleep } from './retry.js';

/** Time as the scheduler sees it; tests give it the simulator's manual clock. */
export interface SchedulerClock {
  now(): number;
  /** Resolves after `ms` (rejecting when `signal` aborts). */
  wait: Sleep;
}

export interface SchedulerOptions {
  /**
   * Background requests a minute per endpoint set and project (the way Atlas counts). Interactive
   * requests count against it too, so background work pays for them, but never wait for it.
   */
  requestsPerMinute?: number;
  /** The share of Atlas's own bucket (`RateLimit-Limit`) background work leaves to people. */
  reserveFraction?: number;
  clock?: SchedulerClock;
}

export const defaultRequestsPerMinute = 30;

export interface AtlasBucketState {
  /** `<endpoint set>|<project id>` (or `|identity` for the project list). */
  bucket: string;
  /** What Atlas last said in `RateLimit-Limit` / `RateLimit-Remaining`, when it said it. */
  limit: number | undefined;
  remaining: number | undefined;
  /** Budget tokens left in this bucket (can be below zero after interactive bursts). */
  budgetLeft: number;
  /** Set while every request to this bucket waits out Atlas's `Retry-After`. */
  holdUntil: number | undefined;
}

export interface SchedulerState {
  requestsPerMinute: number;
  queued: Record<RequestPriority, number>;
  inFlight: Record<RequestPriority, number>;
  /** Background requests waiting for the budget, for Atlas's bucket, or out a `Retry-After`. */
  heldBack: number;
  /** 429 answers seen, by the priority of the request that got them. */
  rateLimited: Record<RequestPriority, number>;
  sent: Record<RequestPriority, number>;
  buckets: AtlasBucketState[];
}

/** Handed out for each request sent: tell it how Atlas answered. */
export interface RequestTicket {
  finish(status: number | undefined, headers?: IncomingHttpHeaders): void;
}

interface Bucket {
  key: string;
  tokens: number;
  refilledAt: number;
  limit: number | undefined;
  remaining: number | undefined;
  holdUntil: number;
  /** When the latest 429 came. */
  holdSetAt: number;
  /** Earliest time a background request may test a bucket Atlas says is nearly empty. */
  nextProbeAt: number;
  probeMs: number;
}

const firstProbeMs = 5_000;
const maxProbeMs = 60_000;

const headerNumber = (value: string | string[] | undefined): number | undefined => {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined || !/^\s*\d+\s*$/.test(raw)) return undefined;
  return Number(raw);
};

const counts = (): Record<RequestPriority, number> => ({ interactive: 0, background: 0 });

/**
 * Paces the requests of one Atlas connection, shared by everything in the process:
 * - a client-side token bucket per endpoint set and project caps background work at
 *   `requestsPerMinute`;
 * - Atlas's own `RateLimit-Limit` / `RateLimit-Remaining` keep background work out of the part of
 *   Atlas's bucket reserved for people (it probes now and then, slower and slower, to learn when
 *   the bucket has refilled);
 * - a 429's `Retry-After` holds every request to that bucket, interactive ones included, since
 *   sending them would only earn more 429s;
 * - interactive requests go first: they never wait for the budget or the reserve.
 */
export class RequestScheduler {
  readonly requestsPerMinute: number;
  private readonly reserveFraction: number;
  private readonly clock: SchedulerClock;
  private readonly buckets = new Map<string, Bucket>();
  private readonly queued = counts();
  private readonly inFlight = counts();
  private readonly rateLimited = counts();
  private readonly sent = counts();
  private heldBack = 0;
  private readonly listeners = new Set<() => void>();

  constructor(options: SchedulerOptions = {}) {
    const rpm = options.requestsPerMinute ?? defaultRequestsPerMinute;
    if (!Number.isFinite(rpm) || rpm <= 0)
      throw new RangeError(`requestsPerMinute must be above 0, got ${rpm}`);
    this.requestsPerMinute = rpm;
    this.reserveFraction = Math.min(0.9, Math.max(0, options.reserveFraction ?? 0.5));
    this.clock = options.clock ?? { now: Date.now, wait: realSleep };
  }

  /**
   * Waits until a request to `path` may be sent at `priority`, then counts it as in flight.
   * `sleptMs` is given on the retry of a request that got a 429 and has slept that long since:
   * it is held only for what is left of `Retry-After`.
   */
  async acquire(
    path: string,
    priority: RequestPriority,
    signal?: AbortSignal,
    sleptMs?: number,
  ): Promise<RequestTicket> {
    const bucket = this.bucket(bucketKeyOf(path));
    const now = this.clock.now();
    const served = sleptMs === undefined ? now : Math.max(now, bucket.holdSetAt + sleptMs);
    let delay = this.delayFor(bucket, priority, now, served);
    if (delay > 0) {
      this.queued[priority] += 1;
      if (priority === 'background') this.heldBack += 1;
      this.emit();
      try {
        while (delay > 0) {
          const before = this.clock.now();
          await this.clock.wait(delay, signal);
          // A clock that skips waits (a test's) has served the wait all the same.
          if (this.clock.now() - before < delay) break;
          delay = this.delayFor(bucket, priority, this.clock.now());
        }
      } finally {
        this.queued[priority] -= 1;
        if (priority === 'background') this.heldBack -= 1;
      }
    }
    this.grant(bucket, priority, this.clock.now());
    let finished = false;
    return {
      finish: (status, headers) => {
        if (finished) return;
        finished = true;
        this.inFlight[priority] -= 1;
        this.observe(bucket, priority, status, headers);
        this.emit();
      },
    };
  }

  state(): SchedulerState {
    const now = this.clock.now();
    return {
      requestsPerMinute: this.requestsPerMinute,
      queued: { ...this.queued },
      inFlight: { ...this.inFlight },
      heldBack: this.heldBack,
      rateLimited: { ...this.rateLimited },
      sent: { ...this.sent },
      buckets: [...this.buckets.values()].map((b) => {
        this.refill(b, now);
        return {
          bucket: b.key,
          limit: b.limit,
          remaining: b.remaining,
          budgetLeft: Math.floor(b.tokens),
          holdUntil: b.holdUntil > now ? b.holdUntil : undefined,
        };
      }),
    };
  }

  /** Background requests being held back right now (a primitive, for useSyncExternalStore). */
  getHeldBack = (): number => this.heldBack;

  /** The latest moment a bucket is held by a 429, or 0: front ends stretch their refresh by it. */
  holdUntil(): number {
    let until = 0;
    for (const b of this.buckets.values()) until = Math.max(until, b.holdUntil);
    return until > this.clock.now() ? until : 0;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private get capacity(): number {
    // A few requests at once (one per cluster on a page, say), but never a minute's worth.
    return Math.max(1, Math.ceil(this.requestsPerMinute / 6));
  }

  private bucket(key: string): Bucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = {
        key,
        tokens: this.capacity,
        refilledAt: this.clock.now(),
        limit: undefined,
        remaining: undefined,
        holdUntil: 0,
        holdSetAt: 0,
        nextProbeAt: 0,
        probeMs: firstProbeMs,
      };
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  private refill(bucket: Bucket, now: number): void {
    const elapsed = Math.max(0, now - bucket.refilledAt);
    bucket.tokens = Math.min(this.capacity, bucket.tokens + (elapsed * this.requestsPerMinute) / 60_000);
    bucket.refilledAt = Math.max(bucket.refilledAt, now);
  }

  private atlasLow(bucket: Bucket): boolean {
    if (bucket.limit === undefined || bucket.remaining === undefined) return false;
    return bucket.remaining <= Math.ceil(bucket.limit * this.reserveFraction);
  }

  /** How long a request must wait before it may go; 0 when it may go now. */
  private delayFor(bucket: Bucket, priority: RequestPriority, now: number, heldUntil = now): number {
    const held = Math.max(now, heldUntil);
    if (bucket.holdUntil > held) return bucket.holdUntil - held;
    if (priority === 'interactive') return 0;
    this.refill(bucket, now);
    if (bucket.tokens < 1) return Math.ceil(((1 - bucket.tokens) * 60_000) / this.requestsPerMinute);
    if (this.atlasLow(bucket) && bucket.nextProbeAt > now) return bucket.nextProbeAt - now;
    return 0;
  }

  private grant(bucket: Bucket, priority: RequestPriority, now: number): void {
    this.refill(bucket, now);
    // Interactive requests may run the budget into debt (background work then waits it out),
    // but not without bound.
    bucket.tokens = Math.max(-this.capacity, bucket.tokens - 1);
    if (priority === 'background' && this.atlasLow(bucket)) {
      // This one is the probe: the next waits longer, until Atlas says the bucket has refilled.
      bucket.probeMs = Math.min(maxProbeMs, bucket.probeMs * 2);
      bucket.nextProbeAt = now + bucket.probeMs;
    }
    this.inFlight[priority] += 1;
    this.sent[priority] += 1;
  }

  private observe(
    bucket: Bucket,
    priority: RequestPriority,
    status: number | undefined,
    headers: IncomingHttpHeaders | undefined,
  ): void {
    const now = this.clock.now();
    const limit = headerNumber(headers?.['ratelimit-limit']);
    const remaining = headerNumber(headers?.['ratelimit-remaining']);
    if (limit !== undefined && remaining !== undefined) {
      const wasLow = this.atlasLow(bucket);
      bucket.limit = limit;
      bucket.remaining = remaining;
      if (!this.atlasLow(bucket)) bucket.probeMs = firstProbeMs;
      else if (!wasLow) bucket.nextProbeAt = Math.max(bucket.nextProbeAt, now + bucket.probeMs);
    }
    if (status === 429) {
      this.rateLimited[priority] += 1;
      const seconds = parseRetryAfter(headers?.['retry-after'], now) ?? 1;
      bucket.holdUntil = Math.max(bucket.holdUntil, now + Math.max(1, seconds) * 1000);
      bucket.holdSetAt = now;
      bucket.remaining = 0;
      bucket.nextProbeAt = Math.max(bucket.nextProbeAt, bucket.holdUntil);
    }
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}
