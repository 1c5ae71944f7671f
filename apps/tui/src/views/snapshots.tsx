import {
  appendPage,
  fromFlexSnapshot,
  fromServerlessSnapshot,
  maxItemsPerPage,
  mergeFirstPage,
  readPages,
  snapshotRowsPage,
  type PagedRows,
  type SnapshotRow,
} from '@atlas-backups/core';
import { useCallback, useState } from 'react';
import type { DetailItem } from '../components/detail.js';
import type { Column } from '../components/table.js';
import { exportForm, restoreForm, retentionForm, takeSnapshotForm } from '../forms/action-forms.js';
import { useAppResource } from '../hooks/use-app-resource.js';
import { resourceProblem, type FetchContext } from '../hooks/use-resource.js';
import { defineKeys, type ActionOf, type Handlers } from '../keys/bindings.js';
import { useApp } from '../shell/app-context.js';
import { describeError, formatBytes, formatTime, formatTimeSeconds } from '../terminal/format.js';
import { ListView } from './list-view.js';
import { defineView, onSelected, type ViewProps } from './view.js';

export const snapshotColumns: Column<SnapshotRow>[] = [
  { title: 'ID', width: 24, value: (r) => r.id, sortValue: (r) => r.id },
  { title: 'TYPE', width: 9, value: (r) => r.type, sortValue: (r) => r.type },
  { title: 'STATUS', width: 10, value: (r) => r.status, sortValue: (r) => r.status },
  { title: 'CREATED', width: 16, value: (r) => formatTime(r.createdAt), sortValue: (r) => r.createdAt ?? '' },
  { title: 'EXPIRES', width: 16, value: (r) => formatTime(r.expiresAt), sortValue: (r) => r.expiresAt ?? '' },
  {
    title: 'SIZE',
    width: 7,
    align: 'right',
    value: (r) => formatBytes(r.sizeBytes),
    sortValue: (r) => r.sizeBytes ?? -1,
  },
  {
    title: 'DESCRIPTION',
    width: 11,
    grow: true,
    value: (r) => r.description,
    sortValue: (r) => r.description,
  },
];

export function snapshotDetail(row: SnapshotRow): DetailItem[] {
  const s = row.snapshot;
  const items: DetailItem[] = [
    ['id', row.id],
    ['type', s?.type === 'shardedCluster' ? `${row.type}, sharded cluster` : row.type],
    ['status', row.status],
    ['created', formatTimeSeconds(row.createdAt)],
    ['expires', formatTimeSeconds(row.expiresAt)],
    ['size', formatBytes(row.sizeBytes)],
  ];
  if (s?.frequencyType) items.push(['frequency', s.frequencyType]);
  if (s?.mongodVersion) items.push(['mongod', s.mongodVersion]);
  if (s?.replicaSetName) items.push(['replica set', s.replicaSetName]);
  if (s?.members?.length) items.push(['shards', s.members.map((m) => m.replicaSetName).join(', ')]);
  if (row.description) items.push(['description', row.description]);
  return items;
}

const rowId = (r: SnapshotRow) => r.id;
const createdOf = (r: SnapshotRow) => r.createdAt ?? '';

interface Fetched {
  id: string;
  row: SnapshotRow;
  notice: string | undefined;
}

const keys = defineKeys({
  actions: [
    {
      keys: ['enter'],
      action: 'open',
      help: 'fetch the snapshot (serverless: with the Flex fallback)',
      hint: 'fetch',
    },
    {
      keys: ['n'],
      action: 'snapshot.take',
      help: 'take an on-demand snapshot',
      changes: true,
      hint: 'snapshot',
    },
    {
      keys: ['e'],
      action: 'snapshot.retention',
      help: "change the snapshot's retention",
      changes: true,
      hint: 'retention',
    },
    {
      keys: ['D'],
      action: 'snapshot.delete',
      help: 'delete the snapshot (explained first, then confirmed)',
      changes: true,
      hint: 'delete',
    },
    {
      keys: ['x'],
      action: 'export.create',
      help: 'export the snapshot to a bucket',
      changes: true,
      hint: 'export',
    },
    {
      keys: ['R'],
      action: 'restore',
      help: 'restore: onto a cluster, to a point in time, or download',
      changes: true,
      hint: 'restore',
    },
    {
      keys: ['d'],
      action: 'download',
      help: "download the snapshot's files (a link that expires)",
      changes: true,
      hint: 'download',
    },
  ],
  tabs: true,
  list: true,
});

