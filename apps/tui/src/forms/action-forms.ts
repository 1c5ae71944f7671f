import {
  addRetention,
  isDedicated,
  parseLabelText,
  readDateTime,
  retentionRequest,
  snapshotDescriptionMax,
  type AtlasClient,
  type ClusterSummary,
  type Snapshot,
} from '@atlas-backups/core';
import { formatTimeSeconds } from '../terminal/format.js';
import type { ProjectRef } from '../navigation/routes.js';
import { numberOrText, type BuiltRequest, type FormSpec, type Option, type Values } from './form-spec.js';

const where = (project: ProjectRef, cluster: ClusterSummary) => ({
  groupId: project.id,
  clusterName: cluster.name,
});

const optional = (text: string | undefined) => (text === undefined || text === '' ? undefined : text);

export function takeSnapshotForm(project: ProjectRef, cluster: ClusterSummary): FormSpec {
  return {
    title: `Take an on-demand snapshot of ${cluster.name}`,
    fields: [
      {
        name: 'description',
        label: 'Description',
        kind: 'text',
        placeholder: `(optional, up to ${snapshotDescriptionMax} characters)`,
      },
      { name: 'retentionInDays', label: 'Keep for (days)', kind: 'number' },
    ],
    initial: { description: '', retentionInDays: '7' },
    build: (v) => ({
      action: 'snapshot.take',
      params: {
        ...where(project, cluster),
        description: optional(v.description),
        retentionInDays: numberOrText(v.retentionInDays),
      },
      conversion: {},
    }),
  };
}

const retentionUnits: Option[] = (['DAYS', 'WEEKS', 'MONTHS', 'YEARS'] as const).map((u) => ({
  value: u,
  label: u.toLowerCase(),
}));

export function retentionForm(project: ProjectRef, cluster: ClusterSummary, snapshot: Snapshot): FormSpec {
  const day = 86_400_000;
  return {
    title: `Change retention of snapshot ${snapshot.id}`,
    fields: [
      { name: 'retentionUnit', label: 'Unit', kind: 'select', options: retentionUnits },
      { name: 'retentionValue', label: 'Value', kind: 'number' },
    ],
    initial: { retentionUnit: 'DAYS', retentionValue: '' },
    build: (v) => ({
      action: 'snapshot.retention',
      params: {
        ...where(project, cluster),
        snapshotId: snapshot.id,
        retentionUnit: v.retentionUnit,
        retentionValue: numberOrText(v.retentionValue),
      },
      conversion: {},
    }),
    live: (v) => {
      const lines = [`Expires now:   ${formatTimeSeconds(snapshot.expiresAt)}`];
      // Only a retention the core accepts is previewed, so no typed number can break the preview.
      const valid = retentionRequest.safeParse({
        retentionUnit: v.retentionUnit,
        retentionValue: numberOrText(v.retentionValue),
      });
      if (valid.success && snapshot.createdAt) {
        const { retentionUnit, retentionValue } = valid.data;
        const next = addRetention(Date.parse(snapshot.createdAt), retentionUnit, retentionValue);
        const current = snapshot.expiresAt ? Date.parse(snapshot.expiresAt) : undefined;
        const diff = current === undefined ? 0 : Math.round((next - current) / day);
        const days = (n: number) => `${n} day${n === 1 ? '' : 's'}`;
        const change = diff === 0 ? '' : diff < 0 ? ` (${days(-diff)} earlier)` : ` (${days(diff)} later)`;
        lines.push(`Expires after: ${formatTimeSeconds(next)}${change}`);
      }
      return lines;
    },
  };
}

/** `key=value, key=value` into Atlas's customData pairs, by core's label rule. */
export function parseCustomData(
  text: string,
): { pairs: { key: string; value: string }[] } | { error: string } {
  const read = parseLabelText(text, ',');
  return 'error' in read ? { error: read.error } : { pairs: read.labels };
}

export function exportForm(
  client: AtlasClient,
  project: ProjectRef,
  cluster: ClusterSummary,
  snapshot: { id: string },
): FormSpec {
  return {
    title: `Export snapshot ${snapshot.id} of ${cluster.name} to a bucket`,
    fields: [
      {
        name: 'exportBucketId',
        label: 'Bucket',
        kind: 'select',
        load: async (_v, signal) => {
          const page = await client.listExportBuckets(project.id, { itemsPerPage: 500 }, { signal });
          return page.results.map((b) => ({ value: b._id, label: `${b.bucketName} (${b.cloudProvider})` }));
        },
      },
      {
        name: 'customData',
        label: 'Custom data',
        kind: 'text',
        placeholder: 'key=value, key=value (optional)',
      },
    ],
    initial: { exportBucketId: '', customData: '' },
    fieldFor: (path) => path.split('.')[0] ?? path,
    build: (v): BuiltRequest => {
      const custom = parseCustomData(v.customData ?? '');
      return {
        action: 'export.create',
        params: {
          ...where(project, cluster),
          snapshotId: snapshot.id,
          exportBucketId: v.exportBucketId,
          customData: 'pairs' in custom && custom.pairs.length > 0 ? custom.pairs : undefined,
        },
        conversion: 'error' in custom ? { customData: custom.error } : {},
      };
    },
  };
}

