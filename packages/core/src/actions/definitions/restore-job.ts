import type { z } from 'zod';
import { reconcileSkewMs } from '../../client/atlas-api.js';
import type { RestoreRequest } from '../../schemas/restores.js';
import type { ActionContext, ActionDefinition } from '../types.js';
import { overwriteWarning } from '../preview-text.js';

type RestoreParams = { groupId: string; clusterName: string };

/**
 * What the three restore actions share once their request is built: starting the job, and
 * recognising it after a lost answer by `restoreJobMatches` (the same rule the client uses to
 * reconcile a create), since restore jobs carry no marker of the request.
 */
export function restoreJobBehaviour<P extends RestoreParams>(
  action: string,
  request: (p: P) => RestoreRequest,
): Required<Pick<ActionDefinition<z.ZodType<P>>, 'execute' | 'recognise' | 'matchingBefore'>> {
  return {
    async execute(ctx, p) {
      const body = request(p);
      const res = await ctx.client.createRestoreJob(p.groupId, p.clusterName, body, { signal: ctx.signal });
      const target = 'targetClusterName' in body ? ` to ${body.targetClusterName}` : '';
      return {
        action,
        summary: `Restore job ${res.value.id} (${body.deliveryType}) from ${p.clusterName}${target} started`,
        job: { kind: 'restore', groupId: p.groupId, clusterName: p.clusterName, id: res.value.id },
        atlas: res.value,
        reconciled: res.reconciled,
        requestRef: res.requestRef,
      };
    },
    async recognise(ctx, p, lost) {
      // A restore job's `timestamp` is its snapshot's time, and it has no creation time: a job
      // that finished before this request started, or that is excluded, is not this one.
      const since = lost.startedAt - reconcileSkewMs;
      const jobs = await ctx.client.findMatchingRestoreJobs(p.groupId, p.clusterName, request(p), {
        signal: ctx.signal,
      });
      const job = jobs.find(
        (j) =>
          !lost.excludedJobIds.has(j.id) && (j.finishedAt === undefined || Date.parse(j.finishedAt) >= since),
      );
      if (!job) return { found: false, detail: `no matching restore job on ${p.clusterName}` };
      return {
        found: true,
        summary: `Restore job ${job.id} (${job.deliveryType}) from ${p.clusterName} found in Atlas`,
        job: { kind: 'restore', groupId: p.groupId, clusterName: p.clusterName, id: job.id },
      };
    },
    async matchingBefore(ctx, p) {
      const jobs = await ctx.client.findMatchingRestoreJobs(p.groupId, p.clusterName, request(p), {
        signal: ctx.signal,
      });
      return jobs.map((j) => j.id);
    },
  };
}

/** The target lines of a restore's preview: which cluster in which project is overwritten. */
export async function restoreTargetLines(
  ctx: ActionContext,
  targetGroupId: string,
  targetClusterName: string,
): Promise<{ line: string; warning: string }> {
  const [project, target] = await Promise.all([
    ctx.client.getProject(targetGroupId, { signal: ctx.signal }),
    ctx.client.getCluster(targetGroupId, targetClusterName, { signal: ctx.signal }),
  ]);
  return {
    line: `Target: cluster ${target.name} in project ${project.name} (${targetGroupId})`,
    warning: overwriteWarning(target.name),
  };
}
