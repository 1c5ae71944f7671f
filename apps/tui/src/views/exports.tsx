import { exportState, formatLabels, paginate, type ExportJob } from '@atlas-backups/core';
import { useCallback } from 'react';
import type { Column } from '../components/table.js';
import { useAppResource } from '../hooks/use-app-resource.js';
import { resourceProblem } from '../hooks/use-resource.js';
import { defineKeys } from '../keys/bindings.js';
import { useApp } from '../shell/app-context.js';
import { describeError, formatTime, formatTimeSeconds } from '../terminal/format.js';
import { ListView } from './list-view.js';
import { defineView, type ViewProps } from './view.js';

const progress = (job: ExportJob) => {
  const p = exportState(job).progress;
  return p ? `${p.done}/${p.total}` : '-';
};

const columns: Column<ExportJob>[] = [
  { title: 'ID', width: 24, value: (j) => j.id, sortValue: (j) => j.id },
  { title: 'STATE', width: 10, value: (j) => j.state ?? '-', sortValue: (j) => j.state ?? '' },
  { title: 'PROGRESS', width: 9, value: progress },
  { title: 'CREATED', width: 16, value: (j) => formatTime(j.createdAt), sortValue: (j) => j.createdAt ?? '' },
  {
    title: 'FINISHED',
    width: 16,
    value: (j) => formatTime(j.finishedAt),
    sortValue: (j) => j.finishedAt ?? '',
  },
  { title: 'SNAPSHOT', width: 24, value: (j) => j.snapshotId ?? '-', sortValue: (j) => j.snapshotId ?? '' },
  {
    title: 'BUCKET',
    width: 10,
    grow: true,
    value: (j) => j.exportBucketId,
    sortValue: (j) => j.exportBucketId,
  },
];

const keys = defineKeys({
  actions: [{ keys: ['w'], action: 'watch', help: 'watch the job in the jobs view', hint: 'watch' }],
  tabs: true,
  list: true,
});

function ExportsView(props: ViewProps<'exports', typeof keys>) {
  const { project, cluster } = props.route;
  const app = useApp();
  const { client, jobs } = app.services;
  const fetcher = useCallback(
    async (signal: AbortSignal) => {
      const out: ExportJob[] = [];
      for await (const job of paginate((pageNum, itemsPerPage) =>
        client.listExportJobs(project.id, cluster.name, { pageNum, itemsPerPage }, { signal }),
      ))
        out.push(job);
      return out;
    },
    [client, project.id, cluster.name],
  );
  const resource = useAppResource(`exports:${project.id}:${cluster.name}`, fetcher, {
    refreshMs: app.services.refreshMs,
  });
  return (
    <ListView
      route={props.route}
      keys={props.keys}
      rows={resource.data}
      loading={resource.loading}
      columns={columns}
      rowKey={(j) => j.id}
      detailTitle={(j) => `Export job ${j.id}`}
      detail={(j) => [
        ['id', j.id],
        ['state', j.state ?? '-'],
        ['collections', progress(j)],
        ['snapshot', j.snapshotId ?? '-'],
        ['bucket', j.exportBucketId],
        ['custom data', formatLabels(j.customData ?? []) || '-'],
        ['created', formatTimeSeconds(j.createdAt)],
        ['finished', formatTimeSeconds(j.finishedAt)],
        ['prefix', j.prefix ?? '-'],
        ...(j.stateReason?.message ? [`Reason: ${j.stateReason.message}`] : []),
      ]}
      handlers={{
        watch: (j) => {
          if (!j) return;
          jobs.track(
            { kind: 'export', groupId: project.id, clusterName: cluster.name, id: j.id },
            `export ${j.id} of ${cluster.name}`,
          );
          app.setStatus({ kind: 'info', text: `Watching export job ${j.id} (J: jobs).` });
        },
      }}
      initialSort={{ column: 3, descending: true }}
      emptyText={`No export jobs for ${cluster.name}. Export a snapshot with x in the snapshots view.`}
      problem={resourceProblem(resource, (e) => describeError(e).text)}
      width={props.width}
      height={props.height}
    />
  );
}

export const exportsView = defineView('exports', keys, ExportsView);
