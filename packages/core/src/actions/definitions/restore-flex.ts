import { z } from 'zod';
import { reconcileSkewMs } from '../../client/atlas-api.js';
import type { ClusterKind } from '../../schemas/clusters.js';
import { clusterName, objectId } from '../../schemas/common.js';
import type { FlexRestoreJob } from '../../schemas/restores.js';
import type { FlexSnapshot } from '../../schemas/snapshots.js';
import { where } from '../params.js';
import { fmt, overwriteWarning, unlessCompleted } from '../preview-text.js';
import type { ActionContext, ActionDefinition, LookupContext } from '../types.js';

/**
 * A Flex cluster's whole-snapshot restore and its download, through Atlas's Flex API. Their
 * parameters are those of the dedicated-cluster restore and download (`restore.automated`,
 * `restore.download`), so a front end asks for either the same way and core picks the one
 * the source deployment needs (`actionForKind`).
 */
const flexKinds: readonly ClusterKind[] = ['flex'];

const restoreParams = z.strictObject({
  ...where,
  snapshotId: objectId('snapshotId'),
  targetClusterName: clusterName('targetClusterName'),
  targetGroupId: objectId('targetGroupId'),
});
type RestoreParams = z.output<typeof restoreParams>;

const downloadParams = z.strictObject({ ...where, snapshotId: objectId('snapshotId') });
type DownloadParams = z.output<typeof downloadParams>;

const taken = (snap: FlexSnapshot) => fmt(snap.finishTime ?? snap.startTime ?? snap.scheduledTime);

/** The jobs of a Flex cluster that look like this request: same kind, snapshot and target. */
async function matchingJobs(
  ctx: LookupContext,
  p: DownloadParams & Partial<Pick<RestoreParams, 'targetClusterName' | 'targetGroupId'>>,
): Promise<FlexRestoreJob[]> {
  const page = await ctx.client.listFlexRestoreJobs(
    p.groupId,
    p.clusterName,
    { itemsPerPage: 100 },
    { signal: ctx.signal },
  );
  const download = p.targetClusterName === undefined;
  return page.results.filter(
    (j) =>
      j.snapshotId === p.snapshotId &&
      (download
        ? j.deliveryType === 'DOWNLOAD'
        : j.deliveryType !== 'DOWNLOAD' &&
          j.targetDeploymentItemName === p.targetClusterName &&
          (j.targetProjectId === undefined || j.targetProjectId === p.targetGroupId)),
  );
}

/** Recognising a Flex job after a lost answer: a matching one that is new and not credited elsewhere. */
function flexJobBehaviour<P extends DownloadParams>(
  label: 'restore' | 'download',
): Required<Pick<ActionDefinition<z.ZodType<P>>, 'recognise' | 'matchingBefore'>> {
  return {
    async recognise(ctx, p, lost) {
      const since = lost.startedAt - reconcileSkewMs;
      const job = (await matchingJobs(ctx, p)).find(
        (j) =>
          !lost.excludedJobIds.has(j.id) &&
          (j.restoreFinishedDate === undefined || Date.parse(j.restoreFinishedDate) >= since),
      );
      if (!job) return { found: false, detail: `no matching Flex restore job on ${p.clusterName}` };
      return {
        found: true,
        summary: `Flex ${label} job ${job.id} of ${p.clusterName} found in Atlas`,
        job: { kind: 'flexRestore', groupId: p.groupId, clusterName: p.clusterName, id: job.id },
      };
    },
    async matchingBefore(ctx, p) {
      return (await matchingJobs(ctx, p)).map((j) => j.id);
    },
  };
}

/** The restore's target: a Flex or a dedicated cluster (Atlas takes either), named with its project. */
async function flexTargetLines(
  ctx: ActionContext,
  p: RestoreParams,
): Promise<{ line: string; warning: string }> {
  const o = { signal: ctx.signal };
  const [project, kind] = await Promise.all([
    ctx.client.getProject(p.targetGroupId, o),
    ctx.client.deploymentKind(p.targetGroupId, p.targetClusterName, o),
  ]);
  const what = kind === 'flex' ? 'Flex cluster' : kind === 'serverless' ? 'serverless instance' : 'cluster';
  return {
    line: `Target: ${what} ${p.targetClusterName} in project ${project.name} (${p.targetGroupId})`,
    warning: overwriteWarning(p.targetClusterName),
  };
}

