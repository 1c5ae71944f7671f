import type { Sql } from '@atlas-backups/core';
import type { ReadinessCheck } from './readiness.js';

/**
 * The store's readiness (SQLite or PostgreSQL): it answers a query, and every migration this
 * build knows has been applied (a database migrated by an older build is not ready for this one).
 */
export function storeReadiness(store: Sql): ReadinessCheck {
  return async () => {
    try {
      await store.ping();
      return { ok: true, detail: store.dialect };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // The schema's state says nothing secret; anything else (hosts, files) only by its kind.
      return {
        ok: false,
        detail: /schema is at version/.test(message) ? message : `${store.dialect} unreachable`,
      };
    }
  };
}

/** Approval requests by state, for the approvals gauge. */
export function storeApprovalsByState(store: Sql): () => Promise<Record<string, number>> {
  return async () => {
    const rows = await store.all<{ state: string; n: number }>(
      'SELECT state, COUNT(*) AS n FROM approval_requests GROUP BY state',
    );
    return Object.fromEntries(rows.map((row) => [row.state, Number(row.n)]));
  };
}
