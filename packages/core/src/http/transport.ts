import { Agent, request, type Dispatcher } from 'undici';
import { AtlasApiError, TransportError, type AtlasErrorBody } from '../errors.js';
import type { Authenticator } from './auth.js';
import { currentPriority, type RequestPriority } from './priority.js';
import {
  defaultRetryPolicy,
  failedBeforeSending,
  isRetryableNetworkError,
  parseRetryAfter,
  realSleep,
  retryDelayMs,
  retryableStatuses,
  type RetryPolicy,
  type Sleep,
} from './retry.js';
import type { RequestScheduler } from './scheduler.js';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';
export type QueryValue = string | number | boolean | undefined;

export interface AtlasRequest {
  operationId: string;
  method: HttpMethod;
  /** Path below the base URL, already encoded. */
  path: string;
  /** `YYYY-MM-DD` API version; sent as the media type of Accept and Content-Type. */
  version: string;
  query?: Record<string, QueryValue> | undefined;
  body?: unknown;
  /**
   * False for creates: a create is only repeated when Atlas definitely did not act on it;
   * otherwise the caller is told the outcome is unknown and reconciles.
   */
  idempotent: boolean;
  signal?: AbortSignal | undefined;
  /** Who waits for it; by default the caller's (see `withPriority`), else interactive. */
  priority?: RequestPriority | undefined;
}

export interface AtlasResponse {
  status: number;
  body: unknown;
}

/** The request may or may not have taken effect in Atlas (connection lost, 502/503/504 on a create). */
export class UncertainOutcome extends Error {
  constructor(cause: unknown) {
    super('outcome unknown', { cause });
  }
}

export type TransportEvent =
  | { type: 'retry'; operationId: string; attempt: number; delayMs: number; reason: string }
  | { type: 'reauthenticate'; operationId: string };

/** One HTTP exchange with Atlas: each attempt, retried ones and 429s included. */
export interface AtlasCall {
  operationId: string;
  method: HttpMethod;
  /** The HTTP status, or `network_error` when no answer came. */
  status: number | 'network_error';
  attempt: number;
  durationMs: number;
}

export interface TransportOptions {
  baseUrl: string;
  auth: Authenticator;
  dispatcher?: Dispatcher | undefined;
  /** Close the dispatcher with the transport (true when the transport made it). */
  ownsDispatcher?: boolean | undefined;
  retry?: Partial<RetryPolicy> | undefined;
  sleep?: Sleep | undefined;
  envelope?: boolean | undefined;
  pretty?: boolean | undefined;
  userAgent?: string | undefined;
  requestTimeoutMs?: number | undefined;
  onEvent?: ((event: TransportEvent) => void) | undefined;
  /** Told of every exchange (metrics, logs); must not throw. */
  observer?: ((call: AtlasCall) => void) | undefined;
  /** Paces every request of this connection (budget, Atlas's rate limit headers, priorities). */
  scheduler?: RequestScheduler | undefined;
}

export function createDispatcher(requestTimeoutMs = 60_000): Dispatcher {
  return new Agent({
    connections: 64,
    keepAliveTimeout: 10_000,
    headersTimeout: requestTimeoutMs,
    bodyTimeout: requestTimeoutMs,
  });
}

export const mediaType = (version: string) => `application/vnd.atlas.${version}+json`;

export class AtlasTransport {
  readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly origin: string;
  private readonly retry: RetryPolicy;
  private readonly sleep: Sleep;

  constructor(private readonly options: TransportOptions) {
    this.ownsDispatcher = options.ownsDispatcher ?? options.dispatcher === undefined;
    this.dispatcher = options.dispatcher ?? createDispatcher(options.requestTimeoutMs);
    this.origin = options.baseUrl.replace(/\/+$/, '');
    this.retry = { ...defaultRetryPolicy, ...options.retry };
    this.sleep = options.sleep ?? realSleep;
  }

