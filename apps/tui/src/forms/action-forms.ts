import {
  actionForKind,
  addRetention,
  isDedicated,
  loadRestorableWindow,
  describeWindow,
  objectIdPattern,
  windowMiss,
  type WindowMiss,
  windowAt,
  type RestorableWindow,
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
import {
  chosenOf,
  numberOrText,
  type BuiltRequest,
  type FormSpec,
  type Option,
  type Values,
} from './form-spec.js';

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

const scopeOptions: Option[] = [
  { value: 'cluster', label: 'the whole cluster' },
  { value: 'collections', label: 'chosen collections' },
  { value: 'databases', label: 'chosen databases' },
];

const strategyOptions: Option[] = [
  { value: 'CREATE_NEW', label: 'as new collections (existing data untouched)' },
  { value: 'OVERWRITE_EXISTING', label: 'over the existing ones (drops and replaces them)' },
];

const indexOptions: Option[] = [
  { value: 'ALL', label: 'all indexes' },
  { value: 'ALL_EXCEPT_TTL', label: 'all but TTL indexes' },
  { value: 'NONE', label: 'no indexes' },
];

/** A Flex cluster's snapshot restores whole onto a cluster, or downloads; Atlas offers nothing else for it. */
const flexDeliveryOptions: Option[] = [
  { value: 'automated', label: 'onto a cluster (overwrites it)' },
  { value: 'download', label: 'a download link (nothing overwritten)' },
];

const needsTarget = (v: Values) => v.deliveryType !== 'download';
const isPit = (v: Values) => v.deliveryType === 'pointInTime';
/** Chosen collections or databases rather than the whole cluster. */
const byNamespace = (v: Values) => needsTarget(v) && v.scope !== undefined && v.scope !== 'cluster';

const targetLabel = (c: ClusterSummary) =>
  `${c.name} (${c.kind === 'sharded' ? 'sharded' : c.kind === 'flex' ? 'Flex' : 'replica set'})`;

/** The moment typed, in seconds, and the field it was typed in; undefined while it does not read. */
function typedMoment(v: Values): { field: string; seconds: number } | undefined {
  if (v.pitMode === 'oplog') {
    const ts = numberOrText(v.oplogTs);
    return typeof ts === 'number' ? { field: 'oplogTs', seconds: ts } : undefined;
  }
  const text = (v.pointInTime ?? '').trim();
  const read = text === '' ? undefined : readDateTime(text, { zone: 'utc' });
  return read?.ok ? { field: 'pointInTime', seconds: read.epochSeconds } : undefined;
}

/** Beside the field, short: the window itself is shown below the form. */
const missText: Record<WindowMiss, string> = {
  continuousOff: 'continuous backup is off: restore from a snapshot',
  nothingYet: 'no completed snapshot to restore from yet',
  before: 'before the restorable window',
  after: 'in the future',
};

export function restoreForm(
  client: AtlasClient,
  project: ProjectRef,
  cluster: ClusterSummary,
  snapshot: { id: string } | undefined,
  now: () => number = Date.now,
  options: { delivery?: 'download' } = {},
): FormSpec {
  if (cluster.kind === 'flex') return flexRestoreForm(client, project, cluster, snapshot, options);
  // The source's restorable window, loaded when the form opens; moments are checked against it as typed.
  let window: RestorableWindow | undefined;
  let windowProblem: string | undefined;
  const current = () => (window ? windowAt(window, now()) : undefined);

  const namespaceSource = async (v: Values, signal: AbortSignal): Promise<string | undefined> => {
    if (!isPit(v)) return objectIdPattern.test(v.snapshotId ?? '') ? v.snapshotId : undefined;
    // For a moment, what the newest completed snapshot holds; the preview checks the moment itself.
    const page = await client.listSnapshots(project.id, cluster.name, { itemsPerPage: 20 }, { signal });
    return page.results.find((s) => s.status === 'completed')?.id;
  };

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
      ...targetFields(client, project, cluster),
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
      {
        name: 'scope',
        label: 'What to restore',
        kind: 'select',
        options: scopeOptions,
        visible: needsTarget,
      },
      {
        name: 'namespaces',
        label: 'Namespaces',
        kind: 'multiselect',
        visible: byNamespace,
        dependsOn: ['deliveryType', 'scope', 'snapshotId'],
        load: async (v, signal) => {
          const id = await namespaceSource(v, signal);
          if (id === undefined) return [];
          const holds = await client.listSnapshotNamespaces(project.id, cluster.name, id, { signal });
          return v.scope === 'databases'
            ? holds.map((d) => ({ value: d.database, label: d.database }))
            : holds.flatMap((d) =>
                d.collections.map((c) => ({ value: `${d.database}.${c}`, label: `${d.database}.${c}` })),
              );
        },
      },
      {
        name: 'writeStrategy',
        label: 'Write',
        kind: 'select',
        options: strategyOptions,
        visible: byNamespace,
      },
      {
        name: 'indexStrategy',
        label: 'Indexes',
        kind: 'select',
        options: indexOptions,
        visible: byNamespace,
      },
      {
        name: 'suffix',
        label: 'Name suffix',
        kind: 'text',
        placeholder: '(optional, e.g. _restored)',
        visible: byNamespace,
      },
    ],
    initial: {
      deliveryType: options.delivery ?? (snapshot ? 'automated' : 'pointInTime'),
      snapshotId: snapshot?.id ?? '',
      targetGroupId: project.id,
      targetClusterName: cluster.name,
      pitMode: 'datetime',
      pointInTime: '',
      oplogTs: '',
      oplogInc: '',
      scope: 'cluster',
      namespaces: '',
      writeStrategy: 'CREATE_NEW',
      indexStrategy: 'ALL',
      suffix: '',
    },
    fieldFor: (path) => {
      const head = path.split('.')[0] ?? path;
      if (head === 'pointInTimeUTCSeconds' || head === 'pointInTimeUtcSeconds') return 'pointInTime';
      if (head === 'collections' || head === 'databases') return 'namespaces';
      if (head === 'collectionSuffix' || head === 'databaseSuffix') return 'suffix';
      return head;
    },
    async prepare(signal) {
      try {
        window = await loadRestorableWindow(client, project.id, cluster.name, { now: now(), signal });
      } catch (error) {
        windowProblem = error instanceof Error ? error.message : String(error);
      }
    },
    check: (v) => {
      const w = current();
      const at = isPit(v) ? typedMoment(v) : undefined;
      const miss = w && at ? windowMiss(w, at.seconds * 1000) : undefined;
      return w && at && miss ? { [at.field]: missText[miss] } : {};
    },
    live: (v) => {
      if (!isPit(v)) return [];
      const w = current();
      if (w) return [`Window: ${describeWindow(w)}`];
      return [windowProblem ? `Restorable window unknown: ${windowProblem}` : 'Restorable window: loading…'];
    },
    build: (v): BuiltRequest => {
      const base = where(project, cluster);
      if (v.deliveryType === 'download') {
        return { action: 'restore.download', params: { ...base, snapshotId: v.snapshotId }, conversion: {} };
      }
      const target = { targetGroupId: v.targetGroupId, targetClusterName: v.targetClusterName };
      const text = (v.pointInTime ?? '').trim();
      const read =
        isPit(v) && v.pitMode !== 'oplog' && text !== '' ? readDateTime(text, { zone: 'utc' }) : undefined;
      const conversion: Record<string, string> = read && !read.ok ? { pointInTime: read.problem } : {};
      const seconds = read?.ok ? read.epochSeconds : undefined;
      if (byNamespace(v)) {
        const scope = v.scope === 'databases' ? 'databases' : 'collections';
        const suffix = (v.suffix ?? '').trim();
        return {
          action:
            v.writeStrategy === 'OVERWRITE_EXISTING'
              ? 'restore.collections.overwrite'
              : 'restore.collections.createNew',
          params: {
            ...base,
            ...target,
            indexStrategy: v.indexStrategy,
            [scope]: chosenOf(v.namespaces).map((sourceNamespace) => ({ sourceNamespace })),
            ...(suffix === ''
              ? {}
              : scope === 'collections'
                ? { collectionSuffix: suffix }
                : { databaseSuffix: suffix }),
            ...(!isPit(v)
              ? { snapshotId: v.snapshotId }
              : v.pitMode === 'oplog'
                ? { oplogTs: numberOrText(v.oplogTs), oplogInc: numberOrText(v.oplogInc) }
                : { pointInTimeUtcSeconds: seconds }),
          },
          conversion,
        };
      }
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
      return {
        action: 'restore.pointInTime',
        params: { ...base, ...target, pointInTimeUTCSeconds: seconds },
        conversion,
      };
    },
  };
}

