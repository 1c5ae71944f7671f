import type { z } from 'zod';
import { createAuthenticator, type AtlasCredentials } from '../http/auth.js';
import {
  AtlasTransport,
  createDispatcher,
  type AtlasRequest,
  type TransportOptions,
} from '../http/transport.js';
import { realSleep, type RetryPolicy, type Sleep } from '../http/retry.js';
import { RequestScheduler, type SchedulerClock } from '../http/scheduler.js';
import { paginationQuery, paginated, type Page, type PaginationQuery } from '../schemas/common.js';
import { parseInput, parseResponse } from '../validation.js';
import { createJobOnce, createOnce, type Created } from './create-once.js';

export interface AtlasClientOptions {
  baseUrl: string;
  credentials: AtlasCredentials;
  retry?: Partial<RetryPolicy>;
  /** Injected by tests to observe backoff without waiting. */
  sleep?: Sleep;
  envelope?: boolean;
  pretty?: boolean;
  userAgent?: string;
  requestTimeoutMs?: number;
  dispatcher?: TransportOptions['dispatcher'];
  onEvent?: TransportOptions['onEvent'];
  /** Told of every HTTP exchange with Atlas (operation, status, duration), e.g. for metrics. */
  observer?: TransportOptions['observer'];
  now?: () => number;
  /**
   * Background requests a minute per endpoint set and project (`ATLAS_REQUESTS_PER_MINUTE`);
   * ignored when `scheduler` is given.
   */
  requestsPerMinute?: number;
  /** The connection's request scheduler; by default one of its own, on `now` and `sleep`. */
  scheduler?: RequestScheduler;
  /** The clock of the default scheduler (tests: the simulator's manual clock). */
  schedulerClock?: SchedulerClock;
}

export interface CallOptions {
  signal?: AbortSignal | undefined;
}

export interface CreateResult<T> extends Created<T> {
  /** Correlates the Atlas object with the audit trail. */
  requestRef: string;
}

/** How far back an Atlas object may be dated and still count as the one a doubtful create produced. */
export const reconcileSkewMs = 5 * 60_000;

/**
 * The request core every resource of the client is written over: one transport (auth, retry,
 * versioned media types), answers validated against their schema, pages, and creates that are
 * never sent twice in effect.
 */
export class AtlasApi {
  readonly transport: AtlasTransport;
  readonly baseUrl: string;
  /** Paces every request of this client; front ends read its state. */
  readonly scheduler: RequestScheduler;
  protected readonly now: () => number;
  private closing: Promise<void> | undefined;

  constructor(options: AtlasClientOptions) {
    this.baseUrl = options.baseUrl;
    this.now = options.now ?? Date.now;
    const dispatcher = options.dispatcher ?? createDispatcher(options.requestTimeoutMs);
    this.scheduler =
      options.scheduler ??
      new RequestScheduler({
        requestsPerMinute: options.requestsPerMinute,
        clock: options.schedulerClock ?? { now: this.now, wait: options.sleep ?? realSleep },
      });
    this.transport = new AtlasTransport({
      baseUrl: options.baseUrl,
      auth: createAuthenticator(options.credentials, options.baseUrl, dispatcher, options.now),
      dispatcher,
      ownsDispatcher: options.dispatcher === undefined,
      retry: options.retry,
      sleep: options.sleep,
      envelope: options.envelope,
      pretty: options.pretty,
      userAgent: options.userAgent ?? 'atlas-backups/0.1',
      onEvent: options.onEvent,
      observer: options.observer,
      scheduler: this.scheduler,
    });
  }

  /** Resolves when Atlas requests can be authorised (a service account's token obtained). */
  credentialsReady(): Promise<void> {
    return this.transport.credentialsReady();
  }

  /** Revokes the service-account token and closes connections; safe to call more than once. */
  close(): Promise<void> {
    this.closing ??= this.transport.close();
    return this.closing;
  }

  protected async call<S extends z.ZodType>(
    schema: S,
    req: Omit<AtlasRequest, 'idempotent'> & { idempotent?: boolean },
  ): Promise<z.output<S>> {
    const res = await this.transport.send({ idempotent: req.method !== 'POST', ...req });
    return parseResponse(schema, res.body, req.operationId);
  }

  protected get<S extends z.ZodType>(
    schema: S,
    operationId: string,
    version: string,
    path: string,
    options?: CallOptions,
  ): Promise<z.output<S>> {
    return this.call(schema, { operationId, method: 'GET', path, version, signal: options?.signal });
  }

  protected async page<S extends z.ZodType>(
    item: S,
    operationId: string,
    version: string,
    path: string,
    query: PaginationQuery | undefined,
    options: CallOptions | undefined,
  ): Promise<Page<z.output<S>>> {
    const q = parseInput(paginationQuery, query ?? {}, 'pagination');
    return this.call(paginated(item), {
      operationId,
      method: 'GET',
      path,
      version,
      query: q,
      signal: options?.signal,
    });
  }

  protected createOnce<S extends z.ZodType>(
    schema: S,
    req: AtlasRequest,
    find: () => Promise<z.output<S> | undefined>,
  ): Promise<Created<z.output<S>>> {
    return createOnce(
      this.transport,
      (body, operationId) => parseResponse(schema, body, operationId),
      req,
      find,
    );
  }

  protected createJobOnce<T extends { id: string }>(
    schema: z.ZodType<T>,
    req: AtlasRequest,
    list: () => Promise<T[]>,
    same: (job: T) => boolean,
  ): Promise<Created<T>> {
    return createJobOnce(
      this.transport,
      (body, operationId) => parseResponse(schema, body, operationId),
      req,
      list,
      same,
    );
  }
}

/**
 * What each resource module extends: `withSnapshots(Base)` returns Base with the snapshot calls.
 * TypeScript accepts a class expression as a mixin only over a constructor taking `any[]`.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AtlasApiClass = new (...args: any[]) => AtlasApi;