const deliveryOptions: Option[] = [
  { value: 'automated', label: 'onto a cluster (automated; overwrites it)' },
  { value: 'pointInTime', label: 'to a point in time (overwrites the target)' },
  { value: 'download', label: 'download links (nothing overwritten)' },
];

const pitOptions: Option[] = [
  { value: 'datetime', label: 'date and time (UTC)' },
  { value: 'oplog', label: 'oplog timestamp + increment' },
];

const needsTarget = (v: Values) => v.deliveryType !== 'download';
const isPit = (v: Values) => v.deliveryType === 'pointInTime';

export function restoreForm(
  client: AtlasClient,
  project: ProjectRef,
  cluster: ClusterSummary,
  snapshot: { id: string } | undefined,
): FormSpec {
  return {
    title: `Restore from ${cluster.name}`,
    fields: [
      { name: 'deliveryType', label: 'Restore', kind: 'select', options: deliveryOptions },
      {
        name: 'snapshotId',
        label: 'Snapshot id',
        kind: 'text',
        visible: (v) => !isPit(v),
      },
      {
        name: 'targetGroupId',
        label: 'Target project',
        kind: 'select',
        visible: needsTarget,
        load: async (_v, signal) => {
          const page = await client.listProjects({ itemsPerPage: 500 }, { signal });
          const options = page.results.map((p) => ({ value: p.id, label: `${p.name} (${p.id})` }));
          // The source's own project first: restoring within a project is the common case.
          return [
            ...options.filter((o) => o.value === project.id),
            ...options.filter((o) => o.value !== project.id),
          ];
        },
      },
      {
        name: 'targetClusterName',
        label: 'Target cluster',
        kind: 'select',
        visible: needsTarget,
        dependsOn: ['targetGroupId'],
        load: async (v, signal) => {
          if (!v.targetGroupId) return [];
          const clusters = await client.listAllClusters(v.targetGroupId, { signal });
          const options = clusters
            .filter((c) => isDedicated(c.kind))
            .map((c) => ({
              value: c.name,
              label: `${c.name} (${c.kind === 'sharded' ? 'sharded' : 'replica set'})`,
            }));
          return [
            ...options.filter((o) => o.value === cluster.name),
            ...options.filter((o) => o.value !== cluster.name),
          ];
        },
      },
      { name: 'pitMode', label: 'Point in time by', kind: 'select', options: pitOptions, visible: isPit },
      {
        name: 'pointInTime',
        label: 'Date-time (UTC)',
        kind: 'datetime',
        placeholder: 'YYYY-MM-DD HH:MM[:SS]',
        visible: (v) => isPit(v) && v.pitMode === 'datetime',
      },
      {
        name: 'oplogTs',
        label: 'Oplog timestamp',
        kind: 'number',
        placeholder: 'seconds since the epoch',
        visible: (v) => isPit(v) && v.pitMode === 'oplog',
      },
      {
        name: 'oplogInc',
        label: 'Oplog increment',
        kind: 'number',
        visible: (v) => isPit(v) && v.pitMode === 'oplog',
      },
    ],
    initial: {
      deliveryType: snapshot ? 'automated' : 'pointInTime',
      snapshotId: snapshot?.id ?? '',
      targetGroupId: project.id,
      targetClusterName: cluster.name,
      pitMode: 'datetime',
      pointInTime: '',
      oplogTs: '',
      oplogInc: '',
    },
    fieldFor: (path) => (path === 'pointInTimeUTCSeconds' ? 'pointInTime' : (path.split('.')[0] ?? path)),
    build: (v): BuiltRequest => {
      const base = where(project, cluster);
      if (v.deliveryType === 'download') {
        return { action: 'restore.download', params: { ...base, snapshotId: v.snapshotId }, conversion: {} };
      }
      const target = { targetGroupId: v.targetGroupId, targetClusterName: v.targetClusterName };
      if (v.deliveryType === 'automated') {
        return {
          action: 'restore.automated',
          params: { ...base, snapshotId: v.snapshotId, ...target },
          conversion: {},
        };
      }
      if (v.pitMode === 'oplog') {
        return {
          action: 'restore.pointInTime',
          params: {
            ...base,
            ...target,
            oplogTs: numberOrText(v.oplogTs),
            oplogInc: numberOrText(v.oplogInc),
          },
          conversion: {},
        };
      }
      const text = (v.pointInTime ?? '').trim();
      const read = text === '' ? undefined : readDateTime(text, { zone: 'utc' });
      return {
        action: 'restore.pointInTime',
        params: { ...base, ...target, pointInTimeUTCSeconds: read?.ok ? read.epochSeconds : undefined },
        conversion: read && !read.ok ? { pointInTime: read.problem } : {},
      };
    },
  };
}
