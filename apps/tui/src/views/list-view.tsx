import { Box } from 'ink';
import { useEffect, useMemo, useRef, type ReactNode } from 'react';
import { Detail, type DetailItem } from '../components/detail.js';
import { Table, type Column, type SortState } from '../components/table.js';
import { Text } from '../components/text.js';
import { useSyncState } from '../hooks/use-sync-state.js';
import type { Handlers, ListAction, ViewKeys } from '../keys/bindings.js';
import type { Route } from '../navigation/routes.js';
import { useApp } from '../shell/app-context.js';
import { linesFor } from '../terminal/cells.js';
import { useViewKeys } from './use-view-keys.js';

export interface ListViewProps<T, A extends string> {
  route: Route;
  keys: ViewKeys<A, true>;
  /** The view's own actions, given the selected row (the list's keys are handled here). */
  handlers: Handlers<NoInfer<A>, T | undefined>;
  rows: readonly T[] | undefined;
  loading: boolean;
  columns: Column<T>[];
  rowKey: (row: T) => string;
  detailTitle(row: T): string;
  detail(row: T): DetailItem[];
  initialSort?: SortState;
  emptyText: string;
  /** A line above the table (a fallback notice, say). */
  notice?: ReactNode;
  /** The selected row's key whenever it changes (undefined when nothing is selected). */
  onSelected?: ((key: string | undefined) => void) | undefined;
  /** The last failed fetch, as one line; the rows shown are the last good ones. */
  problem?: string | undefined;
  /** How long the whole list is, when only its first part (`rows`) has been read. */
  totalCount?: number | undefined;
  /** Called when the selection comes within a screen of the last row read: read more. */
  onNearEnd?: (() => void) | undefined;
  width: number;
  height: number;
}

interface Selection {
  index: number;
  key: string | undefined;
}

/** The selected row's index: the same item across refreshes and re-sorts, else the same place. */
function resolveIndex<T>(selection: Selection, rows: readonly T[], rowKey: (row: T) => string): number {
  const index = Math.min(selection.index, Math.max(0, rows.length - 1));
  const at = rows[index];
  if (selection.key === undefined || (at !== undefined && rowKey(at) === selection.key)) return index;
  const found = rows.findIndex((r) => rowKey(r) === selection.key);
  return found >= 0 ? found : index;
}

function sortRows<T>(rows: readonly T[], columns: Column<T>[], sort: SortState | undefined): readonly T[] {
  const column = sort ? columns[sort.column] : undefined;
  if (!sort || !column?.sortValue) return rows;
  const value = column.sortValue;
  const keyed = rows.map((row) => [value(row), row] as const);
  keyed.sort((a, b) => {
    const order = a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
    return sort.descending ? -order : order;
  });
  return keyed.map(([, row]) => row);
}

/**
 * A keyboard-driven, virtualised list with the selected item's details beside it (wide
 * terminals) or below it. Keys come from the view's key map.
 */
