import {
  exportState,
  restoreState,
  type ExportJob,
  type Project,
  type RestoreJob,
} from '@atlas-backups/core';
import { formatTime } from '../blocks/format.js';
import { MessageBuilder, type SlackMessage } from '../blocks/message.js';
import { mrkdwn } from '../blocks/slack-text.js';
import { projectUsage } from './args/args.js';
import { clusterListing } from './args/values.js';
import { defineCommand, projectFor } from './command.js';

export const jobs = defineCommand({
  topic: 'jobs',
  summary: "List a cluster's restore and export jobs",
  usage: [`/atlas jobs <cluster> ${projectUsage} [--limit N]`],
  examples: ['/atlas jobs Cluster0'],
  changes: false,
  parse: (rest) => ({ kind: 'jobs' as const, ...clusterListing(rest, 'jobs') }),
  answer: (command, ctx) => ({
    afterAck: async () => {
      const { atlas } = ctx.bot;
      const project = await projectFor(ctx, command.project);
      const query = { itemsPerPage: command.limit };
      const [restores, exports] = await Promise.all([
        atlas.listRestoreJobs(project.id, command.cluster, query),
        atlas.listExportJobs(project.id, command.cluster, query),
      ]);
      await ctx.inv.replier.inChannel(
        jobsMessage(project, command.cluster, restores.results, exports.results),
      );
    },
  }),
});

function jobsMessage(
  project: Project,
  cluster: string,
  restores: RestoreJob[],
  exports: ExportJob[],
): SlackMessage {
  const b = new MessageBuilder();
  b.section(mrkdwn`*Jobs of ${cluster}* in ${project.name}`, mrkdwn`Jobs of ${cluster} in ${project.name}`);
  b.section(mrkdwn`*Restore jobs* (${restores.length})`, mrkdwn`Restore jobs (${restores.length})`);
  if (restores.length > 0) {
    b.table(
      ['ID', 'TYPE', 'STATUS', 'SNAPSHOT / POINT', 'TARGET', 'REQUESTED', 'FINISHED'],
      restores.map((j) => [
        j.id,
        j.deliveryType,
        restoreState(j).status,
        j.snapshotId ??
          (j.pointInTimeUTCSeconds !== undefined
            ? formatTime(j.pointInTimeUTCSeconds * 1000)
            : j.oplogTs !== undefined
              ? `oplog ${j.oplogTs}:${j.oplogInc ?? 0}`
              : '-'),
        j.targetClusterName ?? '-',
        formatTime(j.timestamp),
        formatTime(j.finishedAt),
      ]),
      'restore jobs',
    );
  }
  b.section(mrkdwn`*Export jobs* (${exports.length})`, mrkdwn`Export jobs (${exports.length})`);
  if (exports.length > 0) {
    b.table(
      ['ID', 'STATE', 'PROGRESS', 'SNAPSHOT', 'BUCKET', 'CREATED'],
      exports.map((j) => {
        const state = exportState(j);
        return [
          j.id,
          j.state ?? '-',
          state.progress ? `${state.progress.done}/${state.progress.total}` : '-',
          j.snapshotId ?? '-',
          j.exportBucketId,
          formatTime(j.createdAt),
        ];
      }),
      'export jobs',
    );
  }
  return b.build();
}
