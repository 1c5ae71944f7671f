import type { JobRef } from '../watch/job-state.js';
import type { Sql } from './sql.js';
import { toSql, type SqlSource } from './sqlite-sql.js';

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
  id: Number(r.id),
  watcher: r.watcher,
  ref: { kind: r.job_kind, groupId: r.group_id, clusterName: r.cluster_name, id: r.job_id } as JobRef,
  requestId: r.request_id ?? undefined,
  context: JSON.parse(r.context_json) as unknown,
  state: r.state,
  lastStatus: r.last_status ?? undefined,
  createdAt: new Date(Number(r.created_at)).toISOString(),
  updatedAt: new Date(Number(r.updated_at)).toISOString(),
});

/** The `followed_jobs` table: which Atlas jobs are being watched, and by whom. */
export class FollowedJobStore {
  private readonly db: Sql;

  constructor(
    source: SqlSource,
    private readonly now: () => number = Date.now,
  ) {
    this.db = toSql(source);
  }

  /** Starts following; following the same job again under the same watcher returns the existing row. */
  async follow(
    ref: JobRef,
    options: { watcher?: string; requestId?: string | undefined; context?: unknown } = {},
  ): Promise<FollowedJob> {
    const at = this.now();
    const watcher = options.watcher ?? 'default';
    await this.db.run(
      `INSERT INTO followed_jobs
           (watcher, job_kind, group_id, cluster_name, job_id, request_id, context_json, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (watcher, job_kind, group_id, cluster_name, job_id) DO NOTHING`,
      [
        watcher,
        ref.kind,
        ref.groupId,
        ref.clusterName,
        ref.id,
        options.requestId ?? null,
        JSON.stringify(options.context ?? {}),
        at,
        at,
      ],
    );
    const row = await this.db.get<Row>(
      `SELECT * FROM followed_jobs
         WHERE watcher = ? AND job_kind = ? AND group_id = ? AND cluster_name = ? AND job_id = ?`,
      [watcher, ref.kind, ref.groupId, ref.clusterName, ref.id],
    );
    if (!row) throw new Error('followed job vanished after insert');
    return fromRow(row);
  }

  async get(id: number): Promise<FollowedJob | undefined> {
    const row = await this.db.get<Row>('SELECT * FROM followed_jobs WHERE id = ?', [id]);
    return row && fromRow(row);
  }

  /** Jobs still being followed, oldest first; what a restarted process picks up again. */
  async active(watcher?: string): Promise<FollowedJob[]> {
    const rows =
      watcher === undefined
        ? await this.db.all<Row>("SELECT * FROM followed_jobs WHERE state = 'following' ORDER BY id")
        : await this.db.all<Row>(
            "SELECT * FROM followed_jobs WHERE state = 'following' AND watcher = ? ORDER BY id",
            [watcher],
          );
    return rows.map(fromRow);
  }

  async forRequest(requestId: string): Promise<FollowedJob[]> {
    return (
      await this.db.all<Row>('SELECT * FROM followed_jobs WHERE request_id = ? ORDER BY id', [requestId])
    ).map(fromRow);
  }

  async setContext(id: number, context: unknown): Promise<void> {
    await this.db.run('UPDATE followed_jobs SET context_json = ?, updated_at = ? WHERE id = ?', [
      JSON.stringify(context ?? {}),
      this.now(),
      id,
    ]);
  }

  async recordStatus(id: number, status: string): Promise<void> {
    await this.db.run(
      "UPDATE followed_jobs SET last_status = ?, updated_at = ? WHERE id = ? AND state = 'following'",
      [status, this.now(), id],
    );
  }

  /** Stops following (the job ended, or nobody needs it any more). Returns false if it was already done. */
  async finish(id: number, status?: string): Promise<boolean> {
    const { changes } = await this.db.run(
      `UPDATE followed_jobs SET state = 'done', last_status = COALESCE(?, last_status), updated_at = ?
       WHERE id = ? AND state = 'following'`,
      [status ?? null, this.now(), id],
    );
    return changes === 1;
  }

  // ---- leases: which replica follows a job right now ------------------------------------------

  /**
   * Takes (or renews) the lease on a followed job for `owner` until `now + ttlMs`, if it is free,
   * expired or already this owner's. One conditional update: among replicas, one wins.
   */
  async acquireLease(id: number, owner: string, ttlMs: number): Promise<boolean> {
    const now = this.now();
    const { changes } = await this.db.run(
      `UPDATE followed_jobs SET lease_owner = ?, lease_expires_at = ?
       WHERE id = ? AND state = 'following'
         AND (lease_owner IS NULL OR lease_owner = ? OR lease_expires_at IS NULL OR lease_expires_at <= ?)`,
      [owner, now + ttlMs, id, owner, now],
    );
    return changes === 1;
  }

  /** Extends a lease this owner still holds; false when it lapsed and another replica took it. */
  async renewLease(id: number, owner: string, ttlMs: number): Promise<boolean> {
    const { changes } = await this.db.run(
      'UPDATE followed_jobs SET lease_expires_at = ? WHERE id = ? AND lease_owner = ?',
      [this.now() + ttlMs, id, owner],
    );
    return changes === 1;
  }

  async releaseLease(id: number, owner: string): Promise<void> {
    await this.db.run(
      'UPDATE followed_jobs SET lease_owner = NULL, lease_expires_at = NULL WHERE id = ? AND lease_owner = ?',
      [id, owner],
    );
  }

  /** Jobs still followed whose lease is free, expired or `owner`'s own: what `owner` may take up. */
  async unleased(watcher: string, owner: string): Promise<FollowedJob[]> {
    const rows = await this.db.all<Row>(
      `SELECT * FROM followed_jobs WHERE state = 'following' AND watcher = ?
         AND (lease_owner IS NULL OR lease_owner = ? OR lease_expires_at IS NULL OR lease_expires_at <= ?)
       ORDER BY id`,
      [watcher, owner, this.now()],
    );
    return rows.map(fromRow);
  }
}
