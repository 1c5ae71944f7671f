import { z } from 'zod';
import { ShardedRestoreCancelError } from '../../errors.js';
import { dedicatedClusterKind, type ClusterKind } from '../../schemas/clusters.js';
import { objectId } from '../../schemas/common.js';
import { dedicatedKinds } from '../deployment-kinds.js';
import { where } from '../params.js';
import { fmt } from '../preview-text.js';
import type { ActionDefinition } from '../types.js';

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

const params = z.strictObject({ ...where, restoreJobId: objectId('restoreJobId') });

export const cancelRestore: ActionDefinition<typeof params> = {
  name: 'restore.cancel',
  title: 'Cancel a restore job',
  doing: 'Cancelling the restore',
  baseRisk: 'destructive',
  deploymentKinds: dedicatedKinds,
  params,
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
  async recognise(ctx, p) {
    const job = await ctx.client.getRestoreJob(p.groupId, p.clusterName, p.restoreJobId, {
      signal: ctx.signal,
    });
    if (!job.cancelled) return { found: false, detail: `restore job ${job.id} is not cancelled` };
    return { found: true, summary: `Restore job ${job.id} is cancelled`, job: undefined };
  },
};
