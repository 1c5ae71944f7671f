import { z } from 'zod';
import { automatedRestoreRequest } from '../../schemas/restores.js';
import { restoreJobBehaviour, restoreTargetLines } from './restore-job.js';
import { dedicatedKinds } from '../deployment-kinds.js';
import { where } from '../params.js';
import { fmt, unlessCompleted } from '../preview-text.js';
import type { ActionDefinition } from '../types.js';

const params = z.strictObject({ ...where, ...automatedRestoreRequest.omit({ deliveryType: true }).shape });

export const restoreAutomated: ActionDefinition<typeof params> = {
  name: 'restore.automated',
  title: 'Restore a snapshot onto a cluster',
  doing: 'Starting the restore',
  baseRisk: 'destructive',
  deploymentKinds: dedicatedKinds,
  params,
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
  ...restoreJobBehaviour('restore.automated', (p: z.output<typeof params>) => ({
    deliveryType: 'automated',
    snapshotId: p.snapshotId,
    targetClusterName: p.targetClusterName,
    targetGroupId: p.targetGroupId,
  })),
};