/**
 * The target project and cluster of a restore: the source's own first. A dedicated cluster's
 * snapshot restores onto dedicated clusters; a Flex one onto a Flex or a dedicated cluster.
 */
function targetFields(client: AtlasClient, project: ProjectRef, cluster: ClusterSummary): FormSpec['fields'] {
  const fits = (c: ClusterSummary) => isDedicated(c.kind) || (cluster.kind === 'flex' && c.kind === 'flex');
  return [
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
        const options = clusters.filter(fits).map((c) => ({ value: c.name, label: targetLabel(c) }));
        return [
          ...options.filter((o) => o.value === cluster.name),
          ...options.filter((o) => o.value !== cluster.name),
        ];
      },
    },
  ];
}

/**
 * A Flex cluster's restore form: its snapshot onto a cluster, or a download link. Core names
 * the action (the Flex API's), from the same parameters as a dedicated cluster's.
 */
function flexRestoreForm(
  client: AtlasClient,
  project: ProjectRef,
  cluster: ClusterSummary,
  snapshot: { id: string } | undefined,
  options: { delivery?: 'download' },
): FormSpec {
  return {
    title: `Restore from Flex cluster ${cluster.name}`,
    fields: [
      { name: 'deliveryType', label: 'Restore', kind: 'select', options: flexDeliveryOptions },
      { name: 'snapshotId', label: 'Snapshot id', kind: 'text' },
      ...targetFields(client, project, cluster),
    ],
    initial: {
      deliveryType: options.delivery ?? 'automated',
      snapshotId: snapshot?.id ?? '',
      targetGroupId: project.id,
      targetClusterName: cluster.name,
    },
    build: (v): BuiltRequest => {
      const base = { ...where(project, cluster), snapshotId: v.snapshotId };
      if (v.deliveryType === 'download')
        return { action: actionForKind('restore.download', cluster.kind), params: base, conversion: {} };
      return {
        action: actionForKind('restore.automated', cluster.kind),
        params: { ...base, targetGroupId: v.targetGroupId, targetClusterName: v.targetClusterName },
        conversion: {},
      };
    },
  };
}
