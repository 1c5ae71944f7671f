import {
  errorText,
  toErrorInfo,
  type CollectionRestoreProgress,
  type JobPhase,
  type JobRef,
  type JobState,
} from '@atlas-backups/core';
import { MessageBuilder, type SlackMessage } from './message.js';
import { formatElapsed, formatTime } from './format.js';
import { code, join, link, mrkdwn, mention, text, type Mrkdwn, type MrkdwnValue } from './slack-text.js';

export interface JobMessageInput {
  title: string;
  job: JobRef;
  /** Slack user id of who asked. */
  requestedBy: string;
  startedAt: number;
  /** The latest state seen; absent before the first poll. */
  state?: JobState | undefined;
  /** Why following stopped early (timeout, Atlas refusing), if it did. */
  stopped?: unknown;
  now: number;
}

const phaseIcon: Record<JobPhase, string> = {
  pending: ':hourglass_flowing_sand:',
  running: ':arrows_counterclockwise:',
  succeeded: ':white_check_mark:',
  failed: ':x:',
  cancelled: ':no_entry_sign:',
  expired: ':hourglass:',
};

const kindLabel: Record<JobRef['kind'], string> = {
  snapshot: 'Snapshot',
  export: 'Export job',
  restore: 'Restore job',
  flexSnapshot: 'Flex snapshot',
  flexRestore: 'Flex restore job',
  collectionRestore: 'Collection restore job',
};

/** How many of a collection restore's collections the message lists. */
const listedCollections = 10;
const count = (n: number) => n.toLocaleString('en-US');

export function progressBar(done: number, total: number, width = 20): string {
  const filled = total > 0 ? Math.round((Math.min(done, total) / total) * width) : 0;
  const percent = total > 0 ? ` ${Math.floor((Math.min(done, total) / total) * 100)}%` : '';
  return `${'▓'.repeat(filled)}${'░'.repeat(width - filled)} ${count(done)}/${count(total)}${percent}`;
}

/** Each collection of a collection restore: where it goes and how far it is. */
function collectionLines(collections: readonly CollectionRestoreProgress[]): Mrkdwn {
  const lines = collections.slice(0, listedCollections).map((c) => {
    const docs =
      c.totalDocuments !== undefined ? ` ${count(c.restoredDocuments ?? 0)}/${count(c.totalDocuments)}` : '';
    return mrkdwn`• ${code(c.source)} → ${code(c.target)}: ${c.state}${docs}`;
  });
  const more = collections.length - listedCollections;
  return join(more > 0 ? [...lines, mrkdwn`… and ${more} more`] : lines, '\n');
}

function statusText(input: JobMessageInput): Mrkdwn {
  const s = input.state;
  if (!s) return mrkdwn`:hourglass_flowing_sand: requested`;
  return mrkdwn`${phaseIcon[s.phase]} ${s.phase}${s.status && s.status !== s.phase ? ` (${s.status})` : ''}`;
}

function describeStop(error: unknown): string {
  const info = toErrorInfo(error);
  return info.code === 'INTERNAL' ? 'following the job failed inside the bot (logged)' : errorText(info);
}

function urlLines(urls: string[]): Mrkdwn {
  return join(
    urls.map((u, i) => link(u, `Download${urls.length > 1 ? ` part ${i + 1}` : ''}`)),
    '\n',
  );
}

/** Until when download links work, when Atlas says. */
const expiryText = (s: JobState) => (s.expiresAt ? ` (work until ${formatTime(s.expiresAt)} UTC)` : '');
const expiry = (s: JobState): Mrkdwn => mrkdwn`${expiryText(s)}`;

/** The one message a started job keeps, updated in place as the job moves. */
export function jobMessage(input: JobMessageInput): SlackMessage {
  const { job, state } = input;
  const b = new MessageBuilder();
  b.section(mrkdwn`*${input.title}*`, text(input.title));
  const fields: [string, MrkdwnValue][] = [
    ['Status', statusText(input)],
    [kindLabel[job.kind], code(job.id)],
    ['Cluster', job.clusterName],
    ['Requested by', mention(input.requestedBy)],
  ];
  if (state?.progress)
    fields.push([
      'Progress',
      mrkdwn`${code(progressBar(state.progress.done, state.progress.total))} ${state.progress.unit}`,
    ]);
  fields.push([state?.terminal ? 'Took' : 'Elapsed', formatElapsed(input.now - input.startedAt, ' ')]);
  b.fields(fields);
  if (state?.collections && state.collections.length > 0)
    b.section(
      mrkdwn`*Collections*\n${collectionLines(state.collections)}`,
      text(state.collections.map((c) => `${c.source} → ${c.target}: ${c.state}`).join('\n')),
    );
  if (state?.urls && state.urls.length > 0)
    b.section(
      mrkdwn`*Download links*${expiry(state)}\n${urlLines(state.urls)}`,
      text(`Download links${expiryText(state)}:\n${state.urls.join('\n')}`),
    );
  if (input.stopped !== undefined)
    b.section(
      mrkdwn`:warning: Stopped following: ${describeStop(input.stopped)}`,
      mrkdwn`Stopped following: ${describeStop(input.stopped)}`,
    );
  b.context([mrkdwn`Updated ${formatTime(input.now)} UTC`, mrkdwn`project ${code(job.groupId)}`]);
  return b.build();
}

/** The thread reply posted once the job has ended (or following it stopped). */
export function jobFinishedReply(input: JobMessageInput): SlackMessage {
  const b = new MessageBuilder();
  const s = input.state;
  const took = formatElapsed(input.now - input.startedAt, ' ');
  if (input.stopped !== undefined || !s?.terminal) {
    const why = input.stopped === undefined ? 'the job did not finish' : describeStop(input.stopped);
    b.section(
      mrkdwn`:warning: Stopped following ${kindLabel[input.job.kind].toLowerCase()} ${code(input.job.id)}: ${why}`,
      mrkdwn`Stopped following ${input.job.id}: ${why}`,
    );
    b.context([mrkdwn`Look it up with ${code(`/atlas jobs ${input.job.clusterName}`)}.`]);
    return b.build();
  }
  const verdict: Record<JobPhase, string> = {
    pending: 'is pending',
    running: 'is running',
    succeeded: 'finished',
    failed: 'failed',
    cancelled: 'was cancelled',
    expired: 'expired',
  };
  b.section(
    mrkdwn`${phaseIcon[s.phase]} ${mention(input.requestedBy)} ${input.title}: ${verdict[s.phase]} after ${took}.`,
    mrkdwn`${input.title}: ${verdict[s.phase]} after ${took}.`,
  );
  if (s.urls && s.urls.length > 0)
    b.section(
      mrkdwn`*Download links*${expiry(s)}\n${urlLines(s.urls)}`,
      text(`Download links${expiryText(s)}:\n${s.urls.join('\n')}`),
    );
  return b.build();
}
