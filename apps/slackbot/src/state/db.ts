import { openDatabase, type Database, type Migration } from '@atlas-backups/core';

export type BotDatabase = Database;

/**
 * The bot's own tables, beside core's (approvals, audit, followed jobs) in the same SQLite file.
 * Append only: never edit a released step, add a new one.
 */
export const botMigrations: readonly Migration[] = [
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
];

/** Opens (creating and migrating) the shared SQLite file; `:memory:` for a private one. */
export function openBotDatabase(path: string): BotDatabase {
  return openDatabase(path, { migrations: [{ component: 'slackbot', steps: botMigrations }] });
}

/**
 * A second connection to the same file for the keys of requests already taken in, written
 * before every acknowledgement. Core's connection commits with `synchronous = FULL` (an fsync
 * each, milliseconds); this one uses NORMAL, which in WAL mode skips the per-commit fsync. Losing
 * the last few keys to a power cut only means a Slack retry in those seconds could run again.
 */
export function openRequestLog(path: string): BotDatabase {
  const db = openBotDatabase(path);
  if (path !== ':memory:' && path !== '') db.pragma('synchronous = NORMAL');
  return db;
}
