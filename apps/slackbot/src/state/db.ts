import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  ConfigError,
  openDatabase,
  onPostgres,
  openPostgres,
  databaseErrorText,
  redactDatabaseUrl,
  sqliteSql,
  type Database,
  type Migration,
  type MigrationSet,
  type Sql,
  type SqlSource,
} from '@atlas-backups/core';

/** The SQLite file's handle, as openBotDatabase returns it. */
export type BotDatabase = Database;
/** What the bot's state lives on: a SQLite handle or a store (SQLite or PostgreSQL). */
export type BotStore = SqlSource;

/**
 * The bot's own tables, beside core's (approvals, audit, followed jobs) in the same SQLite file.
 * Append only: never edit a released step, add a new one.
 */
const sqliteBotMigrations: readonly (Migration & { up: string })[] = [
  {
    version: 1,
    name: 'channel defaults, processed requests, confirmations',
    up: `
      CREATE TABLE bot_channel_defaults (
        channel_id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL,
        project_name TEXT NOT NULL,
        set_by TEXT NOT NULL,
        set_at INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE bot_processed_requests (
        request_key TEXT PRIMARY KEY,
        received_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX bot_processed_requests_by_time ON bot_processed_requests (received_at);
      CREATE TABLE bot_confirmations (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        action TEXT NOT NULL,
        params TEXT NOT NULL,
        preview TEXT NOT NULL,
        response_url TEXT,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'confirmed', 'cancelled'))
      ) STRICT;
    `,
  },
  {
    version: 2,
    name: 'approval request messages, reasons given with a change',
    up: `
      CREATE TABLE bot_approval_messages (
        channel_id TEXT NOT NULL,
        ts TEXT NOT NULL,
        request_id TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('origin', 'approvals')),
        rendered TEXT NOT NULL,
        final INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (channel_id, ts)
      ) STRICT;
      CREATE INDEX bot_approval_messages_by_request ON bot_approval_messages (request_id);
      CREATE INDEX bot_approval_messages_not_final ON bot_approval_messages (final);
      ALTER TABLE bot_confirmations ADD COLUMN reason TEXT;
    `,
  },
  {
    version: 3,
    name: 'open restore and export forms',
    up: `
      CREATE TABLE bot_forms (
        view_id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        response_url TEXT,
        opened_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX bot_forms_by_time ON bot_forms (opened_at);
    `,
  },
  {
    version: 4,
    name: 'break-glass asked with a change',
    up: 'ALTER TABLE bot_confirmations ADD COLUMN break_glass INTEGER NOT NULL DEFAULT 0',
  },
];

/**
 * The bot's own tables, beside core's (approvals, audit, followed jobs) in the same database.
 * Append only: never edit a released step, add a new one.
 */
export const botMigrations: readonly Migration[] = sqliteBotMigrations.map((m) => ({
  ...m,
  up: { sqlite: m.up, postgres: onPostgres(m.up) },
}));

/** The bot's migrations as the set a store is opened or checked with. */
export const botMigrationSet: MigrationSet = { component: 'slackbot', steps: botMigrations };

/**
 * How long a write on the bot's main connection waits for another process's write lock before
 * SQLite gives up (SQLITE_BUSY). better-sqlite3 waits on the event loop's thread, so this is
 * the longest a write can hold up an ack: enough for another bot process's short transactions,
 * short for anything else. The bot's own writes then retry after a pause (retryWrite).
 */
export const lockWaitMs = 250;

export interface BotStores {
  /** Approvals, audit, followed jobs, the bot's tables. */
  store: Sql;
  /** Where the keys of handled requests go (a second SQLite connection; the same pool on PostgreSQL). */
  requestLog: Sql;
  close(): Promise<void>;
}

/**
 * Opens the bot's database: PostgreSQL when ATLAS_BOT_DATABASE_URL is set (shared by every
 * replica, migrated under an advisory lock), else the SQLite file ATLAS_BOT_DB.
 */
export async function openBotStores(config: {
  dbPath: string;
  databaseUrl?: string | undefined;
}): Promise<BotStores> {
  if (config.databaseUrl === undefined) {
    const store = sqliteSql(openBotDatabase(config.dbPath));
    const requestLog = sqliteSql(openRequestLog(config.dbPath));
    return {
      store,
      requestLog,
      async close() {
        await requestLog.close();
        await store.close();
      },
    };
  }
  const url = config.databaseUrl;
  try {
    const store = await openPostgres(url, {
      migrations: [botMigrationSet],
      applicationName: 'atlas-backups-slackbot',
    });
    return { store, requestLog: store, close: () => store.close() };
  } catch (error) {
    throw new ConfigError(
      'ATLAS_BOT_DATABASE_URL',
      `cannot open the PostgreSQL database at ${redactDatabaseUrl(url)}: ${databaseErrorText(url, error)}`,
    );
  }
}

