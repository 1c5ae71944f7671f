import type { Database } from 'better-sqlite3';
import type { JobRef } from '../watch/job-state.js';

/** A job someone is following, kept so it can be followed again after a restart. */
export interface FollowedJob {
  id: number;
  /** Who follows it: `approval` for jobs started by approved requests, or a front end's own key. */
  watcher: string;
  ref: JobRef;
  requestId: string | undefined;
  /** Opaque to core: where the front end shows progress (e.g. Slack channel and message ts). */
  context: unknown;
  state: 'following' | 'done';
  lastStatus: string | undefined;
  createdAt: string;
  updatedAt: string;
}

interface Row {
  id: number;
  watcher: string;
  job_kind: string;
  group_id: string;
  cluster_name: string;
  job_id: string;
  request_id: string | null;
  context_json: string;
  state: 'following' | 'done';
  last_status: string | null;
  created_at: number;
  updated_at: number;
}

const fromRow = (r: Row): FollowedJob => ({
  id: r.id,
  watcher: r.watcher,
  ref: { kind: r.job_kind, groupId: r.group_id, clusterName: r.cluster_name, id: r.job_id } as JobRef,
  requestId: r.request_id ?? undefined,
  context: JSON.parse(r.context_json) as unknown,
  state: r.state,
  lastStatus: r.last_status ?? undefined,
  createdAt: new Date(r.created_at).toISOString(),
  updatedAt: new Date(r.updated_at).toISOString(),
});

/** The `followed_jobs` table: which Atlas jobs are being watched, and by whom. */
export class FollowedJobStore {
  constructor(
    private readonly db: Database,
    private readonly now: () => number = Date.now,
  ) {}

  /** Starts following; following the same job again under the same watcher returns the existing row. */
  follow(
    ref: JobRef,
    options: { watcher?: string; requestId?: string | undefined; context?: unknown } = {},
  ): FollowedJob {
    const at = this.now();
    const watcher = options.watcher ?? 'default';
    this.db
      .prepare(
        `INSERT INTO followed_jobs
           (watcher, job_kind, group_id, cluster_name, job_id, request_id, context_json, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (watcher, job_kind, group_id, cluster_name, job_id) DO NOTHING`,
      )
      .run(
        watcher,
        ref.kind,
        ref.groupId,
        ref.clusterName,
        ref.id,
        options.requestId ?? null,
        JSON.stringify(options.context ?? {}),
        at,
        at,
      );
    const row = this.db
      .prepare<unknown[], Row>(
        `SELECT * FROM followed_jobs
         WHERE watcher = ? AND job_kind = ? AND group_id = ? AND cluster_name = ? AND job_id = ?`,
      )
      .get(watcher, ref.kind, ref.groupId, ref.clusterName, ref.id);
    if (!row) throw new Error('followed job vanished after insert');
    return fromRow(row);
  }

  get(id: number): FollowedJob | undefined {
    const row = this.db.prepare<[number], Row>('SELECT * FROM followed_jobs WHERE id = ?').get(id);
    return row && fromRow(row);
  }

  /** Jobs still being followed, oldest first; what a restarted process picks up again. */
  active(watcher?: string): FollowedJob[] {
    const rows =
      watcher === undefined
        ? this.db.prepare<[], Row>("SELECT * FROM followed_jobs WHERE state = 'following' ORDER BY id").all()
        : this.db
            .prepare<[string], Row>(
              "SELECT * FROM followed_jobs WHERE state = 'following' AND watcher = ? ORDER BY id",
            )
            .all(watcher);
    return rows.map(fromRow);
  }

  forRequest(requestId: string): FollowedJob[] {
    return this.db
      .prepare<[string], Row>('SELECT * FROM followed_jobs WHERE request_id = ? ORDER BY id')
      .all(requestId)
      .map(fromRow);
  }

  setContext(id: number, context: unknown): void {
    this.db
      .prepare('UPDATE followed_jobs SET context_json = ?, updated_at = ? WHERE id = ?')
      .run(JSON.stringify(context ?? {}), this.now(), id);
  }

  recordStatus(id: number, status: string): void {
    this.db
      .prepare(
        "UPDATE followed_jobs SET last_status = ?, updated_at = ? WHERE id = ? AND state = 'following'",
      )
      .run(status, this.now(), id);
  }

  /** Stops following (the job ended, or nobody needs it any more). Returns false if it was already done. */
  finish(id: number, status?: string): boolean {
    return (
      this.db
        .prepare(
          `UPDATE followed_jobs SET state = 'done', last_status = COALESCE(?, last_status), updated_at = ?
           WHERE id = ? AND state = 'following'`,
        )
        .run(status ?? null, this.now(), id).changes === 1
    );
  }
}
