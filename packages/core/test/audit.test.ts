import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAuditExport } from '../src/cli/audit-export.js';
import {
  ConfigError,
  FollowedJobStore,
  JsonlAuditLog,
  SqliteAuditLog,
  migrate,
  openDatabase,
  openPostgres,
  openPostgresReader,
  type AuditEntry,
  type Database,
} from '../src/index.js';
import { postgresUnavailable, testDatabaseUrl, testSchema } from './support/postgres.js';

const noPostgres = await postgresUnavailable();
if (noPostgres)
  console.log(
    `PostgreSQL is not reachable at ${testDatabaseUrl} (${noPostgres}): skipping the PostgreSQL export test.`,
  );

let dir: string;
const dbs: Database[] = [];

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'audit-'));
});
afterEach(() => {
  for (const db of dbs.splice(0)) if (db.open) db.close();
  rmSync(dir, { recursive: true, force: true });
});

function open(path = join(dir, 'bot.db')): Database {
  const db = openDatabase(path);
  dbs.push(db);
  return db;
}

const entries: AuditEntry[] = [
  {
    at: '2026-11-27T12:00:00.000Z',
    event: 'requested',
    actor: { id: 'UREQ', displayName: 'Rita', source: 'slack' },
    action: 'restore.automated',
    projectId: '6414ff0087c960afed00fac4',
    clusterName: 'orders-staging',
    params: { groupId: '6414ff0087c960afed00fac4', snapshotId: 'abc', nested: { ünïcode: '✓' } },
    requestId: 'r1',
    requestRef: 'ref1',
  },
  {
    at: '2026-11-27T12:01:00.000Z',
    event: 'approved',
    actor: { id: 'UDBA', displayName: undefined, source: 'slack' },
    action: 'restore.automated',
    params: {},
    requestId: 'r1',
    outcome: 'approved (1 of 1); executing',
  },
  {
    at: '2026-11-27T12:01:01.000Z',
    event: 'failed',
    actor: { id: 'local:ops', source: 'tui' },
    action: 'snapshot.take',
    params: { clusterName: 'x' },
    error: { code: 'ATLAS_CONFLICT', message: 'busy' },
  },
];

