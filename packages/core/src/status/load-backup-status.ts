import type { AtlasClient } from '../client/atlas-client.js';
import type { CompliancePolicyReading } from '../client/compliance.js';
import {
  readCompliancePolicyOrReason,
  requiredWindowDays,
  snapshotKind,
} from '../compliance/compliance-rules.js';
import { toErrorInfo } from '../errors.js';
import { listSnapshotRows } from '../present/snapshot-rows.js';
import type { ClusterSummary } from '../schemas/clusters.js';
import type { BackupSchedule } from '../schemas/schedule.js';
import type { Snapshot } from '../schemas/snapshots.js';
import {
  collectionRestoreJobState,
  exportState,
  flexRestoreState,
  restoreState,
  snapshotState,
  type JobState,
} from '../watch/job-state.js';
import { backupStatus, type BackupStatus, type RunningJob, type StatusSnapshot } from './backup-status.js';

const day = 86_400_000;

export interface StatusOptions {
  now: number;
  signal?: AbortSignal | undefined;
}

/** Every cluster's backup status in a project, with its Backup Compliance Policy. */
export interface ProjectBackupStatus {
  project: { id: string; name: string };
  compliance: CompliancePolicyReading;
  clusters: BackupStatus[];
  /** When it was read, ms: the `now` every age is counted from. */
  at: number;
}

function phaseOf(state: JobState): StatusSnapshot['phase'] {
  if (state.phase === 'succeeded') return 'completed';
  if (state.phase === 'failed') return 'failed';
  if (state.phase === 'running' || state.phase === 'pending') return 'running';
  return 'other';
}

const time = (iso: string | undefined) => {
  const ms = iso === undefined ? NaN : Date.parse(iso);
  return Number.isFinite(ms) ? ms : undefined;
};

function fromDedicated(s: Snapshot): StatusSnapshot {
  const state = snapshotState(s);
  // An unknown status is "pending" to a watcher; here it is neither running nor done.
  const known =
    s.status === 'completed' || s.status === 'failed' || s.status === 'queued' || s.status === 'inProgress';
  return {
    id: s.id,
    createdAt: time(s.createdAt),
    phase: known ? phaseOf(state) : 'other',
    status: s.status ?? 'unknown',
    kind: snapshotKind(s),
  };
}

/** The part of a status that could not be read, said plainly, instead of the whole status failing. */
async function part<T>(what: string, problems: string[], read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    problems.push(`${what}: ${toErrorInfo(error).message}`);
    return undefined;
  }
}

function unfinished<T extends { id: string }>(
  jobs: readonly T[] | undefined,
  kind: RunningJob['kind'],
  stateOf: (job: T) => JobState,
): RunningJob[] {
  return (jobs ?? []).flatMap((job) => {
    const state = stateOf(job);
    return state.terminal ? [] : [{ kind, id: job.id, status: state.status }];
  });
}

/** Reads one cluster's facts from Atlas and makes its status; what cannot be read is named in `problems`. */
export async function loadClusterBackupStatus(
  client: AtlasClient,
  groupId: string,
  cluster: ClusterSummary,
  options: StatusOptions & { requiredWindowDays?: number | undefined },
): Promise<BackupStatus> {
  const problems: string[] = [];
  const o = { signal: options.signal };
  const base = {
    cluster: {
      name: cluster.name,
      kind: cluster.kind,
      backupEnabled: cluster.backupEnabled,
      pitEnabled: cluster.pitEnabled,
    },
    requiredWindowDays: options.requiredWindowDays,
  };
  if (cluster.kind === 'flex' || cluster.kind === 'serverless') {
    const [list, restores] = await Promise.all([
      part('snapshots', problems, () => listSnapshotRows(client, groupId, cluster, { limit: 50, ...o })),
      cluster.kind === 'flex'
        ? part('restore jobs', problems, () =>
            client.listFlexRestoreJobs(groupId, cluster.name, { itemsPerPage: 100 }, o),
          )
        : undefined,
    ]);
    const snapshots = (list?.rows ?? []).map((r): StatusSnapshot => ({
      id: r.id,
      createdAt: time(r.createdAt),
      phase: phaseOf(snapshotState({ id: r.id, status: r.status })),
      status: r.status,
      kind: r.type,
    }));
    return backupStatus(
      {
        ...base,
        schedule: undefined,
        snapshots,
        running: unfinished(restores?.results, 'flexRestore', flexRestoreState),
        problems,
      },
      options.now,
    );
  }

  const schedule: BackupSchedule | undefined = await part('backup schedule', problems, () =>
    client.getBackupSchedule(groupId, cluster.name, o),
  );
  const days = Math.max(7, schedule?.restoreWindowDays ?? 0, options.requiredWindowDays ?? 0);
  const reach = options.now - days * day;
  const [snapshots, restores, collectionRestores, exports] = await Promise.all([
    part('snapshots', problems, async () => {
      const out: StatusSnapshot[] = [];
      for await (const s of client.iterateSnapshots(groupId, cluster.name, { itemsPerPage: 100, ...o })) {
        const row = fromDedicated(s);
        out.push(row);
        // Newest first: once one completed before the reach, older ones change nothing shown.
        if (row.phase === 'completed' && row.createdAt !== undefined && row.createdAt <= reach) break;
      }
      return out;
    }),
    part('restore jobs', problems, () =>
      client.listRestoreJobs(groupId, cluster.name, { itemsPerPage: 100 }, o),
    ),
    part('collection restore jobs', problems, () =>
      client.listCollectionRestoreJobs(groupId, cluster.name, { itemsPerPage: 100 }, o),
    ),
    part('export jobs', problems, () =>
      client.listExportJobs(groupId, cluster.name, { itemsPerPage: 100 }, o),
    ),
  ]);
  const running: RunningJob[] = [
    ...(snapshots ?? [])
      .filter((s) => s.phase === 'running')
      .map((s): RunningJob => ({ kind: 'snapshot', id: s.id, status: s.status })),
    ...unfinished(restores?.results, 'restore', restoreState),
    ...unfinished(collectionRestores?.results, 'collectionRestore', (j) => collectionRestoreJobState(j)),
    ...unfinished(exports?.results, 'export', exportState),
  ];
  return backupStatus({ ...base, schedule, snapshots: snapshots ?? [], running, problems }, options.now);
}

/** Every cluster of a project, read side by side, with the project's Backup Compliance Policy. */
export async function loadProjectBackupStatus(
  client: AtlasClient,
  project: { id: string; name: string },
  options: StatusOptions & {
    /** The project's clusters when the caller lists them already (read side by side with the policy). */
    clusters?: readonly ClusterSummary[] | Promise<readonly ClusterSummary[]> | undefined;
  },
): Promise<ProjectBackupStatus> {
  const o = { signal: options.signal };
  const [clusters, compliance] = await Promise.all([
    options.clusters ?? client.listAllClusters(project.id, o),
    readCompliancePolicyOrReason(client, project.id, o),
  ]);
  const required = compliance.state === 'present' ? requiredWindowDays(compliance.policy) : undefined;
  const statusOptions = { now: options.now, signal: options.signal, requiredWindowDays: required };
  const statuses = await Promise.all(
    clusters.map((c) => loadClusterBackupStatus(client, project.id, c, statusOptions)),
  );
  return { project: { id: project.id, name: project.name }, compliance, clusters: statuses, at: options.now };
}
