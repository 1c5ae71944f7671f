import type { ClusterSummary } from '@atlas-backups/core';
import { useCallback } from 'react';
import type { Column } from '../components/table.js';
import { resourceProblem, useResource } from '../hooks/use-resource.js';
import { defineKeys } from '../keys/bindings.js';
import { clusterKindLabel, tabsFor } from '../navigation/deployment-kinds.js';
import { useApp } from '../shell/app-context.js';
import { describeError } from '../terminal/format.js';
import { ListView } from './list-view.js';
import { defineView, type ViewProps } from './view.js';

const kindMark: Record<ClusterSummary['kind'], string> = {
  replicaSet: '[RS]',
  sharded: '[SHARDED]',
  flex: '[FLEX]',
  serverless: '[SERVERLESS]',
};

const columns: Column<ClusterSummary>[] = [
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
    grow: true,
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
  const fetcher = useCallback(
    (signal: AbortSignal) => client.listAllClusters(project.id, { signal }),
    [client, project.id],
  );
  const resource = useResource(`clusters:${project.id}`, fetcher, {
    refreshMs: app.services.refreshMs * 2,
    pace: app.services.pace.delay,
    refreshToken: app.refreshToken,
  });
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