export const restoreFlex: ActionDefinition<typeof restoreParams> = {
  name: 'restore.flex',
  title: 'Restore a Flex snapshot onto a cluster',
  doing: 'Starting the Flex restore',
  baseRisk: 'destructive',
  deploymentKinds: flexKinds,
  params: restoreParams,
  async preview(ctx, p) {
    const [snap, target] = await Promise.all([
      ctx.client.getFlexSnapshot(p.groupId, p.clusterName, p.snapshotId, { signal: ctx.signal }),
      flexTargetLines(ctx, p),
    ]);
    const same = p.targetGroupId === p.groupId && p.targetClusterName === p.clusterName;
    return {
      title: `Restore Flex snapshot ${p.snapshotId} of ${p.clusterName} onto ${p.targetClusterName}`,
      lines: [
        `Source: snapshot ${p.snapshotId} of Flex cluster ${p.clusterName}, taken ${taken(snap)} (${snap.status ?? 'unknown status'})`,
        target.line,
      ],
      warnings: [
        ...unlessCompleted(snap, 'restores', 'COMPLETED'),
        target.warning,
        ...(same ? ['The target is the source cluster itself: it is rolled back to the snapshot.'] : []),
      ],
      risk: 'destructive',
      confirmTarget: p.targetClusterName,
    };
  },
  async execute(ctx, p) {
    const res = await ctx.client.createFlexRestoreJob(
      p.groupId,
      p.clusterName,
      {
        snapshotId: p.snapshotId,
        targetDeploymentItemName: p.targetClusterName,
        targetProjectId: p.targetGroupId,
      },
      { signal: ctx.signal },
    );
    return {
      action: 'restore.flex',
      summary: `Flex restore job ${res.value.id} from ${p.clusterName} to ${p.targetClusterName} started`,
      job: { kind: 'flexRestore', groupId: p.groupId, clusterName: p.clusterName, id: res.value.id },
      atlas: res.value,
      reconciled: res.reconciled,
      requestRef: res.requestRef,
    };
  },
  ...flexJobBehaviour<RestoreParams>('restore'),
};

export const restoreDownloadFlex: ActionDefinition<typeof downloadParams> = {
  name: 'restore.download.flex',
  title: 'Download a Flex snapshot',
  doing: 'Creating the download link',
  baseRisk: 'costly',
  deploymentKinds: flexKinds,
  params: downloadParams,
  async preview(ctx, p) {
    const snap = await ctx.client.getFlexSnapshot(p.groupId, p.clusterName, p.snapshotId, {
      signal: ctx.signal,
    });
    return {
      title: `Create a download link for Flex snapshot ${p.snapshotId} of ${p.clusterName}`,
      lines: [
        `Source: snapshot ${p.snapshotId} of Flex cluster ${p.clusterName}, taken ${taken(snap)}`,
        'Nothing is overwritten.',
      ],
      warnings: [
        ...unlessCompleted(snap, 'restores', 'COMPLETED'),
        'Anyone holding the download link can fetch the data until it expires.',
      ],
      risk: 'costly',
    };
  },
  async execute(ctx, p) {
    const res = await ctx.client.downloadFlexSnapshot(p.groupId, p.clusterName, p.snapshotId, {
      signal: ctx.signal,
    });
    return {
      action: 'restore.download.flex',
      summary: `Flex download job ${res.value.id} of ${p.clusterName} started`,
      job: { kind: 'flexRestore', groupId: p.groupId, clusterName: p.clusterName, id: res.value.id },
      atlas: res.value,
      reconciled: res.reconciled,
      requestRef: res.requestRef,
    };
  },
  ...flexJobBehaviour<DownloadParams>('download'),
};
