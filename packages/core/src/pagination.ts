import type { Page } from './schemas/common.js';

export const maxItemsPerPage = 500;

/**
 * Walks every page of an Atlas list, holding one page in memory at a time. Stops at a short
 * page, an empty page, or when `totalCount` says everything was seen.
 */
export async function* paginate<T>(
  fetchPage: (pageNum: number, itemsPerPage: number) => Promise<Page<T>>,
  itemsPerPage = maxItemsPerPage,
): AsyncGenerator<T, void, undefined> {
  let seen = 0;
  for (let pageNum = 1; ; pageNum += 1) {
    const page = await fetchPage(pageNum, itemsPerPage);
    for (const item of page.results) yield item;
    seen += page.results.length;
    if (page.results.length < itemsPerPage) return;
    if (page.totalCount !== undefined && seen >= page.totalCount) return;
  }
}

/** Collects at most `limit` items from an async iterable, then stops it. */
export async function take<T>(items: AsyncIterable<T>, limit: number): Promise<T[]> {
  const out: T[] = [];
  if (limit <= 0) return out;
  for await (const item of items) {
    out.push(item);
    if (out.length >= limit) break;
  }
  return out;
}
