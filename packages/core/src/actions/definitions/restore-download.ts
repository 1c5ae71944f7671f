import { z } from 'zod';
import { downloadRestoreRequest } from '../../schemas/restores.js';
import { restoreJobBehaviour } from './restore-job.js';
import { dedicatedKinds } from '../deployment-kinds.js';
import { where } from '../params.js';
import { fmt, unlessCompleted } from '../preview-text.js';
import type { ActionDefinition } from '../types.js';

const params = z.strictObject({ ...where, ...downloadRestoreRequest.omit({ deliveryType: true }).shape });

export const restoreDownload: ActionDefinition<typeof params> = {
  name: 'restore.download',
  title: 'Download a snapshot',
  doing: 'Creating download links',
  baseRisk: 'costly',
  deploymentKinds: dedicatedKinds,
  params,
  async preview(ctx, p) {
    const snap = await ctx.client.getSnapshot(p.groupId, p.clusterName, p.snapshotId, { signal: ctx.signal });
    return {
      title: `Create download links for snapshot ${p.snapshotId} of ${p.clusterName}`,
      lines: [
        `Source: snapshot ${p.snapshotId} of ${p.clusterName}, taken ${fmt(snap.createdAt)}`,
        'Nothing is overwritten.',
      ],
      warnings: [
        ...unlessCompleted(snap, 'restores'),
        'Anyone holding the download links can fetch the data until they expire.',
      ],
      risk: 'costly',
    };
  },
  ...restoreJobBehaviour('restore.download', (p: z.output<typeof params>) => ({
    deliveryType: 'download',
    snapshotId: p.snapshotId,
  })),
};
