import { ApiError } from '../http/errors.js';
import type { HandlerContext } from '../http/operation.js';
import { describeItem, governingItem, minimumExpiry } from '../model/compliance.js';
import { restorableWindow } from '../model/window.js';
import type { ClusterRecord, CompliancePolicyRecord, SnapshotRecord } from '../model/types.js';
import { iso } from '../views/format.js';

/**
 * Rules Atlas applies to backups whatever the endpoint: the point-in-time restore window and
 * the project's Backup Compliance Policy. Each refusal names what refused it.
 */

/** "the Backup Compliance Policy of project Production". */
function policyName(ctx: HandlerContext, policy: CompliancePolicyRecord): string {
  const project = ctx.store.getProject(policy.projectId);
  return `the Backup Compliance Policy of project ${project?.name ?? policy.projectId}`;
}

const sentence = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * A point in time (`seconds` since the epoch, named `field` in the body) must lie inside the
 * cluster's restorable window. Returns it in milliseconds.
 */
export function checkPointInTime(
  ctx: HandlerContext,
  cluster: ClusterRecord,
  field: string,
  seconds: number,
): number {
  const at = seconds * 1000;
  const policy = ctx.store.getCompliancePolicy(cluster.groupId);
  const snapshots = ctx.store.listSnapshots(cluster.groupId, cluster.name);
  const window = restorableWindow(cluster, snapshots, policy, ctx.now);
  if (!window.continuous) {
    throw new ApiError(
      400,
      'POINT_IN_TIME_RESTORE_NOT_ENABLED',
      `Continuous cloud backup is off for cluster ${cluster.name}, so it has no point-in-time restores; restore from a snapshot instead.`,
      { fields: [{ field, description: `needs continuous cloud backup, which is off for ${cluster.name}` }] },
    );
  }
  if (window.start === undefined) {
    throw new ApiError(
      400,
      'POINT_IN_TIME_OUTSIDE_RESTORE_WINDOW',
      `Cluster ${cluster.name} has no completed snapshot yet, so no point in time is restorable.`,
      { fields: [{ field, description: 'no point in time is restorable yet' }] },
    );
  }
  if (at < window.start || at > window.end) {
    const why =
      window.limitedBy === 'oldestSnapshot'
        ? 'from its oldest completed snapshot'
        : `${window.days} days of continuous backup${window.setByCompliancePolicy && policy ? `, as ${policyName(ctx, policy)} requires` : ''}`;
    const range = `${iso(window.start)} to ${iso(window.end)}`;
    throw new ApiError(
      400,
      'POINT_IN_TIME_OUTSIDE_RESTORE_WINDOW',
      `${field} ${iso(at)} is ${at > window.end ? 'in the future' : 'before the restorable window'}: cluster ${cluster.name} can be restored to any time from ${range} (${why}).`,
      { fields: [{ field, description: `must be within the restorable window ${range}` }] },
    );
  }
  return at;
}

/** An active compliance policy makes every snapshot in the project undeletable until it expires. */
export function checkSnapshotDeletion(
  ctx: HandlerContext,
  cluster: ClusterRecord,
  snapshot: SnapshotRecord,
): void {
  const policy = ctx.store.getCompliancePolicy(cluster.groupId);
  if (!policy) return;
  throw new ApiError(
    400,
    'CANNOT_DELETE_SNAPSHOT_WITH_BACKUP_COMPLIANCE_POLICY',
    `${sentence(policyName(ctx, policy))} forbids deleting snapshots before they expire; snapshot ${snapshot.id} of ${cluster.name} expires ${iso(snapshot.expiresAt)}.`,
  );
}

/**
 * A snapshot may not be kept for less than the compliance policy's item for its kind
 * (on-demand, or its scheduled frequency). `expiresAt` is the expiry asked for.
 */
export function checkRetentionFloor(
  ctx: HandlerContext,
  groupId: string,
  snapshot: Pick<SnapshotRecord, 'snapshotType' | 'frequencyType' | 'createdAt'>,
  expiresAt: number,
  field: string,
): void {
  const policy = ctx.store.getCompliancePolicy(groupId);
  const item = policy && governingItem(snapshot, policy);
  if (!policy || !item) return;
  const floor = minimumExpiry(snapshot.createdAt, item);
  if (expiresAt >= floor) return;
  const kind =
    snapshot.snapshotType === 'onDemand' ? 'on-demand' : `${snapshot.frequencyType ?? 'scheduled'}`;
  throw new ApiError(
    400,
    'BACKUP_POLICIES_NOT_MEETING_BACKUP_COMPLIANCE_POLICY_REQUIREMENTS',
    `${sentence(policyName(ctx, policy))} keeps ${kind} snapshots at least ${describeItem(item)}; this one may not expire before ${iso(floor)}.`,
    { fields: [{ field, description: `must keep the snapshot at least ${describeItem(item)}` }] },
  );
}
