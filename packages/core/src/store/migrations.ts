import type { Database } from 'better-sqlite3';
import type { SqlDialect, SqlSession } from './sql.js';

/**
 * One schema step. Steps are numbered from 1 per component and applied in order, each in a
 * transaction. `up` is SQL both engines run, or one variant of the same step per engine.
 */
export interface Migration {
  version: number;
  name: string;
  up: string | Record<SqlDialect, string>;
}

export interface MigrationSet {
  component: string;
  steps: readonly Migration[];
}

export const migrationSql = (m: Migration, dialect: SqlDialect): string =>
  typeof m.up === 'string' ? m.up : m.up[dialect];

function checkNumbering(component: string, migrations: readonly Migration[]): Migration[] {
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  sorted.forEach((m, i) => {
    if (m.version !== i + 1)
      throw new Error(
        `${component} migrations must be numbered 1, 2, 3…; found ${m.version} at position ${i + 1}`,
      );
  });
  return sorted;
}

function checkNotNewer(component: string, newest: number, known: number): void {
  if (newest > known)
    throw new Error(
      `The database's ${component} schema is at version ${newest}, newer than this program knows (${known}); use a newer build`,
    );
}

/**
 * Readiness: the schema of every component is at the version this build knows. A database not
 * migrated yet (or migrated by a newer build) is not ready.
 */
export async function checkMigrated(session: SqlSession, sets: readonly MigrationSet[]): Promise<void> {
  const rows = await session.all<{ component: string; version: number }>(
    'SELECT component, MAX(version) AS version FROM schema_migrations GROUP BY component',
  );
  const at = new Map(rows.map((r) => [r.component, Number(r.version)]));
  for (const set of sets) {
    const version = at.get(set.component) ?? 0;
    if (version !== set.steps.length)
      throw new Error(
        `the ${set.component} schema is at version ${version}; this build expects ${set.steps.length}`,
      );
  }
}

/**
 * The same as `migrate`, on any engine. On PostgreSQL the caller holds an advisory lock around
 * it (see openPostgres), so replicas starting together migrate one after the other.
 */
export async function migrateSession(
  session: SqlSession,
  begin: <T>(body: () => Promise<T>) => Promise<T>,
  component: string,
  migrations: readonly Migration[],
): Promise<number[]> {
  const sorted = checkNumbering(component, migrations);
  const applied = new Set(
    (
      await session.all<{ version: number }>('SELECT version FROM schema_migrations WHERE component = ?', [
        component,
      ])
    ).map((row) => Number(row.version)),
  );
  checkNotNewer(component, Math.max(0, ...applied), sorted.length);
  const done: number[] = [];
  for (const m of sorted) {
    if (applied.has(m.version)) continue;
    await begin(async () => {
      const again = await session.get('SELECT 1 FROM schema_migrations WHERE component = ? AND version = ?', [
        component,
        m.version,
      ]);
      if (again) return;
      await session.run(migrationSql(m, session.dialect));
      await session.run(
        'INSERT INTO schema_migrations (component, version, name, applied_at) VALUES (?, ?, ?, ?)',
        [component, m.version, m.name, new Date().toISOString()],
      );
      done.push(m.version);
    });
  }
  return done;
}

