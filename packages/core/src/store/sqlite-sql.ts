import type { Database, Statement } from 'better-sqlite3';
import { isSql, type Sql, type SqlParams, type SqlRunResult, type SqlSession } from './sql.js';

/**
 * The SQLite store: better-sqlite3 behind the async interface. Statements still run
 * synchronously (a call outside a transaction has run by the time it returns its promise), so
 * behaviour and speed are those of the synchronous driver. Because one connection is shared,
 * a transaction holds everyone else's statements back until it ends; its body runs only its
 * own statements, so that wait is a few microtasks.
 */
export class SqliteSql implements Sql {
  readonly dialect = 'sqlite' as const;
  private readonly statements = new Map<string, Statement>();
  private readonly gate: Gate;
  private readonly session: SqlSession;

  constructor(
    readonly db: Database,
    /** Checks run by `ping()` beyond reaching the file (e.g. the schema's version). */
    private readonly readiness: (session: SqlSession) => Promise<void> = async () => undefined,
  ) {
    this.gate = gateFor(db);
    const direct = this.direct;
    this.session = {
      dialect: 'sqlite',
      all: async <T>(sql: string, params?: SqlParams) => direct.all<T>(sql, params),
      get: async <T>(sql: string, params?: SqlParams) => direct.get<T>(sql, params),
      run: async (sql: string, params?: SqlParams) => direct.run(sql, params),
    };
  }

  get isOpen(): boolean {
    return this.db.open;
  }

  get location(): string {
    return this.db.name;
  }

  async all<T>(sql: string, params?: SqlParams): Promise<T[]> {
    if (this.gate.lock) await this.idle();
    return this.direct.all<T>(sql, params);
  }

  async get<T>(sql: string, params?: SqlParams): Promise<T | undefined> {
    if (this.gate.lock) await this.idle();
    return this.direct.get<T>(sql, params);
  }

  async run(sql: string, params?: SqlParams): Promise<SqlRunResult> {
    if (this.gate.lock) await this.idle();
    return this.direct.run(sql, params);
  }

  /** BEGIN IMMEDIATE takes the write lock first, so two processes on one file serialise here. */
  async transaction<T>(body: (tx: SqlSession) => Promise<T>): Promise<T> {
    while (this.gate.lock) await this.gate.lock;
    let release: () => void = () => undefined;
    this.gate.lock = new Promise<void>((resolve) => (release = resolve));
    try {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await body(this.session);
        this.db.exec('COMMIT');
        return result;
      } catch (error) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw error;
      }
    } finally {
      this.gate.lock = undefined;
      release();
    }
  }

  async ping(): Promise<void> {
    if (this.gate.lock) await this.idle();
    this.direct.get('SELECT 1');
    await this.readiness(this);
  }

  async close(): Promise<void> {
    if (this.gate.lock) await this.idle();
    this.statements.clear();
    if (this.db.open) this.db.close();
  }

  private async idle(): Promise<void> {
    while (this.gate.lock) await this.gate.lock;
  }

  private prepare(sql: string): Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  /** Statements run at once, on this thread (the gate is the caller's to respect). */
  private readonly direct = {
    all: <T>(sql: string, params: SqlParams = []): T[] => this.prepare(sql).all(...params) as T[],
    get: <T>(sql: string, params: SqlParams = []): T | undefined =>
      this.prepare(sql).get(...params) as T | undefined,
    run: (sql: string, params: SqlParams = []): SqlRunResult => ({
      changes: this.prepare(sql).run(...params).changes,
    }),
  };
}

/**
 * Transactions in progress on one file in this process. A statement on a second connection to
 * the same file would wait for SQLite's lock on this thread, which the transaction it waits for
 * needs to finish: so every connection to a file in this process waits its turn here instead.
 */
interface Gate {
  lock: Promise<void> | undefined;
}
const gates = new Map<string, Gate>();

function gateFor(db: Database): Gate {
  if (db.memory || db.name === '') return { lock: undefined };
  let gate = gates.get(db.name);
  if (!gate) {
    gate = { lock: undefined };
    gates.set(db.name, gate);
  }
  return gate;
}

const wrapped = new WeakMap<Database, SqliteSql>();

/**
 * The store over a better-sqlite3 handle: one per handle, so every part using the handle shares
 * the same transaction queue.
 */
export function sqliteSql(db: Database, readiness?: (session: SqlSession) => Promise<void>): SqliteSql {
  let sql = wrapped.get(db);
  if (!sql) {
    sql = new SqliteSql(db, readiness);
    wrapped.set(db, sql);
  }
  return sql;
}

/** A store, or a better-sqlite3 handle standing for the SQLite store on it. */
export type SqlSource = Sql | Database;

export function toSql(source: SqlSource): Sql {
  return isSql(source) ? source : sqliteSql(source);
}
