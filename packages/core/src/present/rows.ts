import { maxItemsPerPage, paginate } from '../pagination.js';
import type { Page } from '../schemas/common.js';

export interface RowsOptions {
  signal?: AbortSignal | undefined;
  /** Stop after this many rows (in Atlas's order: newest first). */
  limit?: number | undefined;
}

/**
 * Up to `limit` items of a paged Atlas list as rows, asking for pages no bigger than needed
 * (a limit of 20 is one request for 20 items) and stopping as soon as there are enough.
 */
export async function collectRows<T, R>(
  items: (pageSize: number) => AsyncIterable<T>,
  toRow: (item: T) => R,
  limit: number = Number.POSITIVE_INFINITY,
): Promise<R[]> {
  const out: R[] = [];
  if (limit <= 0) return out;
  const pageSize = Math.min(maxItemsPerPage, Math.max(1, Number.isFinite(limit) ? limit : maxItemsPerPage));
  for await (const item of items(pageSize)) {
    out.push(toRow(item));
    if (out.length >= limit) break;
  }
  return out;
}

/** Every page of a list call, as `collectRows` asks for them. */
export function pages<T>(
  list: (query: { pageNum: number; itemsPerPage: number }) => Promise<Page<T>>,
): (pageSize: number) => AsyncIterable<T> {
  return (pageSize) => paginate((pageNum, itemsPerPage) => list({ pageNum, itemsPerPage }), pageSize);
}
