import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { operations } from './api/index.js';
import { AuthManager } from './auth/auth-manager.js';
import { DEFAULT_CREDENTIALS, type SimulatorCredentials } from './auth/credentials.js';
import { createClock, type SimClock } from './clock.js';
import { FaultInjector, type FaultController } from './faults.js';
import { RequestCounter, type RequestCounts } from './http/counter.js';
import { appendBounded, type RecordedResponse, type RequestLogEntry } from './http/observe.js';
import { RateLimiter, type RateLimitController, type RateLimitOptions } from './http/rate-limit.js';
import { Router } from './http/router.js';
import { createRequestHandler, type ServerState } from './http/server.js';
import { SimStore } from './model/store.js';
import { IdFactory, Rng } from './rng.js';
import { seedStore } from './seed/seed.js';
import type { SeedSummary } from './seed/summary.js';

export interface SimulatorOptions {
  /** TCP port; 0 (the default) picks any free port. */
  port?: number;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Seed for the data and for random faults (default 1). */
  seed?: number;
  /** Simulated time per real time in real-clock mode (default 1; 60 = a minute per second). */
  speed?: number;
  /** 'real' follows the wall clock times `speed`; 'manual' only moves with `clock.advance`/`clock.set`. */
  clock?: 'real' | 'manual';
  /** Simulated start time (default: now). */
  now?: Date;
  /** Random faults, e.g. `429:0.2,503:0.05,reset:0.01,slow:200ms`. */
  faults?: string;
  /** Seeds 10,000 snapshots on the primary replica set. */
  large?: boolean;
  /** Accepted credentials; unspecified ones keep the defaults. */
  credentials?: Partial<SimulatorCredentials>;
  /** Bearer token lifetime, simulated seconds (default 3600). */
  tokenLifetimeSeconds?: number;
  /** Digest nonce lifetime, simulated seconds (default 300). */
  nonceLifetimeSeconds?: number;
  /** Keep every response body for contract checks (see `responses`). */
  recordResponses?: boolean;
  /** Called with every response body as it is sent (what contract checkers hook into). */
  onResponse?: (response: RecordedResponse) => void;
  /**
   * Atlas-like rate limiting (off by default): `true` for 100 requests a minute per endpoint
   * set and project, a spec such as `'10:5/60s'`, or options with per-set limits.
   */
  rateLimit?: boolean | string | RateLimitOptions;
}

export interface RunningSimulator {
  /** Base URL, e.g. `http://127.0.0.1:7700` (what `MONGODB_ATLAS_BASE_URL` should be). */
  url: string;
  credentials: SimulatorCredentials;
  clock: SimClock;
  faults: FaultController;
  auth: { expireNonces(): void; revokeAllTokens(): void };
  stats: { readonly tokensIssued: number; readonly tokensRevoked: number; readonly requests: number };
  /** Every request served, oldest first (bounded to the last 10,000). */
  requests: RequestLogEntry[];
  /** Empties `requests` (and `responses`). */
  clearRequests(): void;
  /** Requests answered so far, in total and per operation (not bounded like `requests`). */
  requestCounts(): RequestCounts;
  resetRequestCounts(): void;
  /** The rate limiter: on or off, its buckets, and changing its limits while running. */
  rateLimits: RateLimitController;
  /** Response bodies with operation id, status and media type (only with `recordResponses`). */
  responses: RecordedResponse[];
  seed: SeedSummary;
  store: SimStore;
  close(): Promise<void>;
}

export const DEFAULT_SEED = 1;

function checkNumber(name: string, value: number | undefined, min: number): void {
  if (value !== undefined && !(Number.isFinite(value) && value >= min)) {
    throw new RangeError(`${name} must be a number >= ${min}, got ${String(value)}`);
  }
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve(server.address() as AddressInfo);
    });
  });
}

function recorder(options: SimulatorOptions, responses: RecordedResponse[]): ServerState['record'] {
  const { recordResponses, onResponse } = options;
  if (!recordResponses && !onResponse) return undefined;
  return (response) => {
    if (recordResponses) appendBounded(responses, response);
    onResponse?.(response);
  };
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/** Starts an Atlas Administration API v2 simulator on a real HTTP port. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  checkNumber('port', options.port, 0);
  checkNumber('speed', options.speed, Number.MIN_VALUE);
  checkNumber('tokenLifetimeSeconds', options.tokenLifetimeSeconds, 1);
  checkNumber('nonceLifetimeSeconds', options.nonceLifetimeSeconds, 1);
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  const clock = createClock({
    mode: options.clock ?? 'real',
    speed: options.speed ?? 1,
    ...(options.now ? { start: options.now } : {}),
  });
  const rng = new Rng(seed);
  const ids = new IdFactory(rng.fork(10));
  const store = new SimStore(clock);
  const seedSummary = seedStore(store, ids, { seed, large: options.large ?? false, now: clock.now() });
  const credentials: SimulatorCredentials = { ...DEFAULT_CREDENTIALS, ...options.credentials };
  const auth = new AuthManager({
    credentials,
    now: () => clock.now(),
    tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3600,
    nonceLifetimeSeconds: options.nonceLifetimeSeconds ?? 300,
  });
  const faults = new FaultInjector(rng.fork(20), options.faults);
  const requests: RequestLogEntry[] = [];
  const responses: RecordedResponse[] = [];
  const counters = { requests: 0 };
  const counter = new RequestCounter();
  let rateLimiter: RateLimiter;
  try {
    rateLimiter = new RateLimiter(clock, operations, options.rateLimit);
  } catch (err) {
    throw new RangeError(`rateLimit: ${err instanceof Error ? err.message : String(err)}`);
  }
  const state: ServerState = {
    router: new Router(operations),
    auth,
    faults,
    clock,
    store,
    ids,
    rng: rng.fork(30),
    baseUrl: '',
    requests,
    record: recorder(options, responses),
    counters,
    counter,
    rateLimiter,
  };
  const handler = createRequestHandler(state);
  const server = createServer((req, res) => {
    void handler(req, res);
  });
  server.keepAliveTimeout = 10_000;
  const host = options.host ?? '127.0.0.1';
  const address = await listen(server, options.port ?? 0, host);
  const url = `http://${urlHost(host)}:${address.port}`;
  state.baseUrl = url;

  let closed: Promise<void> | undefined;
  return {
    url,
    credentials,
    clock,
    faults,
    auth: { expireNonces: () => auth.expireNonces(), revokeAllTokens: () => auth.revokeAllTokens() },
    stats: {
      get tokensIssued() {
        return auth.tokens.issued;
      },
      get tokensRevoked() {
        return auth.tokens.revoked;
      },
      get requests() {
        return counters.requests;
      },
    },
    requests,
    clearRequests() {
      requests.length = 0;
      responses.length = 0;
    },
    requestCounts: () => counter.snapshot(),
    resetRequestCounts: () => counter.reset(),
    rateLimits: rateLimiter,
    responses,
    seed: seedSummary,
    store,
    close() {
      closed ??= new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
