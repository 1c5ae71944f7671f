import {
  checkMigrated,
  coreMigrations,
  type MigrationSet,
  type Sql,
  type SqlSession,
} from '@atlas-backups/core';
import { botMigrationSet } from '../state/db.js';
import type { ReadinessCheck } from './readiness.js';

/** The schemas the bot's store must be at: core's and the bot's own. */
export const botSchemas: readonly MigrationSet[] = [
  { component: 'core', steps: coreMigrations },
  botMigrationSet,
];

/**
 * The store's readiness, on either engine: it answers (`SELECT 1`), and every migration this
 * build knows has been applied (a database migrated by an older build is not ready for this one).
 * Not `ping()`: that checks the migrations as well, which would run the check twice.
 */
export function storeReadiness(sql: Sql, schemas: readonly MigrationSet[] = botSchemas): ReadinessCheck {
  return async () => {
    await sql.get('SELECT 1');
    try {
      await checkMigrated(sql, schemas);
    } catch {
      return { ok: false, detail: 'not migrated' };
    }
    return { ok: true, detail: sql.dialect };
  };
}

/** Approval requests by state, for the approvals gauge. */
export function approvalsByState(sql: SqlSession): () => Promise<Record<string, number>> {
  return async () => {
    const rows = await sql.all<{ state: string; n: number }>(
      'SELECT state, count(*) AS n FROM approval_requests GROUP BY state',
    );
    return Object.fromEntries(rows.map((row) => [row.state, Number(row.n)]));
  };
}
