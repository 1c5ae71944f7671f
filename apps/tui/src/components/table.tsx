import { Box } from 'ink';
import { memo } from 'react';
import { cellWidth, fit, isNarrow, padCells, truncateCells } from '../terminal/cells.js';
import { Text } from './text.js';

export interface Column<T> {
  title: string;
  width: number;
  /** Takes the width left over (one column per table). */
  grow?: boolean;
  align?: 'left' | 'right';
  value: (row: T) => string;
  /** What sorting by this column compares; columns without it are skipped by `s`. */
  sortValue?: (row: T) => string | number;
}

export interface SortState {
  column: number;
  descending: boolean;
}

export function columnWidths<T>(columns: Column<T>[], width: number): number[] {
  const gaps = Math.max(0, columns.length - 1);
  const fixed = columns.reduce((sum, c) => sum + (c.grow ? 0 : c.width), 0);
  const left = Math.max(0, width - fixed - gaps);
  return columns.map((c) => (c.grow ? Math.max(c.width, left) : c.width));
}

/** A row's cells, each fitted to its column's width in terminal cells. */
function rowCells<T>(row: T, columns: Column<T>[], widths: number[]): string[] {
  return columns.map((c, i) => fit(c.value(row), widths[i] ?? c.width, c.align));
}

interface TableProps<T> {
  rows: readonly T[];
  columns: Column<T>[];
  selected: number;
  offset: number;
  height: number;
  width: number;
  sort: SortState | undefined;
  emptyText: string;
}

/**
 * Where every non-empty cell of a column has a space with text on either side (in some cell):
 * a date and its time, a number and its unit. Splitting there makes more lines repeat.
 */
function spaceSplits(cells: string[], size: number): number[] {
  const splits: number[] = [];
  for (let p = 1; p < size - 1; p += 1) {
    let before = false;
    let after = false;
    let ok = true;
    for (const cell of cells) {
      if (cell === '') continue;
      if (cell[p] !== ' ') {
        ok = false;
        break;
      }
      if (cell[p - 1] !== ' ') before = true;
      if (cell[p + 1] !== undefined && cell[p + 1] !== ' ') after = true;
    }
    if (ok && before && after) splits.push(p);
  }
  return splits;
}

/** One column's lines (or, at the right edge, the rest of each row), `width` cells wide. */
interface Part {
  lines: string[];
  width: number;
}

/**
 * The columns that fit in `width`, one part each: the column reaching the edge takes the rest of
 * each row, cut with `…` where the row is wider than the table.
 */
function visibleParts(cells: string[][], widths: number[], width: number): Part[] {
  const parts: Part[] = [];
  let start = 0;
  for (let i = 0; i < widths.length && start < width; i += 1) {
    const w = widths[i] ?? 0;
    if (i < widths.length - 1 && start + w + 1 < width) {
      parts.push({ lines: cells.map((row) => row[i] ?? ''), width: w });
      start += w + 1;
      continue;
    }
    const room = width - start;
    parts.push({
      lines: cells.map((row) => truncateCells(row.slice(i).join(' ').trimEnd(), room)),
      width: room,
    });
    break;
  }
  return parts;
}

/**
 * The visible rows cut into text blocks, one per column or part of a column. Ink tokenises every
 * line it draws on every frame, but only once per distinct line in a frame: cells repeat (types,
 * statuses, dates, sizes) where whole rows never do, so this is markedly less work per frame than
 * a block of rows. The first line keeps its padding, so each block is exactly as wide as its part.
 * A column is split at spaces only where each character is one cell (ids, dates, sizes); one
 * holding wider text (Korean, emoji) stays whole.
 */
function columnBlocks(parts: Part[]): string[] {
  const blocks: string[] = [];
  parts.forEach((part, k) => {
    const final = k === parts.length - 1;
    if (!part.lines.every(isNarrow)) {
      blocks.push(
        part.lines
          .map((line, n) => (n === 0 && !final ? padCells(line, part.width) : line.trimEnd()))
          .join('\n'),
      );
      return;
    }
    const pieces: [from: number, to: number][] = [];
    let from = 0;
    for (const p of spaceSplits(part.lines, part.width)) {
      pieces.push([from, p]);
      from = p + 1;
    }
    pieces.push([from, part.width]);
    pieces.forEach(([a, b], j) => {
      const keepPadding = !final || j < pieces.length - 1;
      blocks.push(
        part.lines
          .map((line, n) => {
            const cell = line.slice(a, b);
            return n === 0 && keepPadding ? cell.padEnd(b - a) : cell.trimEnd();
          })
          .join('\n'),
      );
    });
  });
  return blocks;
}

// Unchanged text is not rendered again: while scrolling, the type, status and unit columns and
// the header usually stay the same from one key to the next.
const Header = memo(function Header({ text }: { text: string }) {
  return (
    <Text bold color="cyan" wrap="truncate">
      {text}
    </Text>
  );
});

const Block = memo(function Block({ text }: { text: string }) {
  return <Text>{text}</Text>;
});

/**
 * Draws only the rows that fit: the work per frame depends on the terminal's height, not on how
 * many rows the list holds. The selected row is drawn over the columns, as one inverse line.
 */
export function Table<T>({ rows, columns, selected, offset, height, width, sort, emptyText }: TableProps<T>) {
  const widths = columnWidths(columns, width);
  const titles = columns
    .map((c, i) => {
      const mark = sort?.column === i ? (sort.descending ? '▼' : '▲') : '';
      return fit(`${c.title}${mark}`, widths[i] ?? c.width, c.align);
    })
    .join(' ');
  // Padding is not drawn when it fits; a line too wide keeps it, so Ink cuts it as before.
  const header = cellWidth(titles) > width ? titles : titles.trimEnd();
  const visible = rows.slice(offset, offset + Math.max(0, height - 1));
  // Cells arrive fitted to their widths, so no block has wrapping to work out. Trailing padding is
  // dropped: every character drawn costs Ink time on each frame.
  const parts = visibleParts(
    visible.map((row) => rowCells(row, columns, widths)),
    widths,
    width,
  );
  const at = selected - offset;
  const current =
    at >= 0 && at < visible.length
      ? parts
          .map((part) => part.lines[at] ?? '')
          .join(' ')
          .trimEnd()
      : undefined;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Header text={header} />
      {rows.length === 0 ? (
        <Text dimColor wrap="truncate">
          {emptyText}
        </Text>
      ) : (
        <>
          <Box columnGap={1}>
            {columnBlocks(parts).map((block, i) => (
              <Block key={i} text={block} />
            ))}
          </Box>
          {current !== undefined ? (
            <Box position="absolute" marginTop={1 + at}>
              <Text inverse>
                {padCells(
                  current,
                  Math.min(
                    width,
                    widths.reduce((a, w) => a + w + 1, -1),
                  ),
                )}
              </Text>
            </Box>
          ) : null}
        </>
      )}
    </Box>
  );
}
