/** A value bound to a `?` placeholder. Timestamps are epoch milliseconds (numbers) on both engines. */
export type SqlValue = string | number | null;
export type SqlParams = readonly SqlValue[];

/** Which engine a statement runs on, for the few statements that differ. */
export type SqlDialect = 'sqlite' | 'postgres';

export interface SqlRunResult {
  /** Rows the statement inserted, updated or deleted: how a conditional write tells who won. */
  changes: number;
}

/**
 * Statements on one engine. Placeholders are `?` everywhere; the PostgreSQL implementation
 * numbers them (`$1`, `$2`, …). Integers come back as numbers on both engines.
 */
export interface SqlSession {
  readonly dialect: SqlDialect;
  all<T>(sql: string, params?: SqlParams): Promise<T[]>;
  get<T>(sql: string, params?: SqlParams): Promise<T | undefined>;
  run(sql: string, params?: SqlParams): Promise<SqlRunResult>;
}

/**
 * The store every stateful part of core and the bot works on: SQLite (one process, embedded)
 * or PostgreSQL (several replicas). A transaction's body must only use the session it is given,
 * and must not wait on anything but that session (no network calls inside).
 */
export interface Sql extends SqlSession {
  transaction<T>(body: (tx: SqlSession) => Promise<T>): Promise<T>;
  /** Resolves when the database answers and its schema is at the version this build knows. */
  ping(): Promise<void>;
  close(): Promise<void>;
  /** False once closed. */
  readonly isOpen: boolean;
  /** Where it is, for messages: a file path, or the URL without its password. */
  readonly location: string;
}

/** True for a store opened by this module (as opposed to a raw driver handle). */
export function isSql(value: unknown): value is Sql {
  return (
    typeof value === 'object' &&
    value !== null &&
    'dialect' in value &&
    'transaction' in value &&
    typeof (value as { transaction: unknown }).transaction === 'function'
  );
}
