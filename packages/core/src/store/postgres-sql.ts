import pg from 'pg';
import {
  checkMigrated,
  coreMigrations,
  migrateSession,
  schemaMigrationsTable,
  type MigrationSet,
} from './migrations.js';
import type { Sql, SqlParams, SqlRunResult, SqlSession } from './sql.js';

/** int8 (BIGINT, COUNT(*), BIGSERIAL): epoch milliseconds and counters fit a double exactly. */
const int8 = 20;
const parseInt8 = (value: string): number => Number(value);
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary'): unknown =>
    oid === int8
      ? parseInt8
      : (pg.types.getTypeParser(oid, format) as unknown)) as typeof pg.types.getTypeParser,
};

const numbered = new Map<string, string>();

/** `?` → `$1`, `$2`, … outside quoted text. */
export function numberPlaceholders(sql: string): string {
  let out = numbered.get(sql);
  if (out !== undefined) return out;
  let n = 0;
  let quote: string | undefined;
  out = '';
  for (const ch of sql) {
    if (quote) {
      if (ch === quote) quote = undefined;
      out += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
    } else if (ch === '?') out += `$${++n}`;
    else out += ch;
  }
  if (numbered.size < 1_000) numbered.set(sql, out);
  return out;
}

type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

function sessionOn(q: Queryable): SqlSession {
  const query = async (sql: string, params: SqlParams = []) =>
    params.length === 0
      ? q.query(sql)
      : q.query(numberPlaceholders(sql), params as (string | number | null)[]);
  return {
    dialect: 'postgres',
    all: async <T>(sql: string, params?: SqlParams) => (await query(sql, params)).rows as T[],
    get: async <T>(sql: string, params?: SqlParams) => (await query(sql, params)).rows[0] as T | undefined,
    run: async (sql: string, params?: SqlParams): Promise<SqlRunResult> => ({
      changes: (await query(sql, params)).rowCount ?? 0,
    }),
  };
}

/** The URL as it may be shown: no password. */
export function redactDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unreadable URL)';
  }
}

/** An error's message as it may be shown: the URL in it, if any, without its password. */
export function databaseErrorText(url: string, error: unknown): string {
  const why = error instanceof Error ? error.message : String(error);
  return why.split(url).join(redactDatabaseUrl(url));
}

/**
 * The PostgreSQL store: a connection pool shared by the process. Each statement outside a
 * transaction runs on whichever connection is free; a transaction holds one connection from
 * BEGIN to COMMIT. Several replicas share one database: every guarantee rests on conditional
 * writes and unique keys, never on this process's memory.
 */
export class PostgresSql implements Sql {
  readonly dialect = 'postgres' as const;
  private readonly session: SqlSession;
  private closed = false;

  constructor(
    readonly pool: pg.Pool,
    readonly location: string,
    private readonly readiness: (session: SqlSession) => Promise<void> = async () => undefined,
  ) {
    this.session = sessionOn(pool);
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  all<T>(sql: string, params?: SqlParams): Promise<T[]> {
    return this.session.all<T>(sql, params);
  }

  get<T>(sql: string, params?: SqlParams): Promise<T | undefined> {
    return this.session.get<T>(sql, params);
  }

  run(sql: string, params?: SqlParams): Promise<SqlRunResult> {
    return this.session.run(sql, params);
  }

  async transaction<T>(body: (tx: SqlSession) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      try {
        const result = await body(sessionOn(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch((e: unknown) => {
          broken = e instanceof Error ? e : new Error(String(e));
        });
        throw error;
      }
    } finally {
      client.release(broken);
    }
  }

  async ping(): Promise<void> {
    await this.session.get('SELECT 1');
    await this.readiness(this.session);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}

export interface OpenPostgresOptions {
  /** Tables go in this schema (created if missing) instead of the URL's search_path. */
  schema?: string | undefined;
  /** Further migrations after core's, e.g. the bot's `bot_` tables. */
  migrations?: MigrationSet[];
  /** Most connections this process opens. */
  maxConnections?: number;
  /** How long a new connection may take. */
  connectTimeoutMs?: number;
  applicationName?: string;
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Connects to PostgreSQL and brings the schema up to date under an advisory lock, so replicas
 * starting together migrate one at a time (the second finds nothing left to do).
 */
export async function openPostgres(url: string, options: OpenPostgresOptions = {}): Promise<PostgresSql> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    application_name: options.applicationName ?? 'atlas-backups',
    types,
    ...(options.schema ? { options: `-c search_path=${quoteIdent(options.schema)}` } : {}),
  });
  // An idle connection the server drops is an error event on the pool; the next query reconnects.
  pool.on('error', () => undefined);
  const sets: MigrationSet[] = [{ component: 'core', steps: coreMigrations }, ...(options.migrations ?? [])];
  const sql = new PostgresSql(pool, redactDatabaseUrl(url), (session) => checkMigrated(session, sets));
  try {
    const client = await pool.connect();
    try {
      const lockKey = options.schema ?? '';
      await client.query('SELECT pg_advisory_lock(4242, hashtext($1))', [lockKey]);
      try {
        if (options.schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(options.schema)}`);
        await client.query(schemaMigrationsTable);
        const session = sessionOn(client);
        const begin = async <T>(body: () => Promise<T>): Promise<T> => {
          await client.query('BEGIN');
          try {
            const result = await body();
            await client.query('COMMIT');
            return result;
          } catch (error) {
            await client.query('ROLLBACK');
            throw error;
          }
        };
        for (const set of sets) await migrateSession(session, begin, set.component, set.steps);
      } finally {
        await client.query('SELECT pg_advisory_unlock(4242, hashtext($1))', [lockKey]);
      }
    } finally {
      client.release();
    }
    return sql;
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
}

/**
 * Connects to an existing store to read it (an export beside the running bot): no migration, and
 * every transaction read-only, so nothing it runs can change the store. A URL's own options
 * (`?options=-c search_path=…`) apply.
 */
export function openPostgresReader(url: string, options: { applicationName?: string } = {}): PostgresSql {
  const pool = new pg.Pool({
    connectionString: url,
    max: 2,
    connectionTimeoutMillis: 10_000,
    application_name: options.applicationName ?? 'atlas-backups-reader',
    types,
  });
  pool.on('connect', (client) => {
    client.query('SET default_transaction_read_only = on').catch(() => undefined);
  });
  pool.on('error', () => undefined);
  return new PostgresSql(pool, redactDatabaseUrl(url));
}
