import { z } from 'zod';
import { checkPointInTime, pointInTimeFields } from '../../schemas/restores.js';
import { restoreJobBehaviour, restoreTargetLines } from './restore-job.js';
import { dedicatedKinds } from '../deployment-kinds.js';
import { where } from '../params.js';
import { fmt } from '../preview-text.js';
import type { ActionDefinition } from '../types.js';

const params = z.strictObject({ ...where, ...pointInTimeFields }).superRefine(checkPointInTime);

export const restorePointInTime: ActionDefinition<typeof params> = {
  name: 'restore.pointInTime',
  title: 'Restore a cluster to a point in time',
  doing: 'Starting the point-in-time restore',
  baseRisk: 'destructive',
  deploymentKinds: dedicatedKinds,
  params,
  async preview(ctx, p) {
    const target = await restoreTargetLines(ctx, p.targetGroupId, p.targetClusterName);
    const moment =
      p.pointInTimeUTCSeconds !== undefined
        ? fmt(p.pointInTimeUTCSeconds * 1000)
        : `oplog timestamp ${p.oplogTs}:${p.oplogInc} (${fmt((p.oplogTs ?? 0) * 1000)})`;
    const future = (p.pointInTimeUTCSeconds ?? p.oplogTs ?? 0) * 1000 > ctx.now();
    return {
      title: `Restore ${p.targetClusterName} to ${p.clusterName} as of ${moment}`,
      lines: [`Source: continuous backup of ${p.clusterName}, as of ${moment}`, target.line],
      warnings: [
        target.warning,
        ...(future ? ['The requested moment is in the future; Atlas will refuse it.'] : []),
      ],
      risk: 'destructive',
      confirmTarget: p.targetClusterName,
    };
  },
  ...restoreJobBehaviour('restore.pointInTime', (p: z.output<typeof params>) => {
    const { groupId: _g, clusterName: _c, ...rest } = p;
    return { deliveryType: 'pointInTime', ...rest };
  }),
};
