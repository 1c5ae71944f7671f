import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthManager } from '../auth/auth-manager.js';
import type { SimClock } from '../clock.js';
import type { FaultAction, FaultInjector } from '../faults.js';
import type { SimStore } from '../model/store.js';
import type { IdFactory, Rng } from '../rng.js';
import { readJson, readText } from './body.js';
import { ApiError, notFound } from './errors.js';
import type { HandlerContext, HandlerResult } from './operation.js';
import type { RequestCounter } from './counter.js';
import { appendBounded, type RecordedResponse, type RequestLogEntry } from './observe.js';
import { parseCommonQuery, type CommonQuery } from './query.js';
import type { RateLimiter } from './rate-limit.js';
import type { Router } from './router.js';
import { negotiateVersion } from './versions.js';
import { applyViewOverrides } from './view-overrides.js';

export interface ServerState {
  router: Router;
  auth: AuthManager;
  faults: FaultInjector;
  clock: SimClock;
  store: SimStore;
  ids: IdFactory;
  rng: Rng;
  baseUrl: string;
  requests: RequestLogEntry[];
  /** Receives each response body when recording is on. */
  record: ((response: RecordedResponse) => void) | undefined;
  counters: { requests: number };
  counter: RequestCounter;
  rateLimiter: RateLimiter;
}

const JSON_TYPE = 'application/json';
/** Handlers only read the query; requests without one share this. */
const EMPTY_QUERY = new URLSearchParams();
/** Operation id recorded for errors raised before a route matched (auth, unknown paths). */
export const UNROUTED = '(unrouted)';
const ERROR_CODES: Record<number, string> = {
  429: 'RATE_LIMITED',
  500: 'UNEXPECTED_ERROR',
  502: 'BAD_GATEWAY',
  503: 'SERVICE_UNAVAILABLE',
  504: 'GATEWAY_TIMEOUT',
};

interface Outcome {
  status: number;
  operationId?: string;
  /** A reset-after fault is pending: whatever the handler answers, the client gets a reset. */
  resetAfter?: boolean;
  /** `RateLimit-*` headers every answer to this request carries, errors included. */
  headers?: Record<string, string>;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Answers without a response: the client sees the connection drop (ECONNRESET where possible). */
function resetConnection(req: IncomingMessage): void {
  const socket = req.socket;
  if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
  else socket.destroy();
}

function faultError(action: Extract<FaultAction, { kind: 'status' }>): ApiError {
  const headers: Record<string, string> = {};
  if (action.retryAfterSeconds !== undefined) headers['Retry-After'] = String(action.retryAfterSeconds);
  if (action.status === 429) {
    headers['RateLimit-Limit'] = '100';
    headers['RateLimit-Remaining'] = '0';
  }
  const detail =
    action.status === 429
      ? 'You have exceeded the rate limit for this resource. Retry after the time given in Retry-After.'
      : 'The simulator injected this failure.';
  const errorCode = action.errorCode ?? ERROR_CODES[action.status] ?? 'UNEXPECTED_ERROR';
  return new ApiError(action.status, errorCode, action.detail ?? detail, { headers });
}

function write(
  res: ServerResponse,
  status: number,
  payload: string | undefined,
  contentType: string,
  headers?: Record<string, string | string[]>,
): void {
  if (headers) for (const name in headers) res.setHeader(name, headers[name] as string | string[]);
  if (payload === undefined) {
    res.writeHead(status);
    res.end();
    return;
  }
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(payload) });
  res.end(payload);
}

function serialize(body: unknown, pretty: boolean): string {
  return pretty ? JSON.stringify(body, null, 2) : JSON.stringify(body);
}

