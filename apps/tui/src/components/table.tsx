import { Box, Text } from 'ink';
import { fit } from '../format.js';

export interface Column<T> {
  title: string;
  width: number;
  /** Takes the width left over (one column per table). */
  grow?: boolean;
  align?: 'left' | 'right';
  value(row: T): string;
  /** What sorting by this column compares; columns without it are skipped by `s`. */
  sortValue?(row: T): string | number;
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

export function formatRow<T>(row: T, columns: Column<T>[], widths: number[]): string {
  return columns.map((c, i) => fit(c.value(row), widths[i] ?? c.width, c.align)).join(' ');
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
 * Draws only the rows that fit: the work per frame depends on the terminal's height, not on how
 * many rows the list holds.
 */
export function Table<T>({ rows, columns, selected, offset, height, width, sort, emptyText }: TableProps<T>) {
  const widths = columnWidths(columns, width);
  const header = columns
    .map((c, i) => {
      const mark = sort?.column === i ? (sort.descending ? '▼' : '▲') : '';
      return fit(`${c.title}${mark}`, widths[i] ?? c.width, c.align);
    })
    .join(' ');
  const visible = rows.slice(offset, offset + Math.max(0, height - 1));
  // Rows arrive fitted to the width, so each block is one Text with no wrapping to work out:
  // the rows above the selection, the selected row, the rows below.
  // Trailing padding is dropped: every character drawn costs Ink time on each frame.
  const clip = (line: string) => (line.length > width ? `${line.slice(0, Math.max(0, width - 1))}…` : line);
  const lines = visible.map((row) => clip(formatRow(row, columns, widths).trimEnd()));
  const at = selected - offset;
  const above = lines.slice(0, Math.max(0, at)).join('\n');
  const current = lines[at];
  const below = lines.slice(Math.max(0, at + 1)).join('\n');
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold color="cyan" wrap="truncate">
        {header}
      </Text>
      {rows.length === 0 ? (
        <Text dimColor wrap="truncate">
          {emptyText}
        </Text>
      ) : (
        <>
          {above ? <Text>{above}</Text> : null}
          {current !== undefined ? (
            <Text inverse>
              {current.padEnd(
                Math.min(
                  width,
                  widths.reduce((a, w) => a + w + 1, -1),
                ),
              )}
            </Text>
          ) : null}
          {below ? <Text>{below}</Text> : null}
        </>
      )}
    </Box>
  );
}
