import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { checkMigrated, coreMigrations, migrate, type Migration } from './migrations.js';
import { sqliteSql } from './sqlite-sql.js';

export type { Database } from 'better-sqlite3';

export interface OpenDatabaseOptions {
  /** How long a writer waits for another process's lock before failing (SQLITE_BUSY). */
  busyTimeoutMs?: number;
  /** Further migrations to apply after core's, e.g. the bot's own `bot_` tables. */
  migrations?: { component: string; steps: readonly Migration[] }[];
}

/**
 * Opens (creating if needed) the SQLite file that holds approvals, the audit trail and followed
 * jobs, and brings its schema up to date. `:memory:` gives a private database for unit use.
 *
 * WAL lets readers (the audit export, a second process) run beside the writer; `synchronous =
 * FULL` makes every committed approval transition durable before the Atlas call it permits.
 */
export function openDatabase(path: string, options: OpenDatabaseOptions = {}): Database {
  const memory = path === ':memory:' || path === '';
  if (!memory) mkdirSync(dirname(path), { recursive: true });
  const db = new BetterSqlite3(path);
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5_000))}`);
    if (!memory) db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    migrate(db, 'core', coreMigrations);
    for (const extra of options.migrations ?? []) migrate(db, extra.component, extra.steps);
    const sets = [{ component: 'core', steps: coreMigrations }, ...(options.migrations ?? [])];
    sqliteSql(db, (session) => checkMigrated(session, sets));
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
