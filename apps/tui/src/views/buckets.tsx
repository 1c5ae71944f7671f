import { paginate, type ExportBucket } from '@atlas-backups/core';
import { useCallback } from 'react';
import type { Column } from '../components/table.js';
import { useAppResource } from '../hooks/use-app-resource.js';
import { resourceProblem } from '../hooks/use-resource.js';
import { defineKeys } from '../keys/bindings.js';
import { useApp } from '../shell/app-context.js';
import { describeError } from '../terminal/format.js';
import { ListView } from './list-view.js';
import { defineView, type ViewProps } from './view.js';

const columns: Column<ExportBucket>[] = [
  { title: 'ID', width: 24, value: (b) => b._id, sortValue: (b) => b._id },
  { title: 'BUCKET', width: 28, value: (b) => b.bucketName, sortValue: (b) => b.bucketName },
  { title: 'CLOUD', width: 6, value: (b) => b.cloudProvider, sortValue: (b) => b.cloudProvider },
  { title: 'REGION', width: 10, grow: true, value: (b) => b.region ?? '-', sortValue: (b) => b.region ?? '' },
];

const keys = defineKeys({ actions: [], tabs: true, list: true });

/** A project's export buckets: a tab of each dedicated cluster, or `:buckets` outside one. */
function BucketsView(props: ViewProps<'buckets', typeof keys>) {
  const { project } = props.route;
  const app = useApp();
  const { client } = app.services;
  const fetcher = useCallback(
    async (signal: AbortSignal) => {
      const out: ExportBucket[] = [];
      for await (const b of paginate((pageNum, itemsPerPage) =>
        client.listExportBuckets(project.id, { pageNum, itemsPerPage }, { signal }),
      ))
        out.push(b);
      return out;
    },
    [client, project.id],
  );
  const resource = useAppResource(`buckets:${project.id}`, fetcher, {
    refreshMs: app.services.refreshMs * 6,
  });
  return (
    <ListView
      route={props.route}
      keys={props.keys}
      rows={resource.data}
      loading={resource.loading}
      columns={columns}
      rowKey={(b) => b._id}
      detailTitle={(b) => `Bucket ${b.bucketName}`}
      detail={(b) => [
        ['id', b._id],
        ['bucket', b.bucketName],
        ['cloud', b.cloudProvider],
        ['region', b.region ?? '-'],
        ['IAM role', b.iamRoleId ?? b.roleId ?? '-'],
        ['service URL', b.serviceUrl ?? '-'],
        ['private networking', b.requirePrivateNetworking ? 'required' : 'no'],
      ]}
      handlers={{}}
      initialSort={{ column: 1, descending: false }}
      emptyText={`No export buckets in ${project.name}.`}
      problem={resourceProblem(resource, (e) => describeError(e).text)}
      width={props.width}
      height={props.height}
    />
  );
}

export const bucketsView = defineView('buckets', keys, BucketsView);
