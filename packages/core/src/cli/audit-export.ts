import { createWriteStream, existsSync } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import { SqlAuditLog } from '../audit/sqlite-audit-log.js';
import { ConfigError, isAtlasBackupsError } from '../errors.js';
import { databaseErrorText, openPostgresReader, redactDatabaseUrl } from '../store/postgres-sql.js';
import type { Sql } from '../store/sql.js';
import { toSql } from '../store/sqlite-sql.js';

const usage = `Usage: pnpm audit:export [--db <file> | --database-url <postgres://…>] [--out <file>]

Writes the audit trail from the bot's database as JSON lines (the same format as the terminal's
local audit log), oldest first, to standard output or to --out. It only reads: it can run beside
the bot.

  --db <file>             a SQLite store (default: $ATLAS_BOT_DB, else .data/slackbot.sqlite as
                          the bot uses)
  --database-url <url>    a PostgreSQL store (default: $ATLAS_BOT_DATABASE_URL, which the bot
                          uses before any SQLite file)
  --out <file>            write here instead of standard output (created with mode 600)
`;

/** The command, separated from process exits so tests can call it. Returns the number of entries written. */
export async function runAuditExport(
  argv: string[],
  env: Record<string, string | undefined>,
  stdout: Writable,
  /** Where the bot keeps its database when ATLAS_BOT_DB is unset (the bot's own default). */
  defaultDb = '.data/slackbot.sqlite',
): Promise<number> {
  const { values } = parseArgs({
    // `pnpm audit:export -- --db x` passes the `--` along.
    args: argv[0] === '--' ? argv.slice(1) : argv,
    options: {
      db: { type: 'string' },
      'database-url': { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    stdout.write(usage);
    return 0;
  }
  if (values.db && values['database-url'])
    throw new ConfigError('--db', 'give either --db or --database-url, not both');
  // The bot prefers PostgreSQL when its URL is set; so does the export, unless a file is named.
  const url =
    values['database-url'] || (values.db ? undefined : env.ATLAS_BOT_DATABASE_URL?.trim() || undefined);
  const { sql, from, where } = url
    ? openUrl(url, values['database-url'] ? '--database-url' : 'ATLAS_BOT_DATABASE_URL')
    : openFile(values.db, env, defaultDb);
  try {
    let hasTable: boolean;
    try {
      hasTable = await auditTableExists(sql);
    } catch (error) {
      const why = url
        ? databaseErrorText(url, error)
        : error instanceof Error
          ? error.message
          : String(error);
      throw new ConfigError(from, `cannot read ${where}: ${why}`);
    }
    if (!hasTable) throw new ConfigError(from, `${where} has no audit trail`);
    const out = values.out ? createWriteStream(values.out, { mode: 0o600 }) : stdout;
    let count = 0;
    for await (const line of new SqlAuditLog(sql).jsonLines()) {
      if (!out.write(line)) await once(out, 'drain');
      count += 1;
    }
    if (values.out) {
      out.end();
      await once(out, 'finish');
    }
    return count;
  } finally {
    await sql.close();
  }
}

interface Source {
  sql: Sql;
  /** The option or variable that named it, for errors. */
  from: string;
  /** How errors name it (a URL without its password). */
  where: string;
}

function openUrl(url: string, from: string): Source {
  return {
    sql: openPostgresReader(url, { applicationName: 'atlas-backups-audit-export' }),
    from,
    where: redactDatabaseUrl(url),
  };
}

function openFile(
  db: string | undefined,
  env: Record<string, string | undefined>,
  defaultDb: string,
): Source {
  const path = db || env.ATLAS_BOT_DB || defaultDb;
  const from = db ? '--db' : 'ATLAS_BOT_DB';
  if (!existsSync(path)) {
    const unset =
      db || env.ATLAS_BOT_DB
        ? ''
        : ' (ATLAS_BOT_DB is not set; give the database with --db <file> or ATLAS_BOT_DB)';
    throw new ConfigError(from, `${path} does not exist${unset}`);
  }
  // Read-only: an export never migrates or changes the file, and can run beside the bot.
  return { sql: toSql(new BetterSqlite3(path, { readonly: true, fileMustExist: true })), from, where: path };
}

async function auditTableExists(sql: Sql): Promise<boolean> {
  const row =
    sql.dialect === 'postgres'
      ? await sql.get<{ t: string | null }>("SELECT to_regclass('audit_entries')::text AS t")
      : await sql.get<{ t: string }>(
          "SELECT name AS t FROM sqlite_master WHERE type = 'table' AND name = 'audit_entries'",
        );
  return row?.t !== undefined && row.t !== null;
}

const isMain = process.argv[1] !== undefined && /audit-export\.(js|ts)$/.test(process.argv[1]);
if (isMain) {
  runAuditExport(process.argv.slice(2), process.env, process.stdout).then(
    (count) => {
      if (process.argv.includes('--help') || process.argv.includes('-h')) return;
      process.stderr.write(`exported ${count} audit entr${count === 1 ? 'y' : 'ies'}\n`);
    },
    (error: unknown) => {
      if (isAtlasBackupsError(error)) {
        process.stderr.write(`${error.message}\n${error.hint ? `${error.hint}\n` : ''}`);
      } else {
        process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
      }
      process.exitCode = 1;
    },
  );
}
