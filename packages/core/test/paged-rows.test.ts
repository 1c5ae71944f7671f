import { describe, expect, it } from 'vitest';
import { appendPage, firstPageRows, mergeFirstPage, type RowPage } from '../src/index.js';

interface Row {
  id: string;
  at: string;
  status?: string;
}
const row = (n: number, status = 'completed'): Row => ({
  id: `s${n}`,
  at: `2026-11-${String(n).padStart(2, '0')}`,
  status,
});
const page = (ns: number[], total: number): RowPage<Row> => ({
  rows: ns.map((n) => row(n)),
  totalCount: total,
});
const key = (r: Row) => r.id;
const at = (r: Row) => r.at;

describe('paged rows', () => {
  it('merges a fresh first page: new rows in, deleted ones out, older pages kept as read', () => {
    // Two pages of three read: s20..s18, s17..s15.
    const read = appendPage(firstPageRows(page([20, 19, 18], 9), 3), page([17, 16, 15], 9), key);
    expect(read).toMatchObject({ pagesRead: 2, complete: false });
    // s21 was taken and s19 deleted: the first page is now s21, s20, s18.
    const merged = mergeFirstPage(read, page([21, 20, 18], 9), key, at);
    expect(merged.rows.map(key)).toEqual(['s21', 's20', 's18', 's17', 's16', 's15']);
    expect(merged).toMatchObject({ pagesRead: 2, totalCount: 9, complete: false });
  });

  it('a first page shorter than a page is the whole list', () => {
    const read = appendPage(firstPageRows(page([20, 19, 18], 6), 3), page([17, 16, 15], 6), key);
    const merged = mergeFirstPage(read, page([20, 19], 2), key, at);
    expect(merged.rows.map(key)).toEqual(['s20', 's19']);
    expect(merged.complete).toBe(true);
  });

  it('does not repeat rows a newer item pushed onto the next page', () => {
    const read = firstPageRows(page([20, 19, 18], 7), 3);
    const next = appendPage(read, page([18, 17, 16], 7), key);
    expect(next.rows.map(key)).toEqual(['s20', 's19', 's18', 's17', 's16']);
  });
});
