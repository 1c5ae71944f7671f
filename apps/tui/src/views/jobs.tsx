import { useEffect, useState, useSyncExternalStore } from 'react';
import { useApp } from '../shell/app-context.js';
import type { DetailItem } from '../components/detail.js';
import { ListView } from '../components/list-view.js';
import type { Column } from '../components/table.js';
import { formatDuration } from '../terminal/format.js';
import type { TrackedJob } from '../services/jobs-store.js';
import type { Route } from '../navigation/routes.js';

function status(job: TrackedJob): string {
  if (job.error) return 'watch failed';
  return job.update?.status ?? 'starting';
}

function progress(job: TrackedJob): string {
  const p = job.update?.progress;
  return p ? `${p.done}/${p.total}` : job.update?.urls?.length ? 'links ready' : '-';
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

export function JobsView(props: { route: Route; width: number; height: number }) {
  const app = useApp();
  const { jobs } = app.services;
  const list = useSyncExternalStore(jobs.subscribe, jobs.getSnapshot);
  useTicker(list.some((j) => !j.done));
  const now = app.now();
  const elapsed = (job: TrackedJob) => formatDuration((job.endedAt ?? now) - job.startedAt);

  const columns: Column<TrackedJob>[] = [
    { title: 'KIND', width: 12, value: (j) => j.ref.kind },
    { title: 'ID', width: 24, value: (j) => j.ref.id },
    { title: 'CLUSTER', width: 16, value: (j) => j.ref.clusterName },
    { title: 'STATUS', width: 12, value: status },
    { title: 'PROGRESS', width: 11, value: progress },
    { title: 'ELAPSED', width: 8, value: elapsed },
    { title: 'WHAT', width: 10, grow: true, value: (j) => j.title },
  ];

  const detail = (j: TrackedJob): DetailItem[] => [
    ['job', `${j.ref.kind} ${j.ref.id}`],
    ['cluster', `${j.ref.clusterName} in ${j.ref.groupId}`],
    ['status', `${status(j)}${j.update ? ` (${j.update.phase})` : ''}`],
    ['progress', progress(j)],
    ['elapsed', elapsed(j)],
    ...(j.error ? [`✖ ${j.error.text}`] : []),
    ...(j.update?.urls ?? []).map((url, i): DetailItem => [`download ${i + 1}`, url]),
  ];

  return (
    <ListView
      route={props.route}
      rows={list}
      loading={false}
      columns={columns}
      rowKey={(j) => j.key}
      detailTitle={(j) => j.title}
      detail={detail}
      onAction={(action, j) => {
        if (action === 'dismiss' && j) {
          if (!j.done)
            app.setStatus({
              kind: 'warn',
              text: 'The job is still running; it can be dismissed once it ends.',
            });
          else jobs.dismiss(j.key);
        }
      }}
      emptyText="No jobs started from this terminal yet. Actions you take are followed here."
      width={props.width}
      height={props.height}
    />
  );
}
