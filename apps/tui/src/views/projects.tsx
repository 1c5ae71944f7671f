import {
  compliancePolicyFacts,
  paginate,
  readCompliancePolicyOrReason,
  type Project,
} from '@atlas-backups/core';
import { useCallback, useMemo, useState } from 'react';
import type { Column } from '../components/table.js';
import { useAppResource } from '../hooks/use-app-resource.js';
import { resourceProblem } from '../hooks/use-resource.js';
import { defineKeys } from '../keys/bindings.js';
import { useApp } from '../shell/app-context.js';
import { describeError, formatTime } from '../terminal/format.js';
import { ListView } from './list-view.js';
import { defineView, type ViewProps } from './view.js';

const keys = defineKeys({
  actions: [{ keys: ['enter'], action: 'open', help: "open the project's clusters", hint: 'open' }],
  tabs: false,
  list: true,
});

function ProjectsView(props: ViewProps<'projects', typeof keys>) {
  const app = useApp();
  const { client, actions } = app.services;
  const isProduction = useCallback((p: Project) => actions.policy.isProduction(p), [actions]);
  const fetcher = useCallback(
    async (signal: AbortSignal) => {
      const out: Project[] = [];
      for await (const p of paginate((pageNum, itemsPerPage) =>
        client.listProjects({ pageNum, itemsPerPage }, { signal }),
      ))
        out.push(p);
      return out;
    },
    [client],
  );
  const resource = useAppResource('projects', fetcher, {
    refreshMs: app.services.refreshMs * 6,
  });

  // The selected project's Backup Compliance Policy, read when it is selected (one request per
  // project, not one per project listed: Atlas limits each endpoint's requests a minute).
  const [selectedId, setSelectedId] = useState<string | undefined>(undefined);
  const complianceFetcher = useCallback(
    async (signal: AbortSignal) =>
      selectedId === undefined
        ? undefined
        : {
            id: selectedId,
            reading: await readCompliancePolicyOrReason(client, selectedId, { signal }),
          },
    [client, selectedId],
  );
  const compliance = useAppResource(`compliance:${selectedId ?? ''}`, complianceFetcher, {
    refreshMs: app.services.refreshMs * 6,
  });
  const complianceDetail = (p: Project): [string, string][] => {
    const reading = compliance.data?.id === p.id ? compliance.data.reading : undefined;
    if (!reading) return [['compliance policy', compliance.loading ? 'reading…' : 'not read']];
    return compliancePolicyFacts(reading);
  };

  const columns = useMemo(
    (): Column<Project>[] => [
      { title: 'NAME', width: 24, value: (p) => p.name, sortValue: (p) => p.name.toLowerCase() },
      { title: 'ID', width: 24, value: (p) => p.id, sortValue: (p) => p.id },
      {
        title: 'ENV',
        width: 10,
        value: (p) => (isProduction(p) ? 'PRODUCTION' : '-'),
        sortValue: (p) => (isProduction(p) ? 0 : 1),
      },
      {
        title: 'CLUSTERS',
        width: 8,
        align: 'right',
        value: (p) => String(p.clusterCount),
        sortValue: (p) => p.clusterCount,
      },
      {
        title: 'CREATED',
        width: 16,
        grow: true,
        value: (p) => formatTime(p.created),
        sortValue: (p) => p.created,
      },
    ],
    [isProduction],
  );

  return (
    <ListView
      route={props.route}
      keys={props.keys}
      rows={resource.data}
      loading={resource.loading}
      columns={columns}
      rowKey={(p) => p.id}
      detailTitle={(p) => `Project ${p.name}`}
      detail={(p) => [
        ['id', p.id],
        ['organization', p.orgId],
        ['clusters', String(p.clusterCount)],
        ['created', formatTime(p.created)],
        ['tags', (p.tags ?? []).map((t) => `${t.key}=${t.value}`).join(', ') || '-'],
        ...(isProduction(p) ? ['Production: destructive actions need the target cluster name typed.'] : []),
        ...complianceDetail(p),
      ]}
      handlers={{
        open: (p) => {
          if (p)
            app.navigate({
              type: 'push',
              route: { view: 'clusters', project: { id: p.id, name: p.name, production: isProduction(p) } },
            });
        },
      }}
      onSelected={setSelectedId}
      initialSort={{ column: 0, descending: false }}
      emptyText="No projects are visible to this identity."
      problem={resourceProblem(resource, (e) => describeError(e).text)}
      width={props.width}
      height={props.height}
    />
  );
}

export const projectsView = defineView('projects', keys, ProjectsView);
