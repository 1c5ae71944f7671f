import {
  deploymentKindFromError,
  fromSnapshot,
  listSnapshotRows,
  snapshotColumns,
  type Project,
  type SnapshotRow,
} from '@atlas-backups/core';
import { cell, formatBytes, formatTime } from '../blocks/format.js';
import { MessageBuilder, type SlackMessage } from '../blocks/message.js';
import { code, mrkdwn, text } from '../blocks/slack-text.js';
import { projectUsage } from './args/args.js';
import { clusterListing } from './args/values.js';
import { defineCommand, projectFor } from './command.js';

export const snapshots = defineCommand({
  topic: 'snapshots',
  summary: "List a cluster's snapshots, newest first",
  usage: [`/atlas snapshots <cluster> ${projectUsage} [--limit N]`],
  examples: ['/atlas snapshots Cluster0', '/atlas snapshots Cluster0 --project payments-prod --limit 25'],
  changes: false,
  parse: (rest) => ({ kind: 'snapshots' as const, ...clusterListing(rest, 'snapshots') }),
  answer: (command, ctx) => ({
    afterAck: async () => {
      const { atlas } = ctx.bot;
      const project = await projectFor(ctx, command.project);
      try {
        const page = await atlas.listSnapshots(project.id, command.cluster, {
          itemsPerPage: command.limit,
          includeCount: true,
        });
        await ctx.inv.replier.inChannel(
          snapshotsMessage(project, command.cluster, page.results.map(fromSnapshot), page.totalCount),
        );
      } catch (error) {
        // Flex clusters and serverless instances keep their snapshots behind their own APIs.
        const kind = deploymentKindFromError(error);
        if (!kind) throw error;
        const list = await listSnapshotRows(
          atlas,
          project.id,
          { name: command.cluster, kind },
          { limit: command.limit },
        );
        const note =
          list.notice ??
          `${command.cluster} is a ${kind === 'flex' ? 'Flex cluster' : 'serverless instance'}: these are its ${kind === 'flex' ? 'Flex' : 'serverless'} backup snapshots.`;
        await ctx.inv.replier.inChannel(
          snapshotsMessage(project, command.cluster, list.rows, undefined, note),
        );
      }
    },
  }),
});

const snapshotHeaders = snapshotColumns.map((c) => c.toUpperCase());

/** A snapshot row with the TUI's columns (core's SnapshotRow): id, type, status, created, expires, size, description. */
function snapshotRow(row: SnapshotRow): string[] {
  return [
    row.id,
    row.type,
    row.status,
    formatTime(row.createdAt),
    formatTime(row.expiresAt),
    formatBytes(row.sizeBytes),
    cell(row.description),
  ];
}

export function snapshotsMessage(
  project: Project,
  cluster: string,
  snapshots: SnapshotRow[],
  total: number | undefined,
  note?: string,
): SlackMessage {
  const rows = snapshots.map(snapshotRow);
  const b = new MessageBuilder();
  const count =
    total !== undefined && total > rows.length ? `${rows.length} newest of ${total}` : `${rows.length}`;
  b.section(
    mrkdwn`*Snapshots of ${cluster}* in ${project.name}: ${count}`,
    mrkdwn`Snapshots of ${cluster} in ${project.name}: ${count}`,
  );
  if (note) b.context([text(note)], text(note));
  if (rows.length === 0) return b.section(mrkdwn`_No snapshots._`).build();
  b.table(snapshotHeaders, rows, 'snapshots');
  if (total !== undefined && total > rows.length)
    b.context([mrkdwn`Use ${code('--limit N')} (up to 100) to see more.`]);
  return b.build();
}
