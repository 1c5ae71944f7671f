import type { IdFactory, Rng } from '../rng.js';
import type { SimStore } from '../model/store.js';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** One `application/vnd.atlas.<date>+json` version an operation offers. */
export interface ApiVersion {
  date: string;
  /** The `x-sunset` date (YYYY-MM-DD, UTC) after which the version answers 410. */
  sunset?: string;
}

export interface HandlerContext {
  params: Readonly<Record<string, string>>;
  query: URLSearchParams;
  body: unknown;
  now: number;
  version: string;
  store: SimStore;
  ids: IdFactory;
  rng: Rng;
  /** `http://host:port`, for the `links` Atlas puts in every resource. */
  baseUrl: string;
}

export interface ObjectResult {
  kind: 'object';
  body: unknown;
}

export interface EmptyResult {
  kind: 'empty';
}

/** A list the server paginates; only the requested page is rendered. */
export interface ListResult {
  kind: 'list';
  total: number;
  render(from: number, to: number): unknown[];
}

export type HandlerResult = ObjectResult | EmptyResult | ListResult;

export interface Operation {
  /** The spec's operationId, used to find the response schema in contract checks. */
  operationId: string;
  method: HttpMethod;
  /** Path template under the server root, e.g. `/api/atlas/v2/groups/{groupId}`. */
  path: string;
  versions: ApiVersion[];
  /** 200, 201 or 204, as the contract says. */
  successStatus: 200 | 201 | 204;
  /** Validates and parses the body; absent for operations without one. */
  parseBody?: (body: unknown) => unknown;
  handle(ctx: HandlerContext): HandlerResult;
}

export function object(body: unknown): ObjectResult {
  return { kind: 'object', body };
}

export const empty: EmptyResult = { kind: 'empty' };

export function list<T>(items: readonly T[], view: (item: T) => unknown): ListResult {
  return { kind: 'list', total: items.length, render: (from, to) => items.slice(from, to).map(view) };
}
