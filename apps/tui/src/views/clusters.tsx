import {
  formatAge,
  loadProjectBackupStatus,
  type BackupStatus,
  type ClusterSummary,
} from '@atlas-backups/core';
import { useCallback, useMemo, useRef } from 'react';
import type { DetailItem } from '../components/detail.js';
import type { Column } from '../components/table.js';
import { useAppResource } from '../hooks/use-app-resource.js';
import { resourceProblem } from '../hooks/use-resource.js';
import { defineKeys } from '../keys/bindings.js';
import { clusterKindLabel, tabsFor } from '../navigation/deployment-kinds.js';
import { useApp } from '../shell/app-context.js';
import { describeError, formatTime } from '../terminal/format.js';
import { ListView } from './list-view.js';
import { defineView, type ViewProps } from './view.js';

const kindMark: Record<ClusterSummary['kind'], string> = {
  replicaSet: '[RS]',
  sharded: '[SHARDED]',
  flex: '[FLEX]',
  serverless: '[SERVERLESS]',
};

/** `ok 2h 43m`, `BEHIND 1d 7h`: the cluster's backups at a glance (the newest completed snapshot's age). */
export function statusCell(s: BackupStatus | undefined): string {
  if (!s) return '…';
  const age = s.newestCompleted ? formatAge(s.newestCompleted.ageMs) : 'none';
  return s.verdict === 'off' || s.verdict === 'unknown' ? s.verdict : `${s.verdict} ${age}`;
}

/** What the detail pane says of a cluster's backups, short enough for its narrow column. */
export function statusDetail(s: BackupStatus | undefined, loading: boolean): DetailItem[] {
  if (!s) return [loading ? 'Reading backup status…' : 'Backup status: not read'];
  const newest = s.newestCompleted;
  const items: DetailItem[] = [];
  if (s.behindSchedule)
    items.push([
      'schedule',
      `BEHIND: ${newest ? `${formatAge(newest.ageMs)} old` : 'none'}${s.promisedEveryMs === undefined ? '' : `, due every ${formatAge(s.promisedEveryMs)}`}`,
    ]);
  items.push([
    'newest snapshot',
    newest ? `${formatTime(newest.at)}, ${formatAge(newest.ageMs)} ago (${newest.kind})` : 'none completed',
  ]);
  if (s.window) {
    const w = s.window;
    items.push([
      'point in time',
      !w.continuous
        ? 'off'
        : w.start === undefined
          ? 'nothing restorable yet'
          : `from ${formatTime(w.start)}`,
    ]);
    if (w.continuous)
      items.push(['window', `${w.days} days${w.setByCompliancePolicy ? ' (compliance policy)' : ''}`]);
  }
  if (s.nextSnapshotAt !== undefined) items.push(['next snapshot', formatTime(s.nextSnapshotAt)]);
  items.push(['failed (7 days)', String(s.failedLast7Days.length)]);
  items.push([
    'running now',
    s.running.length === 0 ? 'nothing' : s.running.map((j) => `${j.kind} ${j.status}`).join(', '),
  ]);
  for (const p of s.problems) items.push(`Could not read ${p}`);
  return items;
}

const baseColumns: Column<ClusterSummary>[] = [
  { title: 'NAME', width: 24, value: (c) => c.name, sortValue: (c) => c.name.toLowerCase() },
  { title: 'KIND', width: 12, value: (c) => kindMark[c.kind], sortValue: (c) => c.kind },
  { title: 'STATE', width: 10, value: (c) => c.state ?? '-', sortValue: (c) => c.state ?? '' },
  {
    title: 'MONGODB',
    width: 8,
    value: (c) => c.mongoDBVersion ?? '-',
    sortValue: (c) => c.mongoDBVersion ?? '',
  },
  {
    title: 'BACKUP',
    width: 6,
    value: (c) => (c.backupEnabled ? 'on' : 'off'),
    sortValue: (c) => Number(c.backupEnabled),
  },
  {
    title: 'PIT',
    width: 5,
    value: (c) => (c.pitEnabled ? 'on' : 'off'),
    sortValue: (c) => Number(c.pitEnabled),
  },
];

const keys = defineKeys({
  actions: [{ keys: ['enter'], action: 'open', help: "open the cluster's snapshots", hint: 'open' }],
  tabs: false,
  list: true,
});

function ClustersView(props: ViewProps<'clusters', typeof keys>) {
  const { project } = props.route;
  const app = useApp();
  const { client } = app.services;
  // The backup status is made from the clusters the list read last (its fetch starts first), not
  // from a second listing of them.
  const listed = useRef<Promise<ClusterSummary[]> | undefined>(undefined);
  const fetcher = useCallback(
    (signal: AbortSignal) => (listed.current = client.listAllClusters(project.id, { signal })),
    [client, project.id],
  );
  const resource = useAppResource(`clusters:${project.id}`, fetcher, {
    refreshMs: app.services.refreshMs * 2,
  });
  const statusFetcher = useCallback(
    (signal: AbortSignal) =>
      loadProjectBackupStatus(client, project, { now: app.now(), signal, clusters: listed.current }),
    [client, project, app],
  );
  const status = useAppResource(`backup-status:${project.id}`, statusFetcher, {
    refreshMs: app.services.refreshMs * 2,
  });
  const byName = useMemo(
    () => new Map((status.data?.clusters ?? []).map((s) => [`${s.kind}:${s.clusterName}`, s])),
    [status.data],
  );
  const columns = useMemo(
    (): Column<ClusterSummary>[] => [
      ...baseColumns,
      {
        title: 'BACKUPS',
        width: 14,
        grow: true,
        value: (c) => statusCell(byName.get(`${c.kind}:${c.name}`)),
        // Behind first, then by the newest snapshot's age.
        sortValue: (c) => {
          const s = byName.get(`${c.kind}:${c.name}`);
          return (s?.behindSchedule ? 0 : 1e15) + (s?.newestCompleted?.ageMs ?? 1e14);
        },
      },
    ],
    [byName],
  );
  return (
    <ListView
      route={props.route}
      keys={props.keys}
      rows={resource.data}
      loading={resource.loading}
      columns={columns}
      rowKey={(c) => `${c.kind}:${c.name}`}
      detailTitle={(c) => `${c.name} ${kindMark[c.kind]}`}
      detail={(c) => [
        ['kind', clusterKindLabel[c.kind]],
        ['state', c.state ?? '-'],
        ['MongoDB', c.mongoDBVersion ?? '-'],
        ['cloud backup', c.backupEnabled ? 'on' : 'off'],
        ['continuous (PIT)', c.pitEnabled ? 'on' : 'off'],
        ['views', tabsFor(c.kind).join(', ')],
        ...statusDetail(byName.get(`${c.kind}:${c.name}`), status.loading),
      ]}
      handlers={{
        open: (c) => {
          if (c) app.navigate({ type: 'push', route: { view: 'snapshots', project, cluster: c } });
        },
      }}
      initialSort={{ column: 0, descending: false }}
      emptyText={`No clusters in ${project.name}.`}
      problem={resourceProblem(resource, (e) => describeError(e).text)}
      width={props.width}
      height={props.height}
    />
  );
}

export const clustersView = defineView('clusters', keys, ClustersView);
