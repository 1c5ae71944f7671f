import { z } from 'zod';
import { checkPointInTime, pointInTimeFields } from '../../schemas/restores.js';
import { checkRestorableMoment, describeWindow } from '../../window/restorable-window.js';
import { restoreJobBehaviour, restoreTargetLines } from './restore-job.js';
import { dedicatedKinds } from '../deployment-kinds.js';
import { where } from '../params.js';
import { fmt } from '../preview-text.js';
import type { ActionDefinition } from '../types.js';

const params = z.strictObject({ ...where, ...pointInTimeFields }).superRefine(checkPointInTime);

type Params = z.output<typeof params>;

const momentOf = (p: Params) =>
  p.pointInTimeUTCSeconds !== undefined
    ? { field: 'pointInTimeUTCSeconds', seconds: p.pointInTimeUTCSeconds }
    : { field: 'oplogTs', seconds: p.oplogTs ?? 0 };

const behaviour = restoreJobBehaviour('restore.pointInTime', (p: Params) => {
  const { groupId: _g, clusterName: _c, ...rest } = p;
  return { deliveryType: 'pointInTime', ...rest };
});

export const restorePointInTime: ActionDefinition<typeof params> = {
  name: 'restore.pointInTime',
  title: 'Restore a cluster to a point in time',
  doing: 'Starting the point-in-time restore',
  baseRisk: 'destructive',
  deploymentKinds: dedicatedKinds,
  params,
  async preview(ctx, p) {
    // Outside the source's restorable window Atlas refuses: refused here, before anyone approves.
    const window = await checkRestorableMoment(ctx.client, p.groupId, p.clusterName, momentOf(p), {
      now: ctx.now(),
      signal: ctx.signal,
    });
    const target = await restoreTargetLines(ctx, p.targetGroupId, p.targetClusterName);
    const moment =
      p.pointInTimeUTCSeconds !== undefined
        ? fmt(p.pointInTimeUTCSeconds * 1000)
        : `oplog timestamp ${p.oplogTs}:${p.oplogInc} (${fmt((p.oplogTs ?? 0) * 1000)})`;
    return {
      title: `Restore ${p.targetClusterName} to ${p.clusterName} as of ${moment}`,
      lines: [
        `Source: continuous backup of ${p.clusterName}, as of ${moment}; ${describeWindow(window)}`,
        target.line,
      ],
      warnings: [target.warning],
      risk: 'destructive',
      confirmTarget: p.targetClusterName,
    };
  },
  ...behaviour,
  async execute(ctx, p, requestRef) {
    // The window moves on while people approve: a moment that has left it is refused here too.
    await checkRestorableMoment(ctx.client, p.groupId, p.clusterName, momentOf(p), {
      now: ctx.now(),
      signal: ctx.signal,
    });
    return behaviour.execute(ctx, p, requestRef);
  },
};
