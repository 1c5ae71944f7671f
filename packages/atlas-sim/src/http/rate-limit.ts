import type { SimClock } from '../clock.js';
import { ApiError } from './errors.js';
import type { Operation } from './operation.js';

/**
 * Atlas's rate limiting: a token bucket per endpoint set and scope. Each request takes a token;
 * `refillRate` tokens come back every `refillDurationSeconds` (whole intervals, counted on the
 * simulator clock from the bucket's first use), up to `capacity`; an empty bucket answers 429
 * with `Retry-After` until the next refill. Every answer to a limited request carries
 * `RateLimit-Limit` (the capacity) and `RateLimit-Remaining`.
 */

/** Endpoint sets as the simulator groups its operations (Atlas does not publish its own). */
export type EndpointSetId =
  'projects' | 'deployments' | 'backupSnapshots' | 'backupRestores' | 'backupSettings';
export type RateLimitScope = 'GROUP' | 'USER';

export const ENDPOINT_SETS: readonly EndpointSetId[] = [
  'projects',
  'deployments',
  'backupSnapshots',
  'backupRestores',
  'backupSettings',
];

export interface BucketLimits {
  capacity: number;
  refillRate: number;
  refillDurationSeconds: number;
}

/** `capacity`, `refillRate` and `refillDurationSeconds` for every set, overridable per set. */
export interface RateLimitOptions extends Partial<BucketLimits> {
  sets?: Partial<Record<EndpointSetId, Partial<BucketLimits>>>;
}

/** Atlas's long-published project limit: 100 requests a minute. */
export const ATLAS_LIKE_LIMITS: BucketLimits = { capacity: 100, refillRate: 100, refillDurationSeconds: 60 };

export interface RateLimitBucket extends BucketLimits {
  endpointSet: EndpointSetId;
  scope: RateLimitScope;
  /** The project id (GROUP scope) or the API public key / service account client id (USER scope). */
  key: string;
  remaining: number;
  /** When the next `refillRate` tokens arrive. */
  nextRefillAt: Date;
}

export interface RateLimitController {
  readonly enabled: boolean;
  /** Turns limiting on (`true`, a spec like `100/60s` or options) or off; buckets start full. */
  configure(options: RateLimitOptions | boolean | string): void;
  /** The limits in force for a set (undefined when limiting is off). */
  limitsOf(endpointSet: EndpointSetId): BucketLimits | undefined;
  /** Buckets used so far, with what is left in each now. */
  buckets(): RateLimitBucket[];
  /** Refills every bucket. */
  reset(): void;
  /** The endpoint set an operation belongs to. */
  endpointSetOf(operationId: string): EndpointSetId | undefined;
}

export function endpointSetOf(path: string): EndpointSetId {
  if (path === '/api/atlas/v2/groups') return 'projects';
  if (/\/(restoreJobs|collectionRestoreJobs)(\/|$)|\/backup\/download$/.test(path)) return 'backupRestores';
  if (path.includes('/backup/snapshots')) return 'backupSnapshots';
  if (path.includes('/backup')) return 'backupSettings';
  return 'deployments';
}

const scopeOf = (set: EndpointSetId): RateLimitScope => (set === 'projects' ? 'USER' : 'GROUP');

const SPEC = /^(\d+)(?::(\d+))?\/(\d+)s$/;

/**
 * `on` (or `atlas`, `true`): Atlas-like limits, 100 requests a minute per set and project;
 * `off` (or `false`): none; `<capacity>/<seconds>s`: a bucket of that many tokens refilled in
 * full every so many seconds, e.g. `100/60s`; `<capacity>:<refill>/<seconds>s`: `refill`
 * tokens every so many seconds, e.g. `10:5/60s`.
 */
export function parseRateLimitSpec(spec: string): RateLimitOptions | false {
  const text = spec.trim().toLowerCase();
  if (text === 'off' || text === 'false' || text === 'none') return false;
  if (text === 'on' || text === 'atlas' || text === 'true') return {};
  const bad = () =>
    new SyntaxError(
      `bad rate limit "${spec}": expected on, off, <capacity>/<seconds>s (e.g. 100/60s) or <capacity>:<refill>/<seconds>s (e.g. 10:5/60s), all at least 1`,
    );
  const match = SPEC.exec(text);
  if (!match) throw bad();
  const capacity = Number(match[1]);
  const refill = Number(match[2] ?? match[1]);
  const seconds = Number(match[3]);
  if ([capacity, refill, seconds].some((n) => !Number.isSafeInteger(n) || n < 1)) throw bad();
  return { capacity, refillRate: refill, refillDurationSeconds: seconds };
}

function checkLimits(limits: BucketLimits, where: string): BucketLimits {
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || (value as number) < 1)
      throw new RangeError(`rate limit ${where}${name} must be an integer >= 1, got ${String(value)}`);
  }
  return limits;
}

interface Bucket {
  endpointSet: EndpointSetId;
  key: string;
  limits: BucketLimits;
  tokens: number;
  /** Start of the current refill interval. */
  anchor: number;
}