describe('database', () => {
  it('creates the schema once, records migrations, and lets another component add its own', () => {
    const path = join(dir, 'nested', 'bot.db');
    const db = open(path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
    const again = open(path);
    const versions = again.prepare('SELECT component, version FROM schema_migrations').all();
    expect(versions).toEqual([
      { component: 'core', version: 1 },
      { component: 'core', version: 2 },
      { component: 'core', version: 3 },
      { component: 'core', version: 4 },
    ]);
    const applied = migrate(again, 'bot', [
      { version: 1, name: 'messages', up: 'CREATE TABLE bot_messages (request_id TEXT, ts TEXT) STRICT' },
    ]);
    expect(applied).toEqual([1]);
    expect(migrate(again, 'bot', [{ version: 1, name: 'messages', up: 'SELECT 1' }])).toEqual([]);
    expect(() => migrate(again, 'bot', [])).toThrow(/newer than this program knows/);
  });

  it('keeps followed jobs with opaque context until they are finished', async () => {
    const db = open(':memory:');
    const store = new FollowedJobStore(db, () => 0);
    const ref = { kind: 'restore', groupId: 'g', clusterName: 'c', id: 'j1' } as const;
    const a = await store.follow(ref, { watcher: 'slack', context: { channel: 'C1', ts: '1.2' } });
    expect((await store.follow(ref, { watcher: 'slack', context: { other: true } })).id).toBe(a.id);
    expect(await store.active()).toMatchObject([
      { ref, context: { channel: 'C1', ts: '1.2' }, state: 'following' },
    ]);
    await store.recordStatus(a.id, 'inProgress');
    expect(await store.finish(a.id, 'finished')).toBe(true);
    expect(await store.finish(a.id)).toBe(false);
    expect(await store.active()).toEqual([]);
    expect(await store.get(a.id)).toMatchObject({ state: 'done', lastStatus: 'finished' });
  });
});

describe('SQLite audit log', () => {
  it('returns the latest entries newest first and exports them in the JSON-lines file format', async () => {
    const log = new SqliteAuditLog(open());
    const file = new JsonlAuditLog(join(dir, 'tui-audit.jsonl'));
    for (const e of entries) {
      await log.append(e);
      file.append(e);
    }
    expect(await log.count()).toBe(3);
    expect((await log.latest(2)).map((e) => e.event)).toEqual(['failed', 'approved']);
    expect((await log.latest(2))[1]).toEqual(JSON.parse(JSON.stringify(entries[1])));
    expect((await log.forRequest('r1')).map((e) => e.event)).toEqual(['requested', 'approved']);
    expect((await collect(log.jsonLines())).join('')).toBe(readFileSync(file.path, 'utf8'));
  });

  it('refuses updates and deletes of entries', async () => {
    const db = open();
    await new SqliteAuditLog(db).append(entries[0] as AuditEntry);
    expect(() => db.prepare("UPDATE audit_entries SET event = 'approved'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_entries').run()).toThrow(/append-only/);
    expect(await new SqliteAuditLog(db).count()).toBe(1);
  });
});

describe('audit:export', () => {
  async function run(argv: string[], env: Record<string, string | undefined> = {}) {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const count = await runAuditExport(argv, env, out, join(dir, 'default.sqlite'));
    return { count, text: Buffer.concat(chunks).toString('utf8') };
  }

  it('writes every entry as JSON lines, from --db or ATLAS_BOT_DB, to stdout or --out', async () => {
    const path = join(dir, 'bot.db');
    const log = new SqliteAuditLog(open(path));
    for (const e of entries) await log.append(e);
    const expected = (await collect(log.jsonLines())).join('');

    expect(await run(['--db', path])).toEqual({ count: 3, text: expected });
    expect(await run([], { ATLAS_BOT_DB: path })).toEqual({ count: 3, text: expected });
    const outFile = join(dir, 'export.jsonl');
    expect((await run(['--out', outFile], { ATLAS_BOT_DB: path })).text).toBe('');
    expect(readFileSync(outFile, 'utf8')).toBe(expected);
    expect(new JsonlAuditLog(outFile).read()).toEqual(JSON.parse(JSON.stringify(entries)));
  });

  it.skipIf(noPostgres !== undefined)(
    'reads a PostgreSQL store from --database-url or ATLAS_BOT_DATABASE_URL, changing nothing',
    async () => {
      const schema = testSchema('audit_export');
      const store = await openPostgres(testDatabaseUrl, { schema: schema.name, maxConnections: 2 });
      try {
        const log = new SqliteAuditLog(store);
        for (const e of entries) await log.append(e);
        const expected = (await collect(log.jsonLines())).join('');
        const url = `${testDatabaseUrl}?options=${encodeURIComponent(`-c search_path=${schema.name}`)}`;
        expect(await run(['--database-url', url])).toEqual({ count: 3, text: expected });
        // The bot's variable wins over a SQLite default, as it does in the bot; --db names a file.
        expect(await run([], { ATLAS_BOT_DATABASE_URL: url })).toEqual({ count: 3, text: expected });
        await expect(run(['--db', 'x', '--database-url', url])).rejects.toThrow(
          /either --db or --database-url/,
        );
        // A schema without the trail, and a server that doesn't answer, are named without a password.
        const empty = `${testDatabaseUrl}?options=${encodeURIComponent('-c search_path=no_such_schema')}`;
        await expect(run(['--database-url', empty])).rejects.toThrow(/has no audit trail/);
        await expect(
          run([], { ATLAS_BOT_DATABASE_URL: 'postgres://bot:hunter2@127.0.0.1:1/none' }),
        ).rejects.toThrow(
          /^ATLAS_BOT_DATABASE_URL: cannot read postgres:\/\/bot:\*\*\*@127\.0\.0\.1:1\/none/,
        );
        // What the export connects with cannot write, whatever it runs.
        const reader = openPostgresReader(url);
        await expect(
          reader.run(
            "INSERT INTO audit_entries (at, event, actor_id, action, entry_json) VALUES ('t', 'requested', 'U', 'a', '{}')",
          ),
        ).rejects.toThrow(/read-only transaction/);
        await reader.close();
        expect(await log.count()).toBe(3);
      } finally {
        await store.close();
        await schema.drop();
      }
    },
  );

  it('names the missing setting or file', async () => {
    await expect(run([])).rejects.toMatchObject({ code: 'INVALID_CONFIG', variable: 'ATLAS_BOT_DB' });
    await expect(run([])).rejects.toThrow(/default\.sqlite does not exist \(ATLAS_BOT_DB is not set/);
    await expect(run(['--db', join(dir, 'none.db')])).rejects.toThrow(ConfigError);
    await expect(run(['--db', join(dir, 'none.db')])).rejects.toThrow(/none\.db does not exist/);
  });

  it('runs as a command', async () => {
    const path = join(dir, 'bot.db');
    const log = new SqliteAuditLog(open(path));
    for (const e of entries) await log.append(e);
    const root = new URL('../../../', import.meta.url).pathname;
    const stdout = execFileSync(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', 'packages/core/src/cli/audit-export.ts', '--db', path],
      { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    expect(stdout).toBe((await collect(log.jsonLines())).join(''));
  });
});
