import {
  deploymentKindFromError,
  exportState,
  listRestoreJobRows,
  type ExportJob,
  type Project,
  type RestoreJobRow,
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
      const cluster = { name: command.cluster, kind: 'replicaSet' as const };
      const limit = { limit: command.limit };
      try {
        const [restores, exports] = await Promise.all([
          listRestoreJobRows(atlas, project.id, cluster, limit),
          atlas.listExportJobs(project.id, command.cluster, { itemsPerPage: command.limit }),
        ]);
        await ctx.inv.replier.inChannel(jobsMessage(project, command.cluster, restores, exports.results));
      } catch (error) {
        // A Flex cluster's restore jobs are behind the Flex API; it has no export jobs.
        if (deploymentKindFromError(error) !== 'flex') throw error;
        const restores = await listRestoreJobRows(atlas, project.id, { ...cluster, kind: 'flex' }, limit);
        await ctx.inv.replier.inChannel(jobsMessage(project, command.cluster, restores, undefined));
      }
    },
  }),
});

/** A cluster's restore and export jobs; `exports` undefined for a Flex cluster, which has none. */
function jobsMessage(
  project: Project,
  cluster: string,
  restores: RestoreJobRow[],
  exports: ExportJob[] | undefined,
): SlackMessage {
  const b = new MessageBuilder();
  b.section(mrkdwn`*Jobs of ${cluster}* in ${project.name}`, mrkdwn`Jobs of ${cluster} in ${project.name}`);
  b.section(mrkdwn`*Restore jobs* (${restores.length})`, mrkdwn`Restore jobs (${restores.length})`);
  if (restores.length > 0) {
    b.table(
      ['ID', 'TYPE', 'STATUS', 'SNAPSHOT / POINT', 'TARGET', 'REQUESTED', 'FINISHED'],
      restores.map((j) => [
        j.id,
        j.delivery,
        j.state.status,
        j.snapshotId ?? j.moment ?? '-',
        j.targetCluster ?? '-',
        formatTime(j.requestedAt),
        formatTime(j.finishedAt),
      ]),
      'restore jobs',
    );
  }
  if (exports === undefined) {
    b.context([
      mrkdwn`${cluster} is a Flex cluster: these are its Flex restore jobs; Flex clusters have no export jobs.`,
    ]);
    return b.build();
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