function SnapshotsView(props: ViewProps<'snapshots', typeof keys>) {
  const { project, cluster } = props.route;
  const app = useApp();
  const { client } = app.services;
  // Refreshes read the first page (newest first) and merge it in; older pages are read when the
  // user scrolls to them, and again only when they ask for a full reload (`r`).
  const fetcher = useCallback(
    (signal: AbortSignal, { reason, previous }: FetchContext<PagedRows<SnapshotRow>>) => {
      const page = (pageNum: number, itemsPerPage: number) =>
        snapshotRowsPage(client, project.id, cluster, pageNum, itemsPerPage, { signal });
      const itemsPerPage = previous?.itemsPerPage ?? maxItemsPerPage;
      if (reason === 'auto')
        return page(1, itemsPerPage).then((first) => mergeFirstPage(previous, first, rowId, createdOf));
      if (reason === 'more' && previous && !previous.complete)
        return page(previous.pagesRead + 1, itemsPerPage).then((next) => appendPage(previous, next, rowId));
      return readPages(page, rowId, itemsPerPage, reason === 'asked' ? (previous?.pagesRead ?? 1) : 1);
    },
    [client, project.id, cluster],
  );
  const resource = useAppResource(`snapshots:${project.id}:${cluster.name}`, fetcher, {
    refreshMs: app.services.refreshMs,
  });
  const [fetched, setFetched] = useState<Fetched | undefined>(undefined);
  const fetchPage = resource.fetch;
  const readMore = useCallback(() => fetchPage('more'), [fetchPage]);

  const open = (row: SnapshotRow) => {
    app.setStatus({ kind: 'info', text: `Fetching snapshot ${row.id}…` });
    const done = (next: Fetched) => {
      setFetched(next);
      app.setStatus(
        next.notice
          ? { kind: 'warn', text: next.notice }
          : { kind: 'info', text: `Snapshot ${row.id}: ${next.row.status}` },
      );
    };
    const failed = (error: unknown) => app.setStatus({ kind: 'error', text: describeError(error).text });
    if (cluster.kind === 'serverless') {
      client.getServerlessSnapshot(project.id, cluster.name, row.id).then((result) => {
        done(
          result.via === 'flex'
            ? { id: row.id, row: fromFlexSnapshot(result.snapshot), notice: result.notice }
            : { id: row.id, row: fromServerlessSnapshot(result.snapshot), notice: undefined },
        );
      }, failed);
    } else if (cluster.kind === 'flex') {
      client
        .getFlexSnapshot(project.id, cluster.name, row.id)
        .then((s) => done({ id: row.id, row: fromFlexSnapshot(s), notice: undefined }), failed);
    } else {
      client
        .getSnapshot(project.id, cluster.name, row.id)
        .then(
          (s) => done({ id: row.id, row: { ...row, status: s.status ?? row.status }, notice: undefined }),
          failed,
        );
    }
  };

  const onRow = onSelected<SnapshotRow>(() =>
    app.setStatus({ kind: 'warn', text: 'Select a snapshot first.' }),
  );
  const handlers: Handlers<ActionOf<typeof keys.actions>, SnapshotRow | undefined> = {
    'snapshot.take': () => app.openFlow({ form: takeSnapshotForm(project, cluster) }),
    restore: (row) => app.openFlow({ form: restoreForm(client, project, cluster, row, () => app.now()) }),
    download: onRow((row) =>
      app.openFlow({
        form: restoreForm(client, project, cluster, row, () => app.now(), { delivery: 'download' }),
      }),
    ),
    open: onRow(open),
    'snapshot.retention': onRow((row) => {
      if (row.snapshot) app.openFlow({ form: retentionForm(project, cluster, row.snapshot) });
    }),
    'export.create': onRow((row) => app.openFlow({ form: exportForm(client, project, cluster, row) })),
    'snapshot.delete': onRow((row) =>
      app.openFlow({
        direct: {
          action: 'snapshot.delete',
          params: { groupId: project.id, clusterName: cluster.name, snapshotId: row.id },
        },
      }),
    ),
  };

  const detail = (row: SnapshotRow): DetailItem[] => {
    if (fetched?.id !== row.id) return snapshotDetail(row);
    return [...(fetched.notice ? [fetched.notice] : []), ...snapshotDetail(fetched.row)];
  };

  return (
    <ListView
      route={props.route}
      keys={props.keys}
      rows={resource.data?.rows}
      loading={resource.loading}
      columns={snapshotColumns}
      rowKey={(r) => r.id}
      detailTitle={(r) => `Snapshot ${r.id}`}
      detail={detail}
      handlers={handlers}
      initialSort={{ column: 3, descending: true }}
      emptyText={`No snapshots of ${cluster.name}. Press n to take one.`}
      notice={resource.data?.notice}
      problem={resourceProblem(resource, (e) => describeError(e).text)}
      totalCount={resource.data?.totalCount}
      onNearEnd={readMore}
      width={props.width}
      height={props.height}
    />
  );
}

export const snapshotsView = defineView('snapshots', keys, SnapshotsView);
