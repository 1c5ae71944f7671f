import type { Rng } from './rng.js';

/**
 * One fault to inject into matching requests. `status` alone implies `kind: 'status'`.
 * Resets `when: 'after'` let the request take effect, then destroy the socket unanswered.
 * `malformed` lets the request take effect, then answers 200 with its body cut short (not
 * JSON), as a proxy that drops the end of a response would; answers without a body are kept.
 */
export interface FaultInjection {
  kind?: 'status' | 'reset' | 'delay' | 'malformed';
  status?: number;
  /** `errorCode` of the ApiError body (default: the usual one for the status). */
  errorCode?: string;
  /** `detail` of the ApiError body. */
  detail?: string;
  /** `Retry-After` for 429/503 (default 1 second for 429). */
  retryAfterSeconds?: number;
  when?: 'before' | 'after';
  /** Delay length for `kind: 'delay'`. */
  ms?: number;
  /** How many matching requests it hits (default 1; `Infinity` for all). */
  times?: number;
  method?: string;
  /** Pathname filter: a RegExp, or a substring. Without one, only Atlas API paths match (not OAuth). */
  path?: RegExp | string;
}

export type FaultAction =
  | { kind: 'status'; status: number; retryAfterSeconds?: number; errorCode?: string; detail?: string }
  | { kind: 'reset'; when: 'before' | 'after' }
  | { kind: 'malformed' };

export interface FaultDecision {
  delayMs: number;
  action?: FaultAction;
}

export interface FaultController {
  /** Queues a deterministic fault; rules fire in the order they were injected. */
  inject(fault: FaultInjection): void;
  /** Replaces the random faults with a `--faults` spec, e.g. `429:0.2,503:0.05,reset:0.01,slow:200ms`. */
  configure(spec: string): void;
  /** Drops injected and random faults. */
  clear(): void;
  /** Injected firings still to come. */
  readonly pending: number;
  /** Faults that have fired (injected and random). */
  readonly fired: number;
}

interface Rule {
  action?: FaultAction;
  delayMs: number;
  remaining: number;
  method?: string;
  path?: RegExp | string;
}

interface RandomFault {
  probability: number;
  action?: FaultAction;
  delayMs: number;
}

const NO_FAULT: FaultDecision = { delayMs: 0 };

export class FaultInjector implements FaultController {
  private rules: Rule[] = [];
  private random: RandomFault[] = [];
  private firedCount = 0;

  constructor(
    private readonly rng: Rng,
    spec?: string,
  ) {
    if (spec) this.configure(spec);
  }

  get pending(): number {
    return this.rules.reduce((sum, r) => sum + r.remaining, 0);
  }

  get fired(): number {
    return this.firedCount;
  }

  inject(fault: FaultInjection): void {
    const kind = fault.kind ?? (fault.status !== undefined ? 'status' : undefined);
    const times = fault.times ?? 1;
    if (!(times > 0)) throw new RangeError('fault times must be positive');
    const rule: Rule = {
      delayMs: 0,
      remaining: times,
      method: fault.method?.toUpperCase(),
      path: fault.path,
    };
    if (kind === 'status') {
      const status = fault.status ?? 500;
      if (status < 400 || status > 599)
        throw new RangeError(`fault status must be 4xx or 5xx, got ${status}`);
      rule.action = {
        kind: 'status',
        status,
        ...(fault.errorCode !== undefined ? { errorCode: fault.errorCode } : {}),
        ...(fault.detail !== undefined ? { detail: fault.detail } : {}),
        ...(fault.retryAfterSeconds !== undefined
          ? { retryAfterSeconds: fault.retryAfterSeconds }
          : status === 429
            ? { retryAfterSeconds: 1 }
            : {}),
      };
    } else if (kind === 'reset') {
      rule.action = { kind: 'reset', when: fault.when ?? 'before' };
    } else if (kind === 'malformed') {
      rule.action = { kind: 'malformed' };
    } else if (kind === 'delay') {
      if (!(fault.ms !== undefined && fault.ms >= 0)) throw new RangeError('a delay fault needs ms >= 0');
      rule.delayMs = fault.ms;
    } else {
      throw new RangeError('a fault needs a kind (status, reset, delay or malformed) or a status');
    }
    this.rules.push(rule);
  }

