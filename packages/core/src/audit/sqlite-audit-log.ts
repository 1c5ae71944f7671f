import type { Database } from 'better-sqlite3';
import type { AuditEntry, AuditSink } from './audit-entry.js';

/**
 * The audit trail in the approvals database. Insert only: there is no update or delete path
 * here, and triggers in the schema refuse both. Each entry is stored as the exact JSON line
 * JsonlAuditLog would write, so an export is byte-for-byte the same format.
 */
export class SqliteAuditLog implements AuditSink {
  private readonly insert;

  constructor(private readonly db: Database) {
    this.insert = db.prepare(
      `INSERT INTO audit_entries (at, event, actor_id, action, project_id, request_id, atlas_job_id, entry_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  append(entry: AuditEntry): void {
    this.insert.run(
      entry.at,
      entry.event,
      entry.actor.id,
      entry.action,
      entry.projectId ?? null,
      entry.requestId ?? null,
      entry.atlasJobId ?? null,
      JSON.stringify(entry),
    );
  }

  /** The newest `n` entries, newest first. */
  latest(n: number): AuditEntry[] {
    const limit = Math.max(0, Math.floor(n));
    return this.db
      .prepare<[number], { entry_json: string }>(
        'SELECT entry_json FROM audit_entries ORDER BY seq DESC LIMIT ?',
      )
      .all(limit)
      .map((r) => JSON.parse(r.entry_json) as AuditEntry);
  }

  /** Every entry about one approval request, oldest first. */
  forRequest(requestId: string): AuditEntry[] {
    return this.db
      .prepare<[string], { entry_json: string }>(
        'SELECT entry_json FROM audit_entries WHERE request_id = ? ORDER BY seq',
      )
      .all(requestId)
      .map((r) => JSON.parse(r.entry_json) as AuditEntry);
  }

  count(): number {
    return this.db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM audit_entries').get()?.n ?? 0;
  }

  /** All entries in the order they were written, as JSON lines (the JsonlAuditLog format). */
  *jsonLines(): Generator<string> {
    const rows = this.db
      .prepare<[], { entry_json: string }>('SELECT entry_json FROM audit_entries ORDER BY seq')
      .iterate();
    for (const row of rows) yield `${row.entry_json}\n`;
  }
}
