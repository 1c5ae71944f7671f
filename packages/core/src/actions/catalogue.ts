import { z } from 'zod';
import type { AtlasClient } from '../client/atlas-client.js';
import { ShardedRestoreCancelError } from '../errors.js';
import { dedicatedClusterKind, type ClusterKind } from '../schemas/clusters.js';
import { clusterName, groupId, objectId } from '../schemas/common.js';
import { backupLabel } from '../schemas/exports.js';
import {
  automatedRestoreRequest,
  checkPointInTime,
  downloadRestoreRequest,
  pointInTimeFields,
  type RestoreRequest,
} from '../schemas/restores.js';
import {
  checkRetention,
  retentionRequest,
  takeSnapshotRequest,
  type RetentionUnit,
  type Snapshot,
} from '../schemas/snapshots.js';
import { formatTimeSeconds } from '../present/format.js';
import type { ActionPreview, ActionResult, ActionRisk } from './types.js';

export interface ActionContext {
  client: AtlasClient;
  now: () => number;
  signal?: AbortSignal | undefined;
}

type PreviewBody = Omit<
  ActionPreview,
  'action' | 'projectId' | 'projectName' | 'production' | 'confirmPhrase'
> & {
  /** What a production confirmation asks the user to type (the cluster whose data is at stake). */
  confirmTarget?: string;
};

export interface ActionDefinition<S extends z.ZodType = z.ZodType> {
  name: string;
  title: string;
  /** Coarse class for policy and UI; a preview may raise it (shortening retention). */
  baseRisk: ActionRisk;
  params: S;
  preview(ctx: ActionContext, params: z.output<S>): Promise<PreviewBody>;
  execute(ctx: ActionContext, params: z.output<S>, requestRef: string): Promise<ActionResult>;
}

const where = { groupId, clusterName: clusterName() };
// A time that cannot be read or shown reads as unknown: a preview never throws on what it is given.
const fmt = (time: string | number | undefined) =>
  time === undefined || time === '' || (typeof time === 'number' && !Number.isFinite(time))
    ? 'unknown time'
    : formatTimeSeconds(time);
const day = 86_400_000;

/**
 * Atlas restores and exports only completed snapshots. Any other status, one Atlas added later
 * included, is not taken for completed: the person is told before Atlas is asked.
 */
function unlessCompleted(snap: Snapshot, what: 'restores' | 'exports'): string[] {
  if (snap.status === 'completed') return [];
  const status = snap.status ? snap.status : 'without a status';
  return [`Snapshot ${snap.id} is ${status}, not completed: Atlas ${what} only completed snapshots.`];
}

/** Adds a retention period to a date the way calendars do (months and years by calendar). */
export function addRetention(fromMs: number, unit: RetentionUnit, value: number): number {
  const d = new Date(fromMs);
  switch (unit) {
    case 'DAYS':
      return fromMs + value * day;
    case 'WEEKS':
      return fromMs + value * 7 * day;
    case 'MONTHS':
      return d.setUTCMonth(d.getUTCMonth() + value);
    case 'YEARS':
      return d.setUTCFullYear(d.getUTCFullYear() + value);
  }
}

const takeSnapshot: ActionDefinition<z.ZodObject<typeof where & typeof takeSnapshotRequest.shape>> = {
  name: 'snapshot.take',
  title: 'Take an on-demand snapshot',
  baseRisk: 'safe',
  params: z.strictObject({ ...where, ...takeSnapshotRequest.shape }),
  async preview(ctx, p) {
    const days = p.retentionInDays ?? 1;
    return {
      title: `Take an on-demand snapshot of ${p.clusterName}`,
      lines: [
        `Cluster: ${p.clusterName}`,
        `Kept for ${days} day${days === 1 ? '' : 's'} (until about ${fmt(ctx.now() + days * day)})`,
        ...(p.description ? [`Description: ${p.description}`] : []),
      ],
      warnings: [],
      risk: 'safe',
    };
  },
  async execute(ctx, p, requestRef) {
    const { groupId: g, clusterName: c, ...body } = p;
    const res = await ctx.client.takeSnapshot(g, c, body, { requestRef, signal: ctx.signal });
    return {
      action: 'snapshot.take',
      summary: `Snapshot ${res.value.id} ${res.value.status ?? 'queued'} on ${c}`,
      job: { kind: 'snapshot', groupId: g, clusterName: c, id: res.value.id },
      atlas: res.value,
      reconciled: res.reconciled,
      requestRef: res.requestRef,
    };
  },
};