export function ListView<T, A extends string>(props: ListViewProps<T, A>) {
  const { columns, rowKey, width, height } = props;
  const app = useApp();
  const [sort, setSort, sortRef] = useSyncState<SortState | undefined>(props.initialSort);
  const [selection, setSelection, selectionRef] = useSyncState<Selection>({ index: 0, key: undefined });
  const offsetRef = useRef(0);

  const sorted = useMemo(() => sortRows(props.rows ?? [], columns, sort), [props.rows, columns, sort]);
  const rows = useMemo(() => {
    const needle = app.filter.trim().toLowerCase();
    if (!needle) return sorted;
    return sorted.filter((row) => columns.some((c) => c.value(row).toLowerCase().includes(needle)));
  }, [sorted, app.filter, columns]);

  const rowsRef = useRef(rows);
  rowsRef.current = rows;
  const index = resolveIndex(selection, rows, rowKey);
  const selected = rows[index];

  // Details go beside the table only when the table still gets all its columns.
  const minTable = columns.reduce((sum, c) => sum + c.width + 1, 0);
  const side = width - Math.max(36, Math.floor(width * 0.32)) - 2 >= minTable;
  const noticeText = typeof props.notice === 'string' ? props.notice : props.notice ? ' ' : '';
  const noticeLines =
    linesFor(noticeText, width) + linesFor(props.problem ? `✖ ${props.problem}` : '', width);
  const bodyHeight = Math.max(3, height - noticeLines);
  // Below the table, details get a fair share, and whatever a short list leaves free.
  const detailHeight = side
    ? bodyHeight
    : Math.max(Math.min(12, Math.max(4, Math.floor(bodyHeight * 0.4))), bodyHeight - (rows.length + 3));
  const tableHeight = side ? bodyHeight : Math.max(2, bodyHeight - detailHeight);
  const detailWidth = side ? Math.max(36, Math.floor(width * 0.32)) : width;
  const tableWidth = side ? width - detailWidth - 2 : width;
  const page = Math.max(1, tableHeight - 2);

  let offset = offsetRef.current;
  if (index < offset) offset = index;
  if (index >= offset + page) offset = index - page + 1;
  offset = Math.max(0, Math.min(offset, Math.max(0, rows.length - page)));
  offsetRef.current = offset;

  const moveTo = (next: (current: number) => number) => {
    const list = rowsRef.current;
    const current = resolveIndex(selectionRef.current, list, rowKey);
    const clamped = Math.max(0, Math.min(list.length - 1, next(current)));
    const row = list[clamped];
    setSelection({ index: clamped, key: row === undefined ? undefined : rowKey(row) });
  };

  const selectedNow = () => rowsRef.current[resolveIndex(selectionRef.current, rowsRef.current, rowKey)];
  const list: Handlers<ListAction> = {
    up: () => moveTo((i) => i - 1),
    down: () => moveTo((i) => i + 1),
    pageUp: () => moveTo((i) => i - page),
    pageDown: () => moveTo((i) => i + page),
    first: () => moveTo(() => 0),
    last: () => moveTo(() => rowsRef.current.length - 1),
    sort: () => {
      const sortable = columns.flatMap((c, i) => (c.sortValue ? [i] : []));
      if (sortable.length === 0) return;
      const current = sortRef.current;
      const at = current ? sortable.indexOf(current.column) : -1;
      const column = sortable[(at + 1) % sortable.length] ?? 0;
      setSort({ column, descending: current?.descending ?? false });
      app.setStatus({ kind: 'info', text: `sorted by ${columns[column]?.title.toLowerCase()}` });
    },
    reverse: () =>
      setSort((s) => (s ? { ...s, descending: !s.descending } : { column: 0, descending: true })),
  };
  useViewKeys({ route: props.route, keys: props.keys, handlers: props.handlers, target: selectedNow, list });

  const partial = props.rows !== undefined && (props.totalCount ?? 0) > props.rows.length;
  const nearEnd = partial && rows.length > 0 && index >= rows.length - page;
  const onNearEnd = props.onNearEnd;
  useEffect(() => {
    if (nearEnd) onNearEnd?.();
  }, [nearEnd, rows.length, onNearEnd]);

  // Told once per newly selected item, so a view can read more about that one only.
  const selectedKey = selected === undefined ? undefined : rowKey(selected);
  const onSelected = props.onSelected;
  useEffect(() => {
    onSelected?.(selectedKey);
  }, [selectedKey, onSelected]);

  const count =
    props.rows === undefined
      ? props.loading
        ? 'loading…'
        : ''
      : rows.length === props.rows.length
        ? partial
          ? `${rows.length} of ${props.totalCount} items (older ones are read as you scroll)`
          : `${rows.length} item${rows.length === 1 ? '' : 's'}`
        : `${rows.length} of ${props.rows.length} match /${app.filter}`;

  const detail =
    selected === undefined ? (
      <Detail title="" items={[]} width={detailWidth} height={detailHeight} />
    ) : (
      <Detail
        title={props.detailTitle(selected)}
        items={props.detail(selected)}
        width={detailWidth}
        height={detailHeight}
      />
    );

  return (
    <Box flexDirection="column" width={width} height={height}>
      {props.problem ? <Text color="red">{`✖ ${props.problem}`}</Text> : null}
      {props.notice ? <Text color="yellow">{props.notice}</Text> : null}
      <Box flexDirection={side ? 'row' : 'column'}>
        <Box flexDirection="column" width={tableWidth} height={tableHeight}>
          <Table
            rows={rows}
            columns={columns}
            selected={index}
            offset={offset}
            height={tableHeight - 1}
            width={tableWidth}
            sort={sort}
            emptyText={props.rows === undefined ? (props.loading ? 'Loading…' : '') : props.emptyText}
          />
          <Text dimColor wrap="truncate">
            {count}
            {rows.length > page ? `  (${index + 1}/${rows.length})` : ''}
          </Text>
        </Box>
        {side ? <Box width={2} /> : null}
        {detail}
      </Box>
    </Box>
  );
}
