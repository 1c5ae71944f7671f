import { z } from 'zod';
import { objectId } from '../../schemas/common.js';
import { backupLabel } from '../../schemas/exports.js';
import { formatLabels } from '../../input/labels.js';
import { dedicatedKinds } from '../deployment-kinds.js';
import { where } from '../params.js';
import { fmt, unlessCompleted } from '../preview-text.js';
import type { ActionDefinition } from '../types.js';

const params = z.strictObject({
  ...where,
  snapshotId: objectId('snapshotId'),
  exportBucketId: objectId('exportBucketId'),
  customData: z.array(backupLabel).max(50, 'at most 50 customData pairs').optional(),
});

export const createExport: ActionDefinition<typeof params> = {
  name: 'export.create',
  title: 'Export a snapshot to a bucket',
  doing: 'Starting the export',
  baseRisk: 'costly',
  deploymentKinds: dedicatedKinds,
  params,
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
        ...(p.customData?.length ? [`Custom data: ${formatLabels(p.customData)}`] : []),
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
  // The export's customData carries the request's marker.
  async recognise(ctx, p, lost) {
    const job = await ctx.client.findExportByRequestRef(p.groupId, p.clusterName, lost.requestRef, {
      signal: ctx.signal,
    });
    if (!job) return { found: false, detail: 'no export job carries this request marker' };
    return {
      found: true,
      summary: `Export ${job.id} found in Atlas`,
      job: { kind: 'export', groupId: p.groupId, clusterName: p.clusterName, id: job.id },
    };
  },
};