  private pathWithQuery(req: AtlasRequest): string {
    if (req.query === undefined && !this.options.envelope && !this.options.pretty) return req.path;
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(req.query ?? {})) {
      if (value !== undefined) params.set(key, String(value));
    }
    if (this.options.envelope) params.set('envelope', 'true');
    if (this.options.pretty) params.set('pretty', 'true');
    const qs = params.toString();
    return qs ? `${req.path}?${qs}` : req.path;
  }

  async send(req: AtlasRequest): Promise<AtlasResponse> {
    const pathAndQuery = this.pathWithQuery(req);
    const type = mediaType(req.version);
    const body = req.body === undefined ? undefined : JSON.stringify(req.body);
    let reauthenticated = false;
    const priority = req.priority ?? currentPriority();
    const scheduler = this.options.scheduler;

    let sleptAfter429: number | undefined;

    for (let attempt = 1; ; attempt += 1) {
      const ticket = await scheduler?.acquire(req.path, priority, req.signal, sleptAfter429);
      sleptAfter429 = undefined;
      let auth: Awaited<ReturnType<Authenticator['authorize']>>;
      try {
        auth = await this.options.auth.authorize(req.method, pathAndQuery);
      } catch (error) {
        ticket?.finish(undefined);
        throw error;
      }
      const headers: Record<string, string> = { accept: type };
      if (auth.header) headers.authorization = auth.header;
      if (body !== undefined) headers['content-type'] = type;
      if (this.options.userAgent) headers['user-agent'] = this.options.userAgent;

      let res: Dispatcher.ResponseData;
      let text: string;
      const startedAt = performance.now();
      try {
        res = await request(this.origin + pathAndQuery, {
          method: req.method,
          headers,
          body,
          dispatcher: this.dispatcher,
          signal: req.signal,
        });
        text = await res.body.text();
        this.observe(req, attempt, res.statusCode, startedAt);
      } catch (error) {
        this.observe(req, attempt, 'network_error', startedAt);
        ticket?.finish(undefined);
        if (req.signal?.aborted) throw error;
        const retryable = isRetryableNetworkError(error);
        if (retryable && !req.idempotent && !failedBeforeSending(error)) throw new UncertainOutcome(error);
        if (retryable && attempt < this.retry.maxAttempts) {
          await this.backoff(req, attempt, undefined, (error as { code?: string }).code ?? 'network error');
          continue;
        }
        throw new TransportError(req.operationId, error);
      }

      if (res.statusCode === 401 && !reauthenticated) {
        if (this.options.auth.onUnauthorized(auth, res.headers['www-authenticate'])) {
          ticket?.finish(401, res.headers);
          reauthenticated = auth.header !== undefined;
          if (reauthenticated)
            this.options.onEvent?.({ type: 'reauthenticate', operationId: req.operationId });
          attempt -= 1; // answering a challenge is not a retry
          continue;
        }
      }

      let status = res.statusCode;
      let payload = parseJson(text);
      if (this.options.envelope && isRecord(payload) && typeof payload.status === 'number') {
        status = payload.status;
        payload = 'content' in payload ? payload.content : payload;
      }
      ticket?.finish(status, res.headers);

      if (status < 400) return { status, body: payload };

      const retryAfter = parseRetryAfter(res.headers['retry-after']);
      const error = new AtlasApiError(req.operationId, status, toErrorBody(status, payload), retryAfter);
      if (retryableStatuses.has(status)) {
        // A 429 is refused before any work is done; other gateway errors leave a create in doubt.
        if (!req.idempotent && status !== 429) throw new UncertainOutcome(error);
        if (attempt < this.retry.maxAttempts) {
          const slept = await this.backoff(req, attempt, retryAfter, `HTTP ${status}`);
          if (status === 429) sleptAfter429 = slept;
          continue;
        }
      }
      throw error;
    }
  }

  private observe(req: AtlasRequest, attempt: number, status: AtlasCall['status'], startedAt: number): void {
    const observer = this.options.observer;
    if (!observer) return;
    try {
      observer({
        operationId: req.operationId,
        method: req.method,
        status,
        attempt,
        durationMs: performance.now() - startedAt,
      });
    } catch {
      // An observer's failure must not change what the caller gets.
    }
  }

  /** Whether requests can be authorised now: a service account's token is obtained (or reused). */
  async credentialsReady(): Promise<void> {
    await this.options.auth.ready();
  }

  /** Waits before the next attempt; returns how long. */
  private async backoff(
    req: AtlasRequest,
    attempt: number,
    retryAfter: number | undefined,
    reason: string,
  ): Promise<number> {
    const delayMs = retryDelayMs(this.retry, attempt, retryAfter);
    this.options.onEvent?.({ type: 'retry', operationId: req.operationId, attempt, delayMs, reason });
    await this.sleep(delayMs, req.signal);
    return delayMs;
  }

  /** Waits before another go at a create whose outcome was checked and found not to have happened. */
  async pause(req: AtlasRequest, attempt: number, reason: string): Promise<void> {
    await this.backoff(req, attempt, undefined, reason);
  }

  get maxAttempts(): number {
    return this.retry.maxAttempts;
  }

  async close(): Promise<void> {
    await this.options.auth.close();
    if (this.ownsDispatcher) await this.dispatcher.close();
  }
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function toErrorBody(status: number, payload: unknown): AtlasErrorBody {
  if (isRecord(payload) && typeof payload.errorCode === 'string') {
    return {
      error: typeof payload.error === 'number' ? payload.error : status,
      errorCode: payload.errorCode,
      detail: typeof payload.detail === 'string' ? payload.detail : undefined,
      reason: typeof payload.reason === 'string' ? payload.reason : undefined,
      parameters: Array.isArray(payload.parameters) ? payload.parameters : undefined,
      badRequestDetail: isRecord(payload.badRequestDetail) ? payload.badRequestDetail : undefined,
    };
  }
  return { error: status, errorCode: `HTTP_${status}`, detail: undefined, reason: undefined };
}
