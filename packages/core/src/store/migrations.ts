import type { Database } from 'better-sqlite3';

/** One schema step. Steps are numbered from 1 per component and applied in order, each in a transaction. */
export interface Migration {
  version: number;
  name: string;
  up: string | ((db: Database) => void);
}

/**
 * Applies the component's migrations that are not yet recorded. Components keep separate version
 * sequences in one `schema_migrations` table, so the bot can add its own (`bot_`-prefixed) tables
 * to the same file without coordinating numbers with core.
 */
export function migrate(db: Database, component: string, migrations: readonly Migration[]): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    component TEXT NOT NULL,
    version INTEGER NOT NULL,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL,
    PRIMARY KEY (component, version)
  ) STRICT`);
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  sorted.forEach((m, i) => {
    if (m.version !== i + 1)
      throw new Error(
        `${component} migrations must be numbered 1, 2, 3…; found ${m.version} at position ${i + 1}`,
      );
  });
  const applied = new Set(
    db
      .prepare<[string], { version: number }>('SELECT version FROM schema_migrations WHERE component = ?')
      .all(component)
      .map((row) => row.version),
  );
  const newest = Math.max(0, ...applied);
  if (newest > sorted.length) {
    throw new Error(
      `The database's ${component} schema is at version ${newest}, newer than this program knows (${sorted.length}); use a newer build`,
    );
  }
  const record = db.prepare(
    'INSERT INTO schema_migrations (component, version, name, applied_at) VALUES (?, ?, ?, ?)',
  );
  const done: number[] = [];
  for (const m of sorted) {
    if (applied.has(m.version)) continue;
    // IMMEDIATE takes the write lock first, so two processes opening one file migrate one at a time.
    db.transaction(() => {
      const again = db
        .prepare('SELECT 1 FROM schema_migrations WHERE component = ? AND version = ?')
        .get(component, m.version);
      if (again) return;
      if (typeof m.up === 'string') db.exec(m.up);
      else m.up(db);
      record.run(component, m.version, m.name, new Date().toISOString());
      done.push(m.version);
    }).immediate();
  }
  return done;
}

/** Core's tables. Append only: never edit a released step, add a new one. */
export const coreMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'approvals, audit and followed jobs',
    up: `
      CREATE TABLE approval_requests (
        id TEXT PRIMARY KEY,
        state TEXT NOT NULL CHECK (state IN
          ('open', 'approved', 'executing', 'executed', 'failed', 'denied', 'cancelled', 'expired')),
        action TEXT NOT NULL,
        project_id TEXT NOT NULL,
        cluster_name TEXT,
        requester_id TEXT NOT NULL,
        requester_json TEXT NOT NULL,
        params_json TEXT NOT NULL,
        preview_json TEXT NOT NULL,
        rule_json TEXT NOT NULL,
        required INTEGER NOT NULL CHECK (required >= 1),
        reason TEXT,
        request_ref TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        closed_by_json TEXT,
        close_reason TEXT,
        execution_started_at INTEGER,
        finished_at INTEGER,
        result_json TEXT,
        error_json TEXT
      ) STRICT;
      CREATE INDEX approval_requests_by_state ON approval_requests (state, expires_at);

      CREATE TABLE approval_votes (
        request_id TEXT NOT NULL REFERENCES approval_requests (id),
        approver_id TEXT NOT NULL,
        approver_json TEXT NOT NULL,
        at INTEGER NOT NULL,
        PRIMARY KEY (request_id, approver_id)
      ) STRICT;

      CREATE TABLE audit_entries (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        event TEXT NOT NULL,
        actor_id TEXT NOT NULL,
        action TEXT NOT NULL,
        project_id TEXT,
        request_id TEXT,
        atlas_job_id TEXT,
        entry_json TEXT NOT NULL
      ) STRICT;
      CREATE INDEX audit_entries_by_request ON audit_entries (request_id);
      CREATE TRIGGER audit_entries_append_only_update BEFORE UPDATE ON audit_entries
        BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
      CREATE TRIGGER audit_entries_append_only_delete BEFORE DELETE ON audit_entries
        BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;

      CREATE TABLE followed_jobs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        watcher TEXT NOT NULL,
        job_kind TEXT NOT NULL,
        group_id TEXT NOT NULL,
        cluster_name TEXT NOT NULL,
        job_id TEXT NOT NULL,
        request_id TEXT REFERENCES approval_requests (id),
        context_json TEXT NOT NULL DEFAULT '{}',
        state TEXT NOT NULL DEFAULT 'following' CHECK (state IN ('following', 'done')),
        last_status TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        UNIQUE (watcher, job_kind, group_id, cluster_name, job_id)
      ) STRICT;
      CREATE INDEX followed_jobs_by_state ON followed_jobs (state);
    `,
  },
  {
    version: 2,
    name: 'restore jobs that matched a request before it was sent',
    up: 'ALTER TABLE approval_requests ADD COLUMN preexisting_jobs_json TEXT',
  },
  {
    version: 3,
    name: 'approval pools, reminders and escalation, break-glass reviews',
    // Votes remember which pools the person could approve for; requests when they were reminded
    // and escalated, and whether they were a break-glass action and who reviewed it.
    up: `
      ALTER TABLE approval_votes ADD COLUMN pools_json TEXT;
      ALTER TABLE approval_requests ADD COLUMN reminded_at INTEGER;
      ALTER TABLE approval_requests ADD COLUMN escalated_at INTEGER;
      ALTER TABLE approval_requests ADD COLUMN break_glass INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE approval_requests ADD COLUMN reviewed_by_json TEXT;
      ALTER TABLE approval_requests ADD COLUMN reviewed_at INTEGER;
    `,
  },
];
