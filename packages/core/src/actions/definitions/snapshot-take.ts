import { z } from 'zod';
import { reconcileSkewMs } from '../../client/atlas-api.js';
import { markerOf } from '../../client/create-once.js';
import { takeSnapshotRequest } from '../../schemas/snapshots.js';
import { dedicatedKinds } from '../deployment-kinds.js';
import { where } from '../params.js';
import { fmt } from '../preview-text.js';
import { day } from '../retention.js';
import type { ActionDefinition } from '../types.js';

const params = z.strictObject({ ...where, ...takeSnapshotRequest.shape });

export const takeSnapshot: ActionDefinition<typeof params> = {
  name: 'snapshot.take',
  title: 'Take an on-demand snapshot',
  doing: 'Taking a snapshot',
  baseRisk: 'safe',
  deploymentKinds: dedicatedKinds,
  params,
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
  // The snapshot's description carries the request's marker.
  async recognise(ctx, p, lost) {
    const since = lost.startedAt - reconcileSkewMs;
    const s = await ctx.client.findSnapshotByRequestRef(p.groupId, p.clusterName, lost.requestRef, since, {
      signal: ctx.signal,
    });
    if (!s) return { found: false, detail: `no snapshot carries marker ${markerOf(lost.requestRef)}` };
    return {
      found: true,
      summary: `Snapshot ${s.id} on ${p.clusterName} found in Atlas`,
      job: { kind: 'snapshot', groupId: p.groupId, clusterName: p.clusterName, id: s.id },
    };
  },
};