const retentionParams = z
  .strictObject({ ...where, snapshotId: objectId('snapshotId'), ...retentionRequest.shape })
  .superRefine(checkRetention);
const changeRetention: ActionDefinition<typeof retentionParams> = {
  name: 'snapshot.retention',
  title: "Change a snapshot's retention",
  baseRisk: 'safe',
  params: retentionParams,
  async preview(ctx, p) {
    const snap = await ctx.client.getSnapshot(p.groupId, p.clusterName, p.snapshotId, { signal: ctx.signal });
    const created = snap.createdAt ? Date.parse(snap.createdAt) : ctx.now();
    const next = addRetention(created, p.retentionUnit, p.retentionValue);
    const current = snap.expiresAt ? Date.parse(snap.expiresAt) : undefined;
    const shorter = current !== undefined && next < current;
    const warnings: string[] = [];
    if (shorter) {
      const lost = Math.round((current - next) / day);
      warnings.push(
        `Shortens retention: the snapshot will be deleted ${lost} day${lost === 1 ? '' : 's'} earlier.`,
      );
    }
    if (next <= ctx.now())
      warnings.push('The new expiry is already past: Atlas will delete this snapshot now.');
    return {
      title: `Change retention of snapshot ${p.snapshotId} to ${p.retentionValue} ${p.retentionUnit.toLowerCase()}`,
      lines: [
        `Snapshot: ${p.snapshotId} of ${p.clusterName}, taken ${fmt(snap.createdAt)}`,
        `Expires now: ${fmt(snap.expiresAt)}`,
        `Expires after: ${fmt(next)}`,
      ],
      warnings,
      risk: shorter || next <= ctx.now() ? 'destructive' : 'safe',
      confirmTarget: p.clusterName,
    };
  },
  async execute(ctx, p, requestRef) {
    const { groupId: g, clusterName: c, snapshotId, ...body } = p;
    const snap = await ctx.client.updateSnapshotRetention(g, c, snapshotId, body, { signal: ctx.signal });
    return {
      action: 'snapshot.retention',
      summary: `Snapshot ${snapshotId} on ${c} now expires ${fmt(snap.expiresAt)}`,
      atlas: snap,
      reconciled: false,
      requestRef,
    };
  },
};

const exportParams = z.strictObject({
  ...where,
  snapshotId: objectId('snapshotId'),
  exportBucketId: objectId('exportBucketId'),
  customData: z.array(backupLabel).max(50, 'at most 50 customData pairs').optional(),
});
const createExport: ActionDefinition<typeof exportParams> = {
  name: 'export.create',
  title: 'Export a snapshot to a bucket',
  baseRisk: 'costly',
  params: exportParams,
  async preview(ctx, p) {
    const [snap, bucket] = await Promise.all([
      ctx.client.getSnapshot(p.groupId, p.clusterName, p.snapshotId, { signal: ctx.signal }),
      ctx.client.getExportBucket(p.groupId, p.exportBucketId, { signal: ctx.signal }),
    ]);
    return {
      title: `Export snapshot ${p.snapshotId} of ${p.clusterName} to ${bucket.bucketName}`,
      lines: [
        `Snapshot: ${p.snapshotId} of ${p.clusterName}, taken ${fmt(snap.createdAt)}`,
        `Bucket: ${bucket.bucketName} (${bucket.cloudProvider}, id ${bucket._id})`,
        ...(p.customData?.length
          ? [`Custom data: ${p.customData.map((d) => `${d.key}=${d.value}`).join(', ')}`]
          : []),
      ],
      warnings: [
        ...unlessCompleted(snap, 'exports'),
        `Copies the snapshot's data out of Atlas into ${bucket.bucketName}; whoever can read it can read the data.`,
      ],
      risk: 'costly',
    };
  },
  async execute(ctx, p, requestRef) {
    const { groupId: g, clusterName: c, ...body } = p;
    const res = await ctx.client.createExportJob(g, c, body, { requestRef, signal: ctx.signal });
    return {
      action: 'export.create',
      summary: `Export ${res.value.id} of snapshot ${p.snapshotId} ${res.value.state ?? 'Queued'}`,
      job: { kind: 'export', groupId: g, clusterName: c, id: res.value.id },
      atlas: res.value,
      reconciled: res.reconciled,
      requestRef: res.requestRef,
    };
  },
};

