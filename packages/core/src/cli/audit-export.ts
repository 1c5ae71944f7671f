import { createWriteStream, existsSync } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import { SqliteAuditLog } from '../audit/sqlite-audit-log.js';
import { ConfigError, isAtlasBackupsError } from '../errors.js';

const usage = `Usage: pnpm audit:export [--db <file>] [--out <file>]

Writes the audit trail from the bot's database as JSON lines (the same format as the terminal's
local audit log), oldest first, to standard output or to --out.

  --db <file>   the database (default: $ATLAS_BOT_DB, else .data/slackbot.sqlite as the bot uses)
  --out <file>  write here instead of standard output (created with mode 600)
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
    options: { db: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help) {
    stdout.write(usage);
    return 0;
  }
  const path = values.db || env.ATLAS_BOT_DB || defaultDb;
  const from = values.db ? '--db' : 'ATLAS_BOT_DB';
  if (!existsSync(path)) {
    const unset =
      values.db || env.ATLAS_BOT_DB
        ? ''
        : ' (ATLAS_BOT_DB is not set; give the database with --db <file> or ATLAS_BOT_DB)';
    throw new ConfigError(from, `${path} does not exist${unset}`);
  }

  // Read-only: an export never migrates or changes the file, and can run beside the bot.
  const db = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
  try {
    const hasTable = db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_entries'")
      .get();
    if (!hasTable) throw new ConfigError(from, `${path} has no audit trail`);
    const out = values.out ? createWriteStream(values.out, { mode: 0o600 }) : stdout;
    let count = 0;
    for await (const line of new SqliteAuditLog(db).jsonLines()) {
      if (!out.write(line)) await once(out, 'drain');
      count += 1;
    }
    if (values.out) {
      out.end();
      await once(out, 'finish');
    }
    return count;
  } finally {
    db.close();
  }
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
