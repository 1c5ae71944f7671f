import { listRestoreJobRows, restoreCancelRefusal, type RestoreJobRow } from '@atlas-backups/core';
import { useCallback } from 'react';
import type { DetailItem } from '../components/detail.js';
import type { Column } from '../components/table.js';
import { restoreForm } from '../forms/action-forms.js';
import { useAppResource } from '../hooks/use-app-resource.js';
import { resourceProblem } from '../hooks/use-resource.js';
import { defineKeys, type ActionOf, type Handlers } from '../keys/bindings.js';
import { useApp } from '../shell/app-context.js';
import { describeError, formatTime, formatTimeSeconds } from '../terminal/format.js';
import { ListView } from './list-view.js';
import { defineView, onSelected, type ViewProps } from './view.js';

/** The TARGET column: the cluster restored onto, and the moment for a point-in-time restore. */
const target = (r: RestoreJobRow) =>
  r.targetCluster ? `${r.targetCluster}${r.moment ? ` @ ${r.moment}` : ''}` : '-';
const snapshotOf = (r: RestoreJobRow) => r.snapshotId ?? '-';

const columns: Column<RestoreJobRow>[] = [
  { title: 'ID', width: 24, value: (r) => r.id, sortValue: (r) => r.id },
  { title: 'TYPE', width: 11, value: (r) => r.delivery, sortValue: (r) => r.delivery },
  { title: 'STATUS', width: 12, value: (r) => r.state.status, sortValue: (r) => r.state.status },
  {
    title: 'REQUESTED',
    width: 16,
    value: (r) => formatTime(r.requestedAt),
    sortValue: (r) => r.requestedAt ?? '',
  },
  {
    title: 'FINISHED',
    width: 16,
    value: (r) => formatTime(r.finishedAt),
    sortValue: (r) => r.finishedAt ?? '',
  },
  { title: 'TARGET', width: 16, value: target, sortValue: target },
  { title: 'SNAPSHOT', width: 10, grow: true, value: snapshotOf, sortValue: snapshotOf },
];

function detail(row: RestoreJobRow): DetailItem[] {
  const items: DetailItem[] = [
    ['id', row.id],
    ['type', row.delivery],
    ['status', `${row.state.status} (${row.state.phase})`],
    ['snapshot', snapshotOf(row)],
    ['target', target(row)],
    ['requested', formatTimeSeconds(row.requestedAt)],
    ['finished', formatTimeSeconds(row.finishedAt)],
  ];
  if (row.expiresAt) items.push(['links expire', formatTimeSeconds(row.expiresAt)]);
  for (const [i, url] of (row.state.urls ?? []).entries()) items.push([`download ${i + 1}`, url]);
  return items;
}

const keys = defineKeys({
  actions: [
    { keys: ['c'], action: 'restore.cancel', help: 'cancel the restore job', changes: true, hint: 'cancel' },
    { keys: ['w'], action: 'watch', help: 'watch the job in the jobs view', hint: 'watch' },
    { keys: ['R'], action: 'restore', help: 'start a restore', changes: true },
  ],
  tabs: true,
  list: true,
});

function RestoresView(props: ViewProps<'restores', typeof keys>) {
  const { project, cluster } = props.route;
  const app = useApp();
  const { client, jobs } = app.services;
  const fetcher = useCallback(
    (signal: AbortSignal): Promise<RestoreJobRow[]> =>
      listRestoreJobRows(client, project.id, cluster, { signal }),
    [client, project.id, cluster],
  );
  const resource = useAppResource(`restores:${project.id}:${cluster.name}`, fetcher, {
    refreshMs: app.services.refreshMs,
  });

  const onRow = onSelected<RestoreJobRow>(() =>
    app.setStatus({ kind: 'warn', text: 'Select a restore job first.' }),
  );
  const handlers: Handlers<ActionOf<typeof keys.actions>, RestoreJobRow | undefined> = {
    restore: () => app.openFlow({ form: restoreForm(client, project, cluster, undefined, () => app.now()) }),
    'restore.cancel': onRow((row) => {
      if (row.source === 'collections') {
        app.setStatus({
          kind: 'warn',
          text: `Atlas has no way to cancel a collection restore job through its API; job ${row.id} runs to its end.`,
        });
        return;
      }
      if (row.state.terminal) {
        app.setStatus({ kind: 'warn', text: `Restore job ${row.id} already ended (${row.state.status}).` });
        return;
      }
      // Atlas refuses to cancel a sharded cluster's restores: say so, instead of asking to confirm.
      const refusal = restoreCancelRefusal(cluster, row.id);
      if (refusal) {
        app.setStatus({ kind: 'warn', text: describeError(refusal).text });
        return;
      }
      app.openFlow({
        direct: {
          action: 'restore.cancel',
          params: { groupId: project.id, clusterName: cluster.name, restoreJobId: row.id },
        },
      });
    }),
    watch: onRow((row) => {
      jobs.track(
        {
          kind:
            row.source === 'flex'
              ? 'flexRestore'
              : row.source === 'collections'
                ? 'collectionRestore'
                : 'restore',
          groupId: project.id,
          clusterName: cluster.name,
          id: row.id,
        },
        `${row.delivery} restore ${row.id} of ${cluster.name}`,
      );
      app.setStatus({ kind: 'info', text: `Watching restore job ${row.id} (J: jobs).` });
    }),
  };

  return (
    <ListView
      route={props.route}
      keys={props.keys}
      rows={resource.data}
      loading={resource.loading}
      columns={columns}
      rowKey={(r) => r.id}
      detailTitle={(r) => `Restore job ${r.id}`}
      detail={detail}
      handlers={handlers}
      initialSort={{ column: 3, descending: true }}
      emptyText={`No restore jobs for ${cluster.name}.`}
      problem={resourceProblem(resource, (e) => describeError(e).text)}
      width={props.width}
      height={props.height}
    />
  );
}

export const restoresView = defineView('restores', keys, RestoresView);
