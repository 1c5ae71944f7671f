import type { Page } from '../schemas/common.js';

/**
 * The part of a long Atlas list (newest first) that a screen holds: the first pages, what Atlas
 * said the whole list counts, and how far it has been read. Keeping a list fresh costs one
 * request (the first page, merged in); older pages are read only when someone looks at them.
 */
export interface PagedRows<R> {
  rows: R[];
  /** The whole list's length as Atlas last counted it, when it said. */
  totalCount: number | undefined;
  /** Pages read so far (of `itemsPerPage`). */
  pagesRead: number;
  itemsPerPage: number;
  /** No page after the last one read. */
  complete: boolean;
  /** A line to show above the list (the serverless → Flex fallback). */
  notice: string | undefined;
}

export interface RowPage<R> {
  rows: R[];
  totalCount: number | undefined;
  notice?: string | undefined;
}

export function pageOf<T, R>(page: Page<T>, toRow: (item: T) => R, notice?: string): RowPage<R> {
  return { rows: page.results.map(toRow), totalCount: page.totalCount, notice };
}

const isComplete = (rows: number, pageRows: number, itemsPerPage: number, total: number | undefined) =>
  pageRows < itemsPerPage || (total !== undefined && rows >= total);

/** The list as the first page alone (a first load). */
export function firstPageRows<R>(page: RowPage<R>, itemsPerPage: number): PagedRows<R> {
  return {
    rows: page.rows,
    totalCount: page.totalCount,
    pagesRead: 1,
    itemsPerPage,
    complete: isComplete(page.rows.length, page.rows.length, itemsPerPage, page.totalCount),
    notice: page.notice,
  };
}

/**
 * A fresh first page merged into what was read before: it replaces the rows of its own time span
 * (new items appear, deleted ones go, changed ones change); older rows, read from later pages,
 * stay as they were until those pages are read again.
 */
export function mergeFirstPage<R>(
  previous: PagedRows<R> | undefined,
  page: RowPage<R>,
  key: (row: R) => string,
  newestFirst: (row: R) => string,
): PagedRows<R> {
  const itemsPerPage = previous?.itemsPerPage ?? Math.max(1, page.rows.length);
  const fresh = firstPageRows(page, itemsPerPage);
  if (!previous || previous.pagesRead <= 1 || fresh.complete) return fresh;
  const seen = new Set(page.rows.map(key));
  const oldest = page.rows.reduce<string | undefined>((min, r) => {
    const at = newestFirst(r);
    return min === undefined || at < min ? at : min;
  }, undefined);
  const older = previous.rows.filter(
    (r) => !seen.has(key(r)) && oldest !== undefined && newestFirst(r) < oldest,
  );
  const rows = [...page.rows, ...older];
  return {
    rows,
    totalCount: page.totalCount,
    pagesRead: previous.pagesRead,
    itemsPerPage,
    complete: previous.complete && (page.totalCount === undefined || rows.length >= page.totalCount),
    notice: page.notice,
  };
}

/** The next page read, appended (rows already held, shifted by newer items, are not repeated). */
export function appendPage<R>(
  previous: PagedRows<R>,
  page: RowPage<R>,
  key: (row: R) => string,
): PagedRows<R> {
  const seen = new Set(previous.rows.map(key));
  const rows = [...previous.rows, ...page.rows.filter((r) => !seen.has(key(r)))];
  return {
    rows,
    totalCount: page.totalCount ?? previous.totalCount,
    pagesRead: previous.pagesRead + 1,
    itemsPerPage: previous.itemsPerPage,
    complete: isComplete(rows.length, page.rows.length, previous.itemsPerPage, page.totalCount),
    notice: page.notice ?? previous.notice,
  };
}

/**
 * Reads a paged list afresh: the first page, or as many pages as were read before (a full
 * reload the user asked for), in order.
 */
export async function readPages<R>(
  fetchPage: (pageNum: number, itemsPerPage: number) => Promise<RowPage<R>>,
  key: (row: R) => string,
  itemsPerPage: number,
  pages = 1,
): Promise<PagedRows<R>> {
  let list = firstPageRows(await fetchPage(1, itemsPerPage), itemsPerPage);
  while (!list.complete && list.pagesRead < pages)
    list = appendPage(list, await fetchPage(list.pagesRead + 1, itemsPerPage), key);
  return list;
}
