import { paginate, type ExportBucket } from '@atlas-backups/core';
import { useCallback } from 'react';
import { useApp } from '../shell/app-context.js';
import { ListView } from '../components/list-view.js';
import type { Column } from '../components/table.js';
import { describeError } from '../terminal/format.js';
import type { ProjectRef, Route } from '../navigation/routes.js';
import { resourceProblem, useResource } from '../hooks/use-resource.js';

const columns: Column<ExportBucket>[] = [
  { title: 'ID', width: 24, value: (b) => b._id, sortValue: (b) => b._id },
  { title: 'BUCKET', width: 28, value: (b) => b.bucketName, sortValue: (b) => b.bucketName },
  { title: 'CLOUD', width: 6, value: (b) => b.cloudProvider, sortValue: (b) => b.cloudProvider },
  { title: 'REGION', width: 10, grow: true, value: (b) => b.region ?? '-', sortValue: (b) => b.region ?? '' },
];

export function BucketsView(props: { route: Route; project: ProjectRef; width: number; height: number }) {
  const { project } = props;
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
  const resource = useResource(`buckets:${project.id}`, fetcher, {
    refreshMs: app.services.refreshMs * 6,
    refreshToken: app.refreshToken,
  });
  return (
    <ListView
      route={props.route}
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
      onAction={() => undefined}
      initialSort={{ column: 1, descending: false }}
      emptyText={`No export buckets in ${project.name}.`}
      problem={resourceProblem(resource, (e) => describeError(e).text)}
      width={props.width}
      height={props.height}
    />
  );
}
