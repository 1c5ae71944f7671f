import type { JobKind } from '@atlas-backups/core';
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { DetailItem } from '../components/detail.js';
import type { Column } from '../components/table.js';
import { defineKeys } from '../keys/bindings.js';
import { tabsFor } from '../navigation/deployment-kinds.js';
import type { ClusterTab } from '../navigation/routes.js';
import type { TrackedJob } from '../services/jobs-store.js';
import { useApp } from '../shell/app-context.js';
import { describeError, formatDuration, formatTimeSeconds } from '../terminal/format.js';
import { ListView } from './list-view.js';
import { defineView, type ViewProps } from './view.js';

function status(job: TrackedJob): string {
  if (job.error) return 'watch failed';
  return job.update?.status ?? 'starting';
}

const count = (n: number) => n.toLocaleString('en-US');

function progress(job: TrackedJob): string {
  const p = job.update?.progress;
  if (p?.unit === 'documents') return `${Math.floor((Math.min(p.done, p.total) / p.total) * 100)}% docs`;
  return p ? `${p.done}/${p.total}` : job.update?.urls?.length ? 'links ready' : '-';
}

/** Documents restored of the total, in full: the column shows a percentage. */
function progressDetail(job: TrackedJob): string {
  const p = job.update?.progress;
  return p?.unit === 'documents' ? `${count(p.done)} of ${count(p.total)} documents` : progress(job);
}

/** Re-renders every second while something runs, so elapsed times move. */
function useTicker(on: boolean): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!on) return;
    const timer = setInterval(() => setTick((t) => t + 1), 1000);
    return () => clearInterval(timer);
  }, [on]);
  return tick;
}

const keys = defineKeys({
  actions: [
    { keys: ['enter'], action: 'open', help: 'go to the job’s cluster' },
    { keys: ['d'], action: 'dismiss', help: 'remove a finished job from the list', hint: 'dismiss' },
  ],
  tabs: false,
  list: true,
});

/** The tab of a cluster that lists a job of this kind. */
const tabOf: Record<JobKind, ClusterTab> = {
  snapshot: 'snapshots',
  flexSnapshot: 'snapshots',
  export: 'exports',
  restore: 'restores',
  flexRestore: 'restores',
  collectionRestore: 'restores',
};

function JobsView(props: ViewProps<'jobs', typeof keys>) {
  const app = useApp();
  const { jobs, client, actions } = app.services;
  // An answer that arrives after this page closed no longer moves anyone anywhere.
  const shown = useRef(true);
  useEffect(() => {
    shown.current = true;
    return () => {
      shown.current = false;
    };
  }, []);
  const list = useSyncExternalStore(jobs.subscribe, jobs.getSnapshot);
  useTicker(list.some((j) => !j.done));
  const now = app.now();
  const elapsedMs = (job: TrackedJob) => (job.endedAt ?? now) - job.startedAt;
  const elapsed = (job: TrackedJob) => formatDuration(elapsedMs(job));

  const columns: Column<TrackedJob>[] = [
    { title: 'KIND', width: 17, value: (j) => j.ref.kind, sortValue: (j) => j.ref.kind },
    { title: 'ID', width: 24, value: (j) => j.ref.id, sortValue: (j) => j.ref.id },
    { title: 'CLUSTER', width: 16, value: (j) => j.ref.clusterName, sortValue: (j) => j.ref.clusterName },
    { title: 'STATUS', width: 12, value: status, sortValue: status },
    { title: 'PROGRESS', width: 11, value: progress },
    { title: 'ELAPSED', width: 8, value: elapsed, sortValue: elapsedMs },
    { title: 'WHAT', width: 10, grow: true, value: (j) => j.title, sortValue: (j) => j.title },
  ];

  const detail = (j: TrackedJob): DetailItem[] => [
    ['job', `${j.ref.kind} ${j.ref.id}`],
    ['cluster', `${j.ref.clusterName} in ${j.ref.groupId}`],
    ['status', `${status(j)}${j.update ? ` (${j.update.phase})` : ''}`],
    ['progress', progressDetail(j)],
    ...(j.update?.collections ?? []).map((c): DetailItem => [
      c.source,
      `→ ${c.target}: ${c.state}${c.totalDocuments !== undefined ? ` ${count(c.restoredDocuments ?? 0)}/${count(c.totalDocuments)}` : ''}`,
    ]),
    ['elapsed', elapsed(j)],
    ...(j.error ? [`✖ ${j.error.text}`] : []),
    ...(j.update?.urls ?? []).map((url, i): DetailItem => [`download ${i + 1}`, url]),
    ...(j.update?.urls?.length && j.update.expiresAt
      ? [['links expire', formatTimeSeconds(j.update.expiresAt)] as DetailItem]
      : []),
  ];

  const goToCluster = (job: TrackedJob) => {
    const { groupId, clusterName } = job.ref;
    app.setStatus({ kind: 'info', text: `Opening ${clusterName}…` });
    Promise.all([client.getProject(groupId), client.listAllClusters(groupId)]).then(
      ([p, clusters]) => {
        if (!shown.current) return;
        const project = { id: p.id, name: p.name, production: actions.policy.isProduction(p) };
        const cluster = clusters.find((c) => c.name === clusterName);
        if (!cluster) {
          app.setStatus({ kind: 'warn', text: `${clusterName} is no longer in ${p.name}.` });
          return;
        }
        const tab = tabsFor(cluster.kind).includes(tabOf[job.ref.kind]) ? tabOf[job.ref.kind] : 'snapshots';
        app.navigate({
          type: 'reset',
          routes: [{ view: 'projects' }, { view: 'clusters', project }, { view: tab, project, cluster }],
        });
        app.setStatus(undefined);
      },
      (error: unknown) => {
        if (shown.current) app.setStatus({ kind: 'error', text: describeError(error).text });
      },
    );
  };

  return (
    <ListView
      route={props.route}
      keys={props.keys}
      rows={list}
      loading={false}
      columns={columns}
      rowKey={(j) => j.key}
      detailTitle={(j) => j.title}
      detail={detail}
      handlers={{
        open: (j) => {
          if (j) goToCluster(j);
        },
        dismiss: (j) => {
          if (!j) return;
          if (!j.done)
            app.setStatus({
              kind: 'warn',
              text: 'The job is still running; it can be dismissed once it ends.',
            });
          else jobs.dismiss(j.key);
        },
      }}
      emptyText="No jobs started from this terminal yet. Actions you take are followed here."
      width={props.width}
      height={props.height}
    />
  );
}

export const jobsView = defineView('jobs', keys, JobsView);