async function restoreTargetLines(ctx: ActionContext, targetGroupId: string, targetClusterName: string) {
  const [project, target] = await Promise.all([
    ctx.client.getProject(targetGroupId, { signal: ctx.signal }),
    ctx.client.getCluster(targetGroupId, targetClusterName, { signal: ctx.signal }),
  ]);
  return {
    line: `Target: cluster ${target.name} in project ${project.name} (${targetGroupId})`,
    warning: `Every database on ${target.name} will be replaced by the restored data; writes to it during the restore are lost.`,
  };
}

async function executeRestore(
  ctx: ActionContext,
  g: string,
  c: string,
  body: RestoreRequest,
  action: string,
) {
  const res = await ctx.client.createRestoreJob(g, c, body, { signal: ctx.signal });
  const target = 'targetClusterName' in body ? ` to ${body.targetClusterName}` : '';
  return {
    action,
    summary: `Restore job ${res.value.id} (${body.deliveryType}) from ${c}${target} started`,
    job: { kind: 'restore' as const, groupId: g, clusterName: c, id: res.value.id },
    atlas: res.value,
    reconciled: res.reconciled,
    requestRef: res.requestRef,
  };
}

const automatedParams = z.strictObject({
  ...where,
  ...automatedRestoreRequest.omit({ deliveryType: true }).shape,
});
const restoreAutomated: ActionDefinition<typeof automatedParams> = {
  name: 'restore.automated',
  title: 'Restore a snapshot onto a cluster',
  baseRisk: 'destructive',
  params: automatedParams,
  async preview(ctx, p) {
    const [snap, target] = await Promise.all([
      ctx.client.getSnapshot(p.groupId, p.clusterName, p.snapshotId, { signal: ctx.signal }),
      restoreTargetLines(ctx, p.targetGroupId, p.targetClusterName),
    ]);
    const same = p.targetGroupId === p.groupId && p.targetClusterName === p.clusterName;
    return {
      title: `Restore snapshot ${p.snapshotId} of ${p.clusterName} onto ${p.targetClusterName}`,
      lines: [
        `Source: snapshot ${p.snapshotId} of ${p.clusterName}, taken ${fmt(snap.createdAt)} (${snap.snapshotType ?? 'snapshot'}, ${snap.status ?? 'unknown status'})`,
        target.line,
      ],
      warnings: [
        ...unlessCompleted(snap, 'restores'),
        target.warning,
        ...(same ? ['The target is the source cluster itself: it is rolled back to the snapshot.'] : []),
      ],
      risk: 'destructive',
      confirmTarget: p.targetClusterName,
    };
  },
  execute: (ctx, p) => {
    const { groupId: g, clusterName: c, ...rest } = p;
    return executeRestore(ctx, g, c, { deliveryType: 'automated', ...rest }, 'restore.automated');
  },
};

const downloadParams = z.strictObject({
  ...where,
  ...downloadRestoreRequest.omit({ deliveryType: true }).shape,
});
const restoreDownload: ActionDefinition<typeof downloadParams> = {
  name: 'restore.download',
  title: 'Download a snapshot',
  baseRisk: 'costly',
  params: downloadParams,
  async preview(ctx, p) {
    const snap = await ctx.client.getSnapshot(p.groupId, p.clusterName, p.snapshotId, { signal: ctx.signal });
    return {
      title: `Create download links for snapshot ${p.snapshotId} of ${p.clusterName}`,
      lines: [
        `Source: snapshot ${p.snapshotId} of ${p.clusterName}, taken ${fmt(snap.createdAt)}`,
        'Nothing is overwritten.',
      ],
      warnings: [
        ...unlessCompleted(snap, 'restores'),
        'Anyone holding the download links can fetch the data until they expire.',
      ],
      risk: 'costly',
    };
  },
  execute: (ctx, p) => {
    const { groupId: g, clusterName: c, snapshotId } = p;
    return executeRestore(ctx, g, c, { deliveryType: 'download', snapshotId }, 'restore.download');
  },
};

