import type { Sql } from '../store/sql.js';
import { toSql, type SqlSource } from '../store/sqlite-sql.js';
import type { AuditEntry, AuditSink } from './audit-entry.js';

/**
 * The audit trail in the approvals database (SQLite or PostgreSQL). Insert only: there is no
 * update or delete path here, and triggers in the schema refuse both on either engine. Each entry
 * is stored as the exact JSON line JsonlAuditLog would write, so an export is byte-for-byte the
 * same format.
 */
export class SqlAuditLog implements AuditSink {
  readonly sql: Sql;

  constructor(source: SqlSource) {
    this.sql = toSql(source);
  }

  async append(entry: AuditEntry): Promise<void> {
    await this.sql.run(
      `INSERT INTO audit_entries (at, event, actor_id, action, project_id, request_id, atlas_job_id, entry_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        entry.at,
        entry.event,
        entry.actor.id,
        entry.action,
        entry.projectId ?? null,
        entry.requestId ?? null,
        entry.atlasJobId ?? null,
        JSON.stringify(entry),
      ],
    );
  }

  /** The newest `n` entries, newest first. */
  async latest(n: number): Promise<AuditEntry[]> {
    const limit = Math.max(0, Math.floor(n));
    const rows = await this.sql.all<{ entry_json: string }>(
      'SELECT entry_json FROM audit_entries ORDER BY seq DESC LIMIT ?',
      [limit],
    );
    return rows.map((r) => JSON.parse(r.entry_json) as AuditEntry);
  }

  /** Every entry about one approval request, oldest first. */
  async forRequest(requestId: string): Promise<AuditEntry[]> {
    const rows = await this.sql.all<{ entry_json: string }>(
      'SELECT entry_json FROM audit_entries WHERE request_id = ? ORDER BY seq',
      [requestId],
    );
    return rows.map((r) => JSON.parse(r.entry_json) as AuditEntry);
  }

  async count(): Promise<number> {
    const row = await this.sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM audit_entries');
    return Number(row?.n ?? 0);
  }

  /** All entries in the order they were written, as JSON lines (the JsonlAuditLog format). */
  async *jsonLines(pageSize = 1_000): AsyncGenerator<string> {
    let after = 0;
    for (;;) {
      const rows = await this.sql.all<{ seq: number; entry_json: string }>(
        'SELECT seq, entry_json FROM audit_entries WHERE seq > ? ORDER BY seq LIMIT ?',
        [after, pageSize],
      );
      for (const row of rows) yield `${row.entry_json}\n`;
      const last = rows.at(-1);
      if (!last || rows.length < pageSize) return;
      after = Number(last.seq);
    }
  }
}

/** The audit trail's first home was SQLite; the name stays for callers written then. */
export { SqlAuditLog as SqliteAuditLog };