/** Opens (creating and migrating) the shared SQLite file; `:memory:` for a private one. */
export function openBotDatabase(path: string, options: { busyTimeoutMs?: number } = {}): BotDatabase {
  const memory = path === ':memory:' || path === '';
  if (!memory && isDirectory(path))
    throw new ConfigError(
      'ATLAS_BOT_DB',
      `${path} is a directory; give the path of a file in it, e.g. ${path.replace(/\/+$/, '')}/slackbot.sqlite`,
    );
  try {
    if (!memory) ensureDirectory(dirname(resolve(path)));
    const db = openDatabase(path, {
      busyTimeoutMs: options.busyTimeoutMs ?? lockWaitMs,
      migrations: [botMigrationSet],
    });
    try {
      if (!memory) proveWritable(db);
    } catch (error) {
      db.close();
      throw error;
    }
    return db;
  } catch (error) {
    throw unusableDatabase(path, error);
  }
}

/**
 * A second connection to the same file for the keys of requests already taken in, written
 * a few milliseconds after each acknowledgement. Core's connection commits with `synchronous =
 * FULL` (an fsync each, milliseconds); this one uses NORMAL, which in WAL mode skips the
 * per-commit fsync. Losing the last few keys to a power cut only means a Slack retry in those
 * seconds could run again. It never waits for a lock (busy timeout 0): its writes are retried
 * later instead (ProcessedRequests), so a lock held elsewhere cannot stall the event loop.
 */
export function openRequestLog(path: string): BotDatabase {
  const db = openBotDatabase(path, { busyTimeoutMs: 0 });
  if (path !== ':memory:' && path !== '') db.pragma('synchronous = NORMAL');
  return db;
}

/**
 * SQLite opens a file it may not write read-only without a word, and a database already
 * migrated needs no write to open: the first write would fail hours later. One write that
 * changes nothing (user_version set to itself) finds out at start. A lock held by another
 * process proves the file writable, so it passes.
 */
function proveWritable(db: BotDatabase): void {
  const version = Number(db.pragma('user_version', { simple: true }));
  try {
    db.pragma(`user_version = ${version}`);
  } catch (error) {
    const raw = (error as { code?: unknown }).code;
    const code = typeof raw === 'string' ? raw : '';
    if (!code.startsWith('SQLITE_BUSY') && !code.startsWith('SQLITE_LOCKED')) throw error;
  }
}

/**
 * Creates the missing directories above the file one at a time. (Node's recursive mkdirSync
 * spins forever where a directory can't be created under a special one such as /proc.)
 */
function ensureDirectory(dir: string): void {
  const missing: string[] = [];
  for (let d = dir; ;) {
    let isDir: boolean;
    try {
      isDir = statSync(d).isDirectory();
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'ENOENT') throw error;
      missing.push(d);
      const parent = dirname(d);
      if (parent === d) break;
      d = parent;
      continue;
    }
    if (!isDir) throw Object.assign(new Error(`${d} is not a directory`), { code: 'ENOTDIR', path: d });
    break;
  }
  for (const d of missing.reverse()) mkdirSync(d);
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Why the file can't be used, and what to do, as a configuration error naming ATLAS_BOT_DB. */
function unusableDatabase(path: string, error: unknown): Error {
  const code = (error as { code?: unknown } | null)?.code;
  const failedAt = (error as { path?: unknown } | null)?.path;
  const dir = typeof failedAt === 'string' ? failedAt : dirname(resolve(path));
  const what = (message: string) => new ConfigError('ATLAS_BOT_DB', message);
  switch (typeof code === 'string' ? code.replace(/^(SQLITE_[A-Z]+)_.*$/, '$1') : '') {
    case 'ENOENT':
      return what(
        `cannot create the directory ${dir}; create it, or point ATLAS_BOT_DB at a writable directory`,
      );
    case 'EACCES':
    case 'EPERM':
      return what(
        `cannot create the directory ${dir} (permission denied); create it, or point ATLAS_BOT_DB at a writable directory`,
      );
    case 'EROFS':
      return what(`${dir} is on a read-only file system; point ATLAS_BOT_DB at a writable directory`);
    case 'ENOTDIR':
    case 'EEXIST':
      return what(
        `cannot create the directory ${dir}: part of that path is a file; point ATLAS_BOT_DB at a file in a directory`,
      );
    case 'SQLITE_NOTADB':
      return what(
        `${path} is not a SQLite database (file is not a database); point ATLAS_BOT_DB at the bot's database or at a new file`,
      );
    case 'SQLITE_CORRUPT':
      return what(
        `${path} is damaged (database disk image is malformed); restore it from a backup, or move it away to start with a new one`,
      );
    case 'SQLITE_READONLY':
      return what(
        `${path} is read-only for the bot (attempt to write a readonly database); let the bot's user write the file and its directory ${dir}, or point ATLAS_BOT_DB elsewhere`,
      );
    case 'SQLITE_CANTOPEN':
      return what(
        `cannot open ${path} (unable to open database file); check that ${dir} exists and the bot's user may write it, or point ATLAS_BOT_DB elsewhere`,
      );
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return what(`${path} is locked by another process; stop it (or wait for it) and start again`);
    case 'SQLITE_FULL':
      return what(`the disk holding ${path} is full; free space or point ATLAS_BOT_DB elsewhere`);
    case 'SQLITE_IOERR':
      return what(
        `reading or writing ${path} failed (disk I/O error); check the disk, or point ATLAS_BOT_DB elsewhere`,
      );
    default:
      return error instanceof Error ? error : new Error(String(error));
  }
}