const pitParams = z.strictObject({ ...where, ...pointInTimeFields }).superRefine(checkPointInTime);
const restorePointInTime: ActionDefinition<typeof pitParams> = {
  name: 'restore.pointInTime',
  title: 'Restore a cluster to a point in time',
  baseRisk: 'destructive',
  params: pitParams,
  async preview(ctx, p) {
    const target = await restoreTargetLines(ctx, p.targetGroupId, p.targetClusterName);
    const moment =
      p.pointInTimeUTCSeconds !== undefined
        ? fmt(p.pointInTimeUTCSeconds * 1000)
        : `oplog timestamp ${p.oplogTs}:${p.oplogInc} (${fmt((p.oplogTs ?? 0) * 1000)})`;
    const future = (p.pointInTimeUTCSeconds ?? p.oplogTs ?? 0) * 1000 > ctx.now();
    return {
      title: `Restore ${p.targetClusterName} to ${p.clusterName} as of ${moment}`,
      lines: [`Source: continuous backup of ${p.clusterName}, as of ${moment}`, target.line],
      warnings: [
        target.warning,
        ...(future ? ['The requested moment is in the future; Atlas will refuse it.'] : []),
      ],
      risk: 'destructive',
      confirmTarget: p.targetClusterName,
    };
  },
  execute: (ctx, p) => {
    const { groupId: g, clusterName: c, ...rest } = p;
    return executeRestore(ctx, g, c, { deliveryType: 'pointInTime', ...rest }, 'restore.pointInTime');
  },
};

/**
 * Why a restore job of this cluster can't be cancelled, before anyone is asked to confirm it:
 * Atlas refuses (405) to cancel a sharded cluster's restore jobs. Undefined when it may be.
 */
export function restoreCancelRefusal(
  cluster: { name: string; kind: ClusterKind },
  restoreJobId?: string,
): ShardedRestoreCancelError | undefined {
  return cluster.kind === 'sharded' ? new ShardedRestoreCancelError(cluster.name, restoreJobId) : undefined;
}

const cancelParams = z.strictObject({ ...where, restoreJobId: objectId('restoreJobId') });
const cancelRestore: ActionDefinition<typeof cancelParams> = {
  name: 'restore.cancel',
  title: 'Cancel a restore job',
  baseRisk: 'destructive',
  params: cancelParams,
  async preview(ctx, p) {
    const [job, cluster] = await Promise.all([
      ctx.client.getRestoreJob(p.groupId, p.clusterName, p.restoreJobId, { signal: ctx.signal }),
      ctx.client.getCluster(p.groupId, p.clusterName, { signal: ctx.signal }),
    ]);
    const refusal = restoreCancelRefusal(
      { name: p.clusterName, kind: dedicatedClusterKind(cluster) },
      p.restoreJobId,
    );
    if (refusal) throw refusal;
    const target = job.targetClusterName ? ` onto ${job.targetClusterName}` : '';
    return {
      title: `Cancel restore job ${p.restoreJobId} of ${p.clusterName}`,
      lines: [`Job: ${job.deliveryType} restore${target}, requested ${fmt(job.timestamp)}`],
      warnings:
        job.deliveryType === 'download'
          ? ['The download links stop working.']
          : [
              `${job.targetClusterName ?? 'The target'} may be left partly restored and need another restore.`,
            ],
      risk: 'destructive',
      confirmTarget: job.targetClusterName ?? p.clusterName,
    };
  },
  async execute(ctx, p, requestRef) {
    await ctx.client.cancelRestoreJob(p.groupId, p.clusterName, p.restoreJobId, { signal: ctx.signal });
    return {
      action: 'restore.cancel',
      summary: `Restore job ${p.restoreJobId} on ${p.clusterName} cancelled`,
      job: { kind: 'restore', groupId: p.groupId, clusterName: p.clusterName, id: p.restoreJobId },
      atlas: null,
      reconciled: false,
      requestRef,
    };
  },
};

/** Every action that changes something in Atlas. Nothing else in the project may call a mutating endpoint. */
export const actionCatalogue = {
  'snapshot.take': takeSnapshot,
  'snapshot.retention': changeRetention,
  'export.create': createExport,
  'restore.automated': restoreAutomated,
  'restore.download': restoreDownload,
  'restore.pointInTime': restorePointInTime,
  'restore.cancel': cancelRestore,
} as const;

export type ActionName = keyof typeof actionCatalogue;
export type ActionParams<N extends ActionName> = z.input<(typeof actionCatalogue)[N]['params']>;
export const actionNames = Object.keys(actionCatalogue) as ActionName[];

export function isActionName(value: string): value is ActionName {
  return Object.hasOwn(actionCatalogue, value);
}
