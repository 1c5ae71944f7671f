import { addRetention } from '../actions/catalogue.js';
import type { AtlasClient } from '../client/atlas-client.js';
import { requestMarkerKey } from '../client/atlas-client.js';
import type { RestoreJob } from '../schemas/restores.js';
import type { ApprovalExecution, ApprovalRequest } from './types.js';

/** How much earlier than the recorded start an Atlas job may be dated and still be ours (clock skew). */
const skewMs = 5 * 60_000;

export type ReconcileVerdict =
  { found: true; execution: ApprovalExecution } | { found: false; detail: string };

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const num = (v: unknown) => (typeof v === 'number' ? v : undefined);

/**
 * After a restart, decides from Atlas whether a request left `executing` reached Atlas. Only a
 * positive sighting counts as executed; nothing is ever re-sent from here. Lookup errors
 * propagate, leaving the request `executing` for a later attempt.
 */
export async function findExecution(
  client: AtlasClient,
  request: ApprovalRequest,
  startedAt: number,
  /**
   * Atlas job ids that cannot be this request's: those credited to other requests, and matching
   * restore jobs that already existed when it was claimed.
   */
  excludedJobIds: ReadonlySet<string> = new Set(),
): Promise<ReconcileVerdict> {
  const p = request.params;
  const groupId = str(p.groupId) ?? request.projectId;
  const clusterName = str(p.clusterName) ?? '';
  const since = startedAt - skewMs;
  const recent = (at: string | undefined) => at === undefined || Date.parse(at) >= since;
  const found = (summary: string, job: ApprovalExecution['job']): ReconcileVerdict => ({
    found: true,
    execution: { summary, atlasJobId: job?.id, job, reconciled: true, requestRef: request.requestRef },
  });

  switch (request.action) {
    case 'restore.automated':
    case 'restore.download':
    case 'restore.pointInTime': {
      // A restore job's `timestamp` is its snapshot's time, and it has no creation time: a job
      // that finished before this request started, or that is excluded, is not ours.
      const same = (j: RestoreJob) =>
        sameRestore(request, j) &&
        !excludedJobIds.has(j.id) &&
        (j.finishedAt === undefined || Date.parse(j.finishedAt) >= since);
      const page = await client.listRestoreJobs(groupId, clusterName, { itemsPerPage: 100 });
      const job = page.results.find(same);
      if (!job) return { found: false, detail: `no matching restore job on ${clusterName}` };
      return found(`Restore job ${job.id} (${job.deliveryType}) from ${clusterName} found in Atlas`, {
        kind: 'restore',
        groupId,
        clusterName,
        id: job.id,
      });
    }
    case 'snapshot.take': {
      const marker = `[${requestMarkerKey}:${request.requestRef}]`;
      for await (const s of client.iterateSnapshots(groupId, clusterName, { itemsPerPage: 100 })) {
        if (s.description?.includes(marker)) {
          return found(`Snapshot ${s.id} on ${clusterName} found in Atlas`, {
            kind: 'snapshot',
            groupId,
            clusterName,
            id: s.id,
          });
        }
        if (!recent(s.createdAt)) break;
      }
      return { found: false, detail: `no snapshot carries marker ${marker}` };
    }
    case 'export.create': {
      const page = await client.listExportJobs(groupId, clusterName, { itemsPerPage: 100 });
      const job = page.results.find((j) =>
        j.customData?.some((d) => d.key === requestMarkerKey && d.value === request.requestRef),
      );
      if (!job) return { found: false, detail: 'no export job carries this request marker' };
      return found(`Export ${job.id} found in Atlas`, { kind: 'export', groupId, clusterName, id: job.id });
    }
    case 'snapshot.retention': {
      const snap = await client.getSnapshot(groupId, clusterName, str(p.snapshotId) ?? '');
      const unit = str(p.retentionUnit) as Parameters<typeof addRetention>[1] | undefined;
      const value = num(p.retentionValue);
      if (!snap.createdAt || !snap.expiresAt || unit === undefined || value === undefined) {
        return { found: false, detail: 'the snapshot does not show its dates' };
      }
      const expected = addRetention(Date.parse(snap.createdAt), unit, value);
      if (Math.abs(Date.parse(snap.expiresAt) - expected) > 60_000) {
        return { found: false, detail: `snapshot ${snap.id} still expires ${snap.expiresAt}` };
      }
      return found(`Snapshot ${snap.id} already expires ${snap.expiresAt}`, undefined);
    }
    case 'restore.cancel': {
      const job = await client.getRestoreJob(groupId, clusterName, str(p.restoreJobId) ?? '');
      if (!job.cancelled) return { found: false, detail: `restore job ${job.id} is not cancelled` };
      return found(`Restore job ${job.id} is cancelled`, undefined);
    }
  }
}

/** Whether a restore job has the delivery type, snapshot, target and moment a request asked for. */
function sameRestore(request: ApprovalRequest, j: RestoreJob): boolean {
  const p = request.params;
  const deliveryType = request.action.slice('restore.'.length);
  return (
    j.deliveryType === deliveryType &&
    (deliveryType === 'pointInTime' || j.snapshotId === str(p.snapshotId)) &&
    (deliveryType === 'download' ||
      (j.targetClusterName === str(p.targetClusterName) && j.targetGroupId === str(p.targetGroupId))) &&
    (deliveryType !== 'pointInTime' ||
      (j.pointInTimeUTCSeconds === num(p.pointInTimeUTCSeconds) &&
        j.oplogTs === num(p.oplogTs) &&
        j.oplogInc === num(p.oplogInc)))
  );
}

/**
 * For restores, the ids of jobs that already match the request before it is sent, so that after
 * a crash a matching job can be told apart from an older identical one. Undefined for other
 * actions (their jobs carry the request's marker) or when Atlas cannot be asked.
 */
export async function matchingRestoreJobIds(
  client: AtlasClient,
  request: ApprovalRequest,
): Promise<string[] | undefined> {
  if (!request.action.startsWith('restore.') || request.action === 'restore.cancel') return undefined;
  const groupId = str(request.params.groupId) ?? request.projectId;
  const clusterName = str(request.params.clusterName) ?? '';
  try {
    const page = await client.listRestoreJobs(groupId, clusterName, { itemsPerPage: 100 });
    return page.results.filter((j) => sameRestore(request, j)).map((j) => j.id);
  } catch {
    return undefined;
  }
}
