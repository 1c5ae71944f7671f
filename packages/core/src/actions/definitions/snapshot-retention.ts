import { z } from 'zod';
import { loadProjectCompliance, retentionRefusal } from '../../compliance/compliance-rules.js';
import { objectId } from '../../schemas/common.js';
import { checkRetention, retentionRequest } from '../../schemas/snapshots.js';
import { dedicatedKinds } from '../deployment-kinds.js';
import { where } from '../params.js';
import { fmt } from '../preview-text.js';
import { addRetention, day } from '../retention.js';
import type { ActionDefinition } from '../types.js';

const params = z
  .strictObject({ ...where, snapshotId: objectId('snapshotId'), ...retentionRequest.shape })
  .superRefine(checkRetention);

export const changeRetention: ActionDefinition<typeof params> = {
  name: 'snapshot.retention',
  title: "Change a snapshot's retention",
  doing: 'Changing retention',
  baseRisk: 'safe',
  deploymentKinds: dedicatedKinds,
  params,
  async preview(ctx, p) {
    const [snap, compliance] = await Promise.all([
      ctx.client.getSnapshot(p.groupId, p.clusterName, p.snapshotId, { signal: ctx.signal }),
      loadProjectCompliance(ctx.client, p.groupId, ctx.signal),
    ]);
    const created = snap.createdAt ? Date.parse(snap.createdAt) : ctx.now();
    const next = addRetention(created, p.retentionUnit, p.retentionValue);
    // Below the Backup Compliance Policy's minimum Atlas refuses: refused here, before anyone approves.
    const refused = retentionRefusal(compliance, snap, next);
    if (refused) throw refused;
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
  // Done when the snapshot already expires when the change says (within a minute).
  async recognise(ctx, p) {
    const snap = await ctx.client.getSnapshot(p.groupId, p.clusterName, p.snapshotId, { signal: ctx.signal });
    if (!snap.createdAt || !snap.expiresAt)
      return { found: false, detail: 'the snapshot does not show its dates' };
    const expected = addRetention(Date.parse(snap.createdAt), p.retentionUnit, p.retentionValue);
    if (Math.abs(Date.parse(snap.expiresAt) - expected) > 60_000)
      return { found: false, detail: `snapshot ${snap.id} still expires ${snap.expiresAt}` };
    return { found: true, summary: `Snapshot ${snap.id} already expires ${snap.expiresAt}`, job: undefined };
  },
};
