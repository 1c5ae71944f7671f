import { terminalSafe } from '@atlas-backups/core';
import stringWidth from 'string-width';

/**
 * Terminal cells, not characters: Korean, Chinese and Japanese take two cells, most emoji two,
 * combining marks none. Every width on screen is measured here, after `terminalSafe`, so what is
 * measured is what is drawn.
 */

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
// Printable ASCII and the ellipsis: one character, one cell (the common case, kept fast).
const narrow = /^[\x20-\x7e…]*$/;

export function isNarrow(text: string): boolean {
  return narrow.test(text);
}

export function cellWidth(text: string): number {
  return narrow.test(text) ? text.length : stringWidth(text);
}

/** The longest start of `text` (whole graphemes) that fits in `width` cells. */
function headCells(text: string, width: number): string {
  let used = 0;
  let end = 0;
  for (const { segment, index } of graphemes.segment(text)) {
    const w = stringWidth(segment);
    if (used + w > width) break;
    used += w;
    end = index + segment.length;
  }
  return text.slice(0, end);
}

/** The longest end of `text` (whole graphemes) that fits in `width` cells. */
export function tailCells(text: string, width: number): string {
  const parts = [...graphemes.segment(text)];
  let used = 0;
  let start = text.length;
  for (let i = parts.length - 1; i >= 0; i -= 1) {
    const part = parts[i];
    if (!part) break;
    const w = stringWidth(part.segment);
    if (used + w > width) break;
    used += w;
    start = part.index;
  }
  return text.slice(start);
}

/** Cuts text to at most `width` cells, ending in `…` when it was cut. */
export function truncateCells(text: string, width: number): string {
  if (width <= 0) return '';
  if (cellWidth(text) <= width) return text;
  if (narrow.test(text)) return `${text.slice(0, width - 1)}…`;
  return `${headCells(text, width - 1)}…`;
}

export function padCells(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const gap = width - cellWidth(text);
  if (gap <= 0) return text;
  return align === 'right' ? ' '.repeat(gap) + text : text + ' '.repeat(gap);
}

/** One line of data for a cell: line breaks become spaces, controls visible. */
export function oneLine(text: string): string {
  return terminalSafe(text.replace(/\r\n|[\r\n\t\u2028\u2029]/g, ' '));
}

/** Fits data to exactly `width` cells: one line, cut with `…` when too wide, padded when short. */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  if (width <= 0) return '';
  return padCells(truncateCells(oneLine(text), width), width, align);
}

/** Lines a message takes when wrapped to `width` cells (at most three are given to it). */
export function linesFor(text: string, width: number): number {
  if (text === '') return 0;
  const lines = terminalSafe(text, { keepLineFeeds: true })
    .split('\n')
    .reduce((n, line) => n + Math.max(1, Math.ceil(cellWidth(line) / Math.max(1, width))), 0);
  return Math.min(3, lines);
}