/** Builds the `links` of a paginated list the way Atlas does: self, plus previous/next when they exist. */
function pageLinks(
  state: ServerState,
  pathname: string,
  query: URLSearchParams | undefined,
  common: CommonQuery,
  total: number,
) {
  const href = (pageNum: number): string => {
    const params = new URLSearchParams(query);
    params.set('pageNum', String(pageNum));
    params.set('itemsPerPage', String(common.itemsPerPage));
    return `${state.baseUrl}${pathname}?${params.toString()}`;
  };
  const links = [{ href: href(common.pageNum), rel: 'self' }];
  if (common.pageNum > 1) links.push({ href: href(common.pageNum - 1), rel: 'previous' });
  if (common.pageNum * common.itemsPerPage < total)
    links.push({ href: href(common.pageNum + 1), rel: 'next' });
  return links;
}

export function createRequestHandler(state: ServerState) {
  const recordError = (
    method: string,
    pathname: string,
    operationId: string | undefined,
    error: ApiError,
  ): void => {
    if (!state.record || !pathname.startsWith('/api/')) return;
    state.record({
      operationId: operationId ?? UNROUTED,
      method,
      path: pathname,
      status: error.status,
      mediaType: JSON_TYPE,
      body: error.toBody(),
      envelope: false,
    });
  };

  const sendError = (
    res: ServerResponse,
    error: ApiError,
    pretty: boolean,
    headers: Record<string, string> | undefined,
  ): void => {
    const all = headers ? { ...headers, ...error.headers } : error.headers;
    write(res, error.status, serialize(error.toBody(), pretty), JSON_TYPE, all);
  };

  async function handleOAuth(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    pathname: string,
  ): Promise<Outcome> {
    const decision = state.faults.decide(method, pathname);
    if (decision.delayMs > 0) await sleep(decision.delayMs);
    if (decision.action?.kind === 'reset') {
      if (decision.action.when === 'after') {
        const form = new URLSearchParams(await readText(req));
        if (pathname === '/api/oauth/token') state.auth.token(req.headers.authorization, form);
        else if (pathname === '/api/oauth/revoke') state.auth.revoke(req.headers.authorization, form);
      }
      resetConnection(req);
      return { status: 0 };
    }
    if (decision.action?.kind === 'status') throw faultError(decision.action);
    if (pathname !== '/api/oauth/token' && pathname !== '/api/oauth/revoke')
      throw notFound.resource(method, pathname);
    if (method !== 'POST') {
      throw new ApiError(405, 'METHOD_NOT_ALLOWED', `Method ${method} is not allowed on ${pathname}.`, {
        headers: { Allow: 'POST' },
      });
    }
    const form = new URLSearchParams(await readText(req));
    const result =
      pathname === '/api/oauth/token'
        ? state.auth.token(req.headers.authorization, form)
        : state.auth.revoke(req.headers.authorization, form);
    if (result.body === undefined) write(res, result.status, undefined, JSON_TYPE);
    else write(res, result.status, JSON.stringify(result.body), JSON_TYPE, { 'Cache-Control': 'no-store' });
    return { status: result.status };
  }

  async function handleApi(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    rawUrl: string,
    pathname: string,
    search: string,
    now: number,
    outcome: Outcome,
  ): Promise<Outcome> {
    const user = state.auth.authenticate(method, rawUrl, req.headers.authorization);
    const decision = state.faults.decide(method, pathname);
    if (decision.delayMs > 0) await sleep(decision.delayMs);
    const action = decision.action;
    if (action?.kind === 'reset' && action.when === 'before') {
      resetConnection(req);
      return { status: 0 };
    }
    if (action?.kind === 'status') throw faultError(action);
    if (action?.kind === 'reset') outcome.resetAfter = true;

    const { operation, params } = state.router.match(method, pathname);
    outcome.operationId = operation.operationId;
    const limit = state.rateLimiter.take(operation, params.groupId, user, now);
    if (limit) {
      outcome.headers = limit.headers;
      if (limit.refusal) throw limit.refusal;
    }
    const version = negotiateVersion(req.headers.accept, operation, now);
    const query = search === '' ? undefined : new URLSearchParams(search);
    const common = parseCommonQuery(query);
    const body = method === 'POST' || method === 'PATCH' ? await readJson(req) : undefined;
    const ctx: HandlerContext = {
      params,
      query: query ?? EMPTY_QUERY,
      body,
      now: state.clock.now(),
      version: version.date,
      store: state.store,
      ids: state.ids,
      rng: state.rng,
      baseUrl: state.baseUrl,
    };
    const result: HandlerResult = operation.handle(ctx);

    if (action?.kind === 'reset') {
      // The request took effect; the client never hears about it.
      resetConnection(req);
      return { status: 0, operationId: operation.operationId };
    }

    const headers =
      version.sunsetHeader || outcome.headers
        ? { ...outcome.headers, ...(version.sunsetHeader ? { Sunset: version.sunsetHeader } : {}) }
        : undefined;
    let contract: unknown;
    let payload: unknown;
    // A body-less result is a 204 whatever the operation says; the others answer 200 or 201.
    let status: number = operation.successStatus === 204 ? 200 : operation.successStatus;
    let offContract = false;
    if (result.kind === 'empty') {
      write(res, 204, undefined, version.contentType, headers);
      status = 204;
    } else {
      if (result.kind === 'list') {
        const from = (common.pageNum - 1) * common.itemsPerPage;
        const page: Record<string, unknown> = {
          links: pageLinks(state, pathname, query, common, result.total),
          results: from >= result.total ? [] : result.render(from, from + common.itemsPerPage),
        };
        if (common.includeCount) page.totalCount = result.total;
        ({ body: contract, applied: offContract } = applyViewOverrides(state.store, page));
        payload = common.envelope ? { ...(contract as object), status: 200 } : contract;
      } else {
        ({ body: contract, applied: offContract } = applyViewOverrides(state.store, result.body));
        payload = common.envelope ? { content: contract, status } : contract;
      }
      const text = serialize(payload, common.pretty);
      if (action?.kind === 'malformed') {
        // The request took effect; its answer is cut short and is not JSON, so not recorded.
        write(res, status, text.slice(0, Math.ceil(text.length / 2)), version.contentType, headers);
        return { status, operationId: operation.operationId };
      }
      write(res, status, text, version.contentType, headers);
    }
    if (state.record) {
      state.record({
        operationId: operation.operationId,
        method,
        path: pathname,
        status,
        mediaType: version.contentType.split(';')[0] as string,
        body: contract,
        envelope: common.envelope,
        ...(offContract ? { offContract } : {}),
      });
    }
    return { status, operationId: operation.operationId };
  }

  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const now = state.clock.now();
    const method = req.method ?? 'GET';
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const pathname = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const search = q < 0 ? '' : rawUrl.slice(q + 1);
    state.counters.requests++;
    const outcome: Outcome = { status: 500 };
    let result: Outcome;
    try {
      if (pathname.startsWith('/api/oauth/')) result = await handleOAuth(req, res, method, pathname);
      else if (pathname === '/api/atlas/v2' || pathname.startsWith('/api/atlas/v2/')) {
        result = await handleApi(req, res, method, rawUrl, pathname, search, now, outcome);
      } else throw notFound.resource(method, pathname);
    } catch (err) {
      const error =
        err instanceof ApiError
          ? err
          : new ApiError(
              500,
              'UNEXPECTED_ERROR',
              `Unexpected error: ${err instanceof Error ? err.message : String(err)}`,
            );
      if (!(err instanceof ApiError)) console.error('[atlas-sim] unexpected error', err);
      const operationId = outcome.operationId ? { operationId: outcome.operationId } : {};
      if (outcome.resetAfter) {
        resetConnection(req);
        result = { status: 0, ...operationId };
      } else {
        const pretty = /(?:^|&)pretty=true(?:&|$)/i.test(search);
        if (!res.headersSent && !req.socket.destroyed) sendError(res, error, pretty, outcome.headers);
        recordError(method, pathname, outcome.operationId, error);
        result = { status: error.status, ...operationId };
      }
    }
    state.counter.count(pathname, result.operationId, result.status);
    appendBounded(state.requests, {
      method,
      path: pathname,
      query: search,
      status: result.status,
      at: new Date(now),
      ...(result.operationId ? { operationId: result.operationId } : {}),
    });
  };
}
