import {
  exportState,
  snapshotColumns,
  type ClusterSummary,
  type ExportJob,
  type Project,
  type RestoreJobRow,
  type ServerlessSnapshotResult,
  type SnapshotRow,
} from '@atlas-backups/core';
import { MessageBuilder, type SlackMessage } from './message.js';
import { cell, formatBytes, formatTime } from './format.js';
import { code, mrkdwn, text } from './slack-text.js';

export const snapshotHeaders = snapshotColumns.map((c) => c.toUpperCase());

/** A snapshot row with the TUI's columns (core's SnapshotRow): id, type, status, created, expires, size, description. */
export function snapshotRow(row: SnapshotRow): string[] {
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

export function projectsMessage(
  projects: Project[],
  channelDefault: string | undefined,
  isProduction: (p: Project) => boolean,
): SlackMessage {
  const b = new MessageBuilder();
  b.section(mrkdwn`*Atlas projects* (${projects.length})`, mrkdwn`Atlas projects (${projects.length})`);
  if (projects.length === 0)
    return b.section(mrkdwn`_No project is visible to the bot._`, mrkdwn`No project is visible.`).build();
  b.table(
    ['NAME', 'ID', 'CLUSTERS', 'NOTE'],
    projects.map((p) => [
      cell(p.name, 64),
      p.id,
      String(p.clusterCount),
      [isProduction(p) ? 'production' : '', p.id === channelDefault ? "channel's default" : '']
        .filter(Boolean)
        .join(', ') || '-',
    ]),
    'projects',
  );
  b.context([mrkdwn`Set the channel's default with ${code('/atlas use <project>')}.`]);
  return b.build();
}

export function clustersMessage(project: Project, clusters: ClusterSummary[]): SlackMessage {
  const b = new MessageBuilder();
  b.section(
    mrkdwn`*Clusters of ${project.name}* (${code(project.id)}): ${clusters.length}`,
    mrkdwn`Clusters of ${project.name} (${project.id}): ${clusters.length}`,
  );
  if (clusters.length === 0) return b.section(mrkdwn`_This project has no clusters._`).build();
  b.table(
    ['NAME', 'KIND', 'STATE', 'VERSION', 'BACKUP', 'PIT'],
    clusters.map((c) => [
      c.name,
      c.kind,
      c.state ?? '-',
      c.mongoDBVersion ?? '-',
      c.backupEnabled ? 'on' : 'off',
      c.pitEnabled ? 'on' : 'off',
    ]),
    'clusters',
  );
  return b.build();
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

/** A cluster's restore and export jobs; `exports` undefined for a Flex cluster, which has none. */
export function jobsMessage(
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

export function serverlessSnapshotMessage(
  project: Project,
  instance: string,
  result: ServerlessSnapshotResult,
): SlackMessage {
  const b = new MessageBuilder();
  b.section(
    mrkdwn`*Snapshot ${result.snapshot.id}* of ${instance} in ${project.name}`,
    mrkdwn`Snapshot ${result.snapshot.id} of ${instance} in ${project.name}`,
  );
  if (result.via === 'flex') {
    b.section(mrkdwn`:information_source: ${result.notice}`, text(result.notice));
    const s = result.snapshot;
    b.fields([
      ['Source', 'Flex cluster backup'],
      ['Status', s.status ?? '-'],
      ['Scheduled', formatTime(s.scheduledTime)],
      ['Started', formatTime(s.startTime)],
      ['Finished', formatTime(s.finishTime)],
      ['Expires', formatTime(s.expiration)],
      ['MongoDB', s.mongoDBVersion ?? '-'],
    ]);
  } else {
    const s = result.snapshot;
    b.fields([
      ['Source', 'Serverless backup'],
      ['Type', s.snapshotType === 'scheduled' ? (s.frequencyType ?? 'scheduled') : (s.snapshotType ?? '-')],
      ['Status', s.status ?? '-'],
      ['Created', formatTime(s.createdAt)],
      ['Expires', formatTime(s.expiresAt)],
      ['Size', formatBytes(s.storageSizeBytes)],
      ['MongoDB', s.mongodVersion ?? '-'],
    ]);
  }
  return b.build();
}
