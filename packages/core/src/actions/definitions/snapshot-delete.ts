import { z } from 'zod';
import { deletionRefusal, loadProjectCompliance, snapshotKind } from '../../compliance/compliance-rules.js';
import { AtlasApiError, InputValidationError } from '../../errors.js';
import { formatBytes } from '../../present/format.js';
import { dedicatedClusterKind } from '../../schemas/clusters.js';
import { objectId } from '../../schemas/common.js';
import type { Snapshot } from '../../schemas/snapshots.js';
import { dedicatedKinds } from '../deployment-kinds.js';
import { where } from '../params.js';
import { fmt } from '../preview-text.js';
import { day } from '../retention.js';
import type { ActionContext, ActionDefinition, LookupContext } from '../types.js';

const params = z.strictObject({ ...where, snapshotId: objectId('snapshotId') });
type Params = z.output<typeof params>;

/** The snapshot as its cluster's kind keeps it: sharded clusters' snapshots have their own endpoint. */
async function load(ctx: LookupContext, p: Params): Promise<{ snap: Snapshot; sharded: boolean }> {
  const o = { signal: ctx.signal };
  const cluster = await ctx.client.getCluster(p.groupId, p.clusterName, o);
  const sharded = dedicatedClusterKind(cluster) === 'sharded';
  const snap = sharded
    ? await ctx.client.getShardedSnapshot(p.groupId, p.clusterName, p.snapshotId, o)
    : await ctx.client.getSnapshot(p.groupId, p.clusterName, p.snapshotId, o);
  return { snap, sharded };
}

const isSnapshotGone = (error: unknown) =>
  error instanceof AtlasApiError && error.status === 404 && error.errorCode === 'SNAPSHOT_NOT_FOUND';

function kindText(snap: Snapshot, sharded: boolean): string {
  const kind = snapshotKind(snap);
  const scheduled = snap.snapshotType === 'scheduled' ? `scheduled (${kind})` : kind;
  return `${scheduled}${sharded ? ', sharded cluster' : ''}`;
}

export const deleteSnapshot: ActionDefinition<typeof params> = {
  name: 'snapshot.delete',
  title: 'Delete a snapshot',
  doing: 'Deleting the snapshot',
  baseRisk: 'destructive',
  deploymentKinds: dedicatedKinds,
  params,
  async preview(ctx: ActionContext, p) {
    const [{ snap, sharded }, compliance] = await Promise.all([
      load(ctx, p),
      loadProjectCompliance(ctx.client, p.groupId, ctx.signal),
    ]);
    // Atlas refuses under a Backup Compliance Policy: refused here, before anyone approves.
    const refused = deletionRefusal(compliance, p.clusterName, snap);
    if (refused) throw refused;
    if (snap.status === 'queued' || snap.status === 'inProgress')
      throw new InputValidationError('snapshot deletion', [
        {
          field: 'snapshotId',
          message: `snapshot ${snap.id} is ${snap.status}: Atlas deletes a snapshot only once it has finished`,
        },
      ]);
    const expires = snap.expiresAt ? Date.parse(snap.expiresAt) : NaN;
    const left = Number.isFinite(expires) ? Math.max(0, Math.round((expires - ctx.now()) / day)) : undefined;
    const warnings = [
      `Snapshot ${snap.id} is deleted for good: nothing can be restored from it afterwards.`,
      ...(left !== undefined
        ? [`It would have been kept until ${fmt(snap.expiresAt)} (${left} more day${left === 1 ? '' : 's'}).`]
        : []),
    ];
    if (compliance.reading.state === 'unreadable')
      warnings.push(
        `The project's Backup Compliance Policy could not be read (${compliance.reading.reason}); Atlas refuses the deletion if one forbids it.`,
      );
    return {
      title: `Delete snapshot ${snap.id} of ${p.clusterName}`,
      lines: [
        `Snapshot: ${snap.id} of ${p.clusterName}, ${kindText(snap, sharded)}, ${snap.status ?? 'status unknown'}`,
        `Taken: ${fmt(snap.createdAt)}`,
        `Size: ${formatBytes(snap.storageSizeBytes)}`,
        `Expires: ${fmt(snap.expiresAt)}`,
        ...(snap.description ? [`Description: ${snap.description}`] : []),
      ],
      warnings,
      risk: 'destructive',
      confirmTarget: p.clusterName,
    };
  },
  async execute(ctx, p, requestRef) {
    const { snap, sharded } = await load(ctx, p);
    let gone = false;
    try {
      await ctx.client.deleteSnapshot(p.groupId, p.clusterName, p.snapshotId, {
        sharded,
        signal: ctx.signal,
      });
    } catch (error) {
      // A retried DELETE whose first try went through: the snapshot is gone, as asked.
      if (!isSnapshotGone(error)) throw error;
      gone = true;
    }
    return {
      action: 'snapshot.delete',
      summary: `Snapshot ${p.snapshotId} of ${p.clusterName} deleted${gone ? ' (Atlas no longer has it)' : ''}`,
      atlas: snap,
      reconciled: gone,
      requestRef,
    };
  },
  // Done when Atlas no longer has the snapshot.
  async recognise(ctx, p) {
    try {
      await load(ctx, p);
    } catch (error) {
      if (isSnapshotGone(error))
        return {
          found: true,
          summary: `Snapshot ${p.snapshotId} of ${p.clusterName} is gone`,
          job: undefined,
        };
      throw error;
    }
    return { found: false, detail: `snapshot ${p.snapshotId} still exists` };
  },
};