  configure(spec: string): void {
    this.random = parseFaultSpec(spec);
  }

  clear(): void {
    this.rules = [];
    this.random = [];
  }

  /** Decides what happens to one request. Random faults only touch the Atlas API itself. */
  decide(method: string, pathname: string): FaultDecision {
    if (this.rules.length > 0) {
      const index = this.rules.findIndex((r) => matches(r, method, pathname));
      if (index >= 0) {
        const rule = this.rules[index] as Rule;
        rule.remaining--;
        if (rule.remaining <= 0) this.rules.splice(index, 1);
        this.firedCount++;
        return { delayMs: rule.delayMs, ...(rule.action ? { action: rule.action } : {}) };
      }
    }
    if (this.random.length === 0 || !pathname.startsWith('/api/atlas/')) return NO_FAULT;
    let delayMs = 0;
    let action: FaultAction | undefined;
    for (const fault of this.random) {
      if (!this.rng.chance(fault.probability)) continue;
      this.firedCount++;
      delayMs += fault.delayMs;
      action ??= fault.action;
    }
    return action ? { delayMs, action } : delayMs > 0 ? { delayMs } : NO_FAULT;
  }
}

function matches(rule: Rule, method: string, pathname: string): boolean {
  if (rule.method && rule.method !== method) return false;
  if (rule.path === undefined) return pathname.startsWith('/api/atlas/');
  return typeof rule.path === 'string' ? pathname.includes(rule.path) : rule.path.test(pathname);
}

const DURATION = /^(\d+(?:\.\d+)?)(ms|s)?$/;

/**
 * Grammar: comma-separated items, each one of
 *   `<status>:<probability>`      e.g. `429:0.2`, `500:0.05`, `503:0.05`
 *   `reset:<probability>`         connection reset before the request is handled
 *   `reset-after:<probability>`   the request takes effect, then the connection resets
 *   `slow:<duration>[:<probability>]`  e.g. `slow:200ms` (every request) or `slow:2s:0.1`
 */
export function parseFaultSpec(spec: string): RandomFault[] {
  const faults: RandomFault[] = [];
  for (const raw of spec.split(',')) {
    const item = raw.trim();
    if (item === '' || item === 'none') continue;
    const parts = item.split(':');
    const name = (parts[0] ?? '').toLowerCase();
    if (name === 'slow') {
      const duration = DURATION.exec(parts[1] ?? '');
      if (!duration || parts.length > 3)
        throw new SyntaxError(`bad fault "${item}": expected slow:<ms|Ns>[:<probability>]`);
      const ms = Number(duration[1]) * (duration[2] === 's' ? 1000 : 1);
      faults.push({ probability: parts[2] === undefined ? 1 : probability(parts[2], item), delayMs: ms });
      continue;
    }
    if (parts.length !== 2) throw new SyntaxError(`bad fault "${item}": expected <kind>:<probability>`);
    const p = probability(parts[1] as string, item);
    if (name === 'reset' || name === 'reset-before')
      faults.push({ probability: p, delayMs: 0, action: { kind: 'reset', when: 'before' } });
    else if (name === 'reset-after')
      faults.push({ probability: p, delayMs: 0, action: { kind: 'reset', when: 'after' } });
    else if (/^[45]\d\d$/.test(name)) {
      const status = Number(name);
      faults.push({
        probability: p,
        delayMs: 0,
        action: {
          kind: 'status',
          status,
          ...(status === 429 || status === 503 ? { retryAfterSeconds: 1 } : {}),
        },
      });
    } else {
      throw new SyntaxError(`bad fault "${item}": kind must be a 4xx/5xx status, reset, reset-after or slow`);
    }
  }
  return faults;
}

function probability(text: string, item: string): number {
  const p = Number(text);
  if (text.trim() === '' || !Number.isFinite(p) || p < 0 || p > 1) {
    throw new SyntaxError(`bad fault "${item}": probability must be between 0 and 1`);
  }
  return p;
}
