import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Where the PostgreSQL tests run: ATLAS_TEST_DATABASE_URL, else PGHOST's server, else the local service. */
export const testDatabaseUrl =
  process.env.ATLAS_TEST_DATABASE_URL ??
  (process.env.PGHOST
    ? `postgres://${process.env.PGUSER ?? 'root'}@${process.env.PGHOST}:${process.env.PGPORT ?? '5432'}/${process.env.PGDATABASE ?? 'test'}`
    : 'postgres://root@127.0.0.1:5432/test');

let reachable: Promise<string | undefined> | undefined;

/** Undefined when PostgreSQL answers; otherwise why not (said once per test file). */
export function postgresUnavailable(): Promise<string | undefined> {
  reachable ??= (async () => {
    const client = new pg.Client({ connectionString: testDatabaseUrl, connectionTimeoutMillis: 2_000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return undefined;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return reachable;
}

/** A schema of its own for one test file, and a way to drop it afterwards. */
export function testSchema(prefix: string): {
  name: string;
  /** The test database's URL with this schema as the search path (what a bot is given). */
  url: string;
  create: () => Promise<void>;
  drop: () => Promise<void>;
  query: <T>(sql: string) => Promise<T[]>;
} {
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  return {
    name,
    url: `${testDatabaseUrl}?options=${encodeURIComponent(`-c search_path=${name}`)}`,
    async create() {
      const client = new pg.Client({ connectionString: testDatabaseUrl });
      try {
        await client.connect();
        await client.query(`CREATE SCHEMA "${name}"`);
      } finally {
        await client.end().catch(() => undefined);
      }
    },
    /** Reads the schema directly, as an operator would (tests check what replicas stored). */
    async query<T>(sql: string): Promise<T[]> {
      const client = new pg.Client({
        connectionString: testDatabaseUrl,
        options: `-c search_path=${name}`,
      });
      try {
        await client.connect();
        return (await client.query(sql)).rows as T[];
      } finally {
        await client.end().catch(() => undefined);
      }
    },
    async drop() {
      const client = new pg.Client({ connectionString: testDatabaseUrl });
      try {
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
      } finally {
        await client.end().catch(() => undefined);
      }
    },
  };
}