export interface RateDecision {
  headers: Record<string, string>;
  /** Set when the bucket was empty: the 429 to answer with. */
  refusal?: ApiError;
}

export class RateLimiter implements RateLimitController {
  private limits: Map<EndpointSetId, BucketLimits> | undefined;
  private readonly state = new Map<string, Bucket>();
  private readonly setByOperation = new Map<string, EndpointSetId>();

  constructor(
    private readonly clock: SimClock,
    operations: readonly Operation[],
    options: RateLimitOptions | boolean | string | undefined,
  ) {
    for (const op of operations) this.setByOperation.set(op.operationId, endpointSetOf(op.path));
    this.configure(options ?? false);
  }

  get enabled(): boolean {
    return this.limits !== undefined;
  }

  configure(options: RateLimitOptions | boolean | string): void {
    const parsed =
      typeof options === 'string' ? parseRateLimitSpec(options) : options === true ? {} : options;
    this.state.clear();
    if (parsed === false) {
      this.limits = undefined;
      return;
    }
    const base: BucketLimits = {
      capacity: parsed.capacity ?? ATLAS_LIKE_LIMITS.capacity,
      refillRate: parsed.refillRate ?? parsed.capacity ?? ATLAS_LIKE_LIMITS.refillRate,
      refillDurationSeconds: parsed.refillDurationSeconds ?? ATLAS_LIKE_LIMITS.refillDurationSeconds,
    };
    const limits = new Map<EndpointSetId, BucketLimits>();
    for (const set of ENDPOINT_SETS) {
      const own = parsed.sets?.[set] ?? {};
      limits.set(
        set,
        checkLimits(
          {
            capacity: own.capacity ?? base.capacity,
            refillRate: own.refillRate ?? own.capacity ?? base.refillRate,
            refillDurationSeconds: own.refillDurationSeconds ?? base.refillDurationSeconds,
          },
          `${set}.`,
        ),
      );
    }
    for (const set of Object.keys(parsed.sets ?? {})) {
      if (!limits.has(set as EndpointSetId))
        throw new RangeError(`unknown endpoint set "${set}" (known: ${ENDPOINT_SETS.join(', ')})`);
    }
    this.limits = limits;
  }

  limitsOf(endpointSet: EndpointSetId): BucketLimits | undefined {
    const limits = this.limits?.get(endpointSet);
    return limits ? { ...limits } : undefined;
  }

  endpointSetOf(operationId: string): EndpointSetId | undefined {
    return this.setByOperation.get(operationId);
  }

  reset(): void {
    this.state.clear();
  }

  buckets(): RateLimitBucket[] {
    const now = this.clock.now();
    return [...this.state.values()].map((b) => {
      this.refill(b, now);
      return {
        endpointSet: b.endpointSet,
        scope: scopeOf(b.endpointSet),
        key: b.key,
        ...b.limits,
        remaining: b.tokens,
        nextRefillAt: new Date(b.anchor + b.limits.refillDurationSeconds * 1000),
      };
    });
  }

  /** Takes a token for one request; undefined when limiting is off. */
  take(
    operation: Operation,
    groupId: string | undefined,
    user: string,
    now: number,
  ): RateDecision | undefined {
    if (!this.limits) return undefined;
    const set = this.setByOperation.get(operation.operationId) ?? endpointSetOf(operation.path);
    const limits = this.limits.get(set) ?? ATLAS_LIKE_LIMITS;
    const key = scopeOf(set) === 'USER' ? user : (groupId ?? user);
    const id = `${set}|${key}`;
    let bucket = this.state.get(id);
    if (!bucket) {
      bucket = { endpointSet: set, key, limits, tokens: limits.capacity, anchor: now };
      this.state.set(id, bucket);
    }
    this.refill(bucket, now);
    const limit = String(limits.capacity);
    if (bucket.tokens > 0) {
      bucket.tokens--;
      return { headers: { 'RateLimit-Limit': limit, 'RateLimit-Remaining': String(bucket.tokens) } };
    }
    const wait = Math.max(1, Math.ceil((bucket.anchor + limits.refillDurationSeconds * 1000 - now) / 1000));
    const headers = { 'RateLimit-Limit': limit, 'RateLimit-Remaining': '0', 'Retry-After': String(wait) };
    const refusal = new ApiError(
      429,
      'RATE_LIMITED_TOKEN_BUCKET',
      `Rate limit exceeded for ${operation.path.slice(1)}. Please retry after ${wait} seconds. Request capacity: ${limits.capacity}. Refill rate: ${limits.refillRate} per ${limits.refillDurationSeconds} seconds.`,
      { headers },
    );
    return { headers, refusal };
  }

  private refill(bucket: Bucket, now: number): void {
    const interval = bucket.limits.refillDurationSeconds * 1000;
    if (now < bucket.anchor) {
      // The clock was set back: start the interval again from now.
      bucket.anchor = now;
      return;
    }
    const intervals = Math.floor((now - bucket.anchor) / interval);
    if (intervals <= 0) return;
    bucket.tokens = Math.min(bucket.limits.capacity, bucket.tokens + intervals * bucket.limits.refillRate);
    bucket.anchor += intervals * interval;
  }
}