export const schemaMigrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
    component TEXT NOT NULL,
    version INTEGER NOT NULL,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL,
    PRIMARY KEY (component, version)
  )`;

/**
 * Applies the component's migrations that are not yet recorded. Components keep separate version
 * sequences in one `schema_migrations` table, so the bot can add its own (`bot_`-prefixed) tables
 * to the same file without coordinating numbers with core.
 */
export function migrate(db: Database, component: string, migrations: readonly Migration[]): number[] {
  db.exec(`${schemaMigrationsTable} STRICT`);
  const sorted = checkNumbering(component, migrations);
  const applied = new Set(
    db
      .prepare<[string], { version: number }>('SELECT version FROM schema_migrations WHERE component = ?')
      .all(component)
      .map((row) => row.version),
  );
  checkNotNewer(component, Math.max(0, ...applied), sorted.length);
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
      db.exec(migrationSql(m, 'sqlite'));
      record.run(component, m.version, m.name, new Date().toISOString());
      done.push(m.version);
    }).immediate();
  }
  return done;
}

/**
 * A step's PostgreSQL text from its SQLite text, where the two differ only in what PostgreSQL
 * wants otherwise: times (`*_at`) as BIGINT (epoch milliseconds overflow INTEGER), no STRICT.
 */
export const onPostgres = (sqlite: string): string =>
  sqlite.replace(/\) STRICT;/g, ');').replace(/_at INTEGER/g, '_at BIGINT');

const onBothEngines = (sqlite: string) => ({ sqlite, postgres: onPostgres(sqlite) });

/** Core's tables. Append only: never edit a released step, add a new one. */
export const coreMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'approvals, audit and followed jobs',
    up: {
      sqlite: `
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
      postgres: `
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
        created_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        closed_by_json TEXT,
        close_reason TEXT,
        execution_started_at BIGINT,
        finished_at BIGINT,
        result_json TEXT,
        error_json TEXT
      );
      CREATE INDEX approval_requests_by_state ON approval_requests (state, expires_at);

      CREATE TABLE approval_votes (
        request_id TEXT NOT NULL REFERENCES approval_requests (id),
        approver_id TEXT NOT NULL,
        approver_json TEXT NOT NULL,
        at BIGINT NOT NULL,
        PRIMARY KEY (request_id, approver_id)
      );

      CREATE TABLE audit_entries (
        seq BIGSERIAL PRIMARY KEY,
        at TEXT NOT NULL,
        event TEXT NOT NULL,
        actor_id TEXT NOT NULL,
        action TEXT NOT NULL,
        project_id TEXT,
        request_id TEXT,
        atlas_job_id TEXT,
        entry_json TEXT NOT NULL
      );
      CREATE INDEX audit_entries_by_request ON audit_entries (request_id);
      CREATE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'audit entries are append-only'; END $$;
      CREATE TRIGGER audit_entries_append_only_update BEFORE UPDATE OR DELETE ON audit_entries
        FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only();
      CREATE TRIGGER audit_entries_append_only_truncate BEFORE TRUNCATE ON audit_entries
        FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only();

      CREATE TABLE followed_jobs (
        id BIGSERIAL PRIMARY KEY,
        watcher TEXT NOT NULL,
        job_kind TEXT NOT NULL,
        group_id TEXT NOT NULL,
        cluster_name TEXT NOT NULL,
        job_id TEXT NOT NULL,
        request_id TEXT REFERENCES approval_requests (id),
        context_json TEXT NOT NULL DEFAULT '{}',
        state TEXT NOT NULL DEFAULT 'following' CHECK (state IN ('following', 'done')),
        last_status TEXT,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        UNIQUE (watcher, job_kind, group_id, cluster_name, job_id)
      );
      CREATE INDEX followed_jobs_by_state ON followed_jobs (state);
    `,
    },
  },
  {
    version: 2,
    name: 'restore jobs that matched a request before it was sent',
    up: 'ALTER TABLE approval_requests ADD COLUMN preexisting_jobs_json TEXT',
  },
  {
    version: 3,
    name: 'leases: which replica follows a job, which one runs an approved request',
    up: onBothEngines(`
      ALTER TABLE followed_jobs ADD COLUMN lease_owner TEXT;
      ALTER TABLE followed_jobs ADD COLUMN lease_expires_at INTEGER;
      ALTER TABLE approval_requests ADD COLUMN execution_owner TEXT;
      ALTER TABLE approval_requests ADD COLUMN execution_lease_expires_at INTEGER;
    `),
  },
  {
    version: 4,
    name: 'approval pools, reminders and escalation, break-glass reviews',
    // Votes remember which pools the person could approve for; requests when they were reminded
    // and escalated, and whether they were a break-glass action and who reviewed it.
    up: onBothEngines(`
      ALTER TABLE approval_votes ADD COLUMN pools_json TEXT;
      ALTER TABLE approval_requests ADD COLUMN reminded_at INTEGER;
      ALTER TABLE approval_requests ADD COLUMN escalated_at INTEGER;
      ALTER TABLE approval_requests ADD COLUMN break_glass INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE approval_requests ADD COLUMN reviewed_by_json TEXT;
      ALTER TABLE approval_requests ADD COLUMN reviewed_at INTEGER;
    `),
  },
];
