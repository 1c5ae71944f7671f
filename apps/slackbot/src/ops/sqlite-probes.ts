import { coreMigrations, type Migration } from '@atlas-backups/core';
import { botMigrations, type BotDatabase } from '../state/db.js';
import type { ReadinessCheck } from './readiness.js';

const expected: readonly { component: string; steps: readonly Migration[] }[] = [
  { component: 'core', steps: coreMigrations },
  { component: 'slackbot', steps: botMigrations },
];

/**
 * The SQLite store's readiness: it answers a query, and every migration this build knows has
 * been applied (a file migrated by an older build is not ready for this one).
 */
export function sqliteReadiness(db: BotDatabase): ReadinessCheck {
  const applied = db.prepare<[string], { version: number | null }>(
    'SELECT max(version) AS version FROM schema_migrations WHERE component = ?',
  );
  return () => {
    for (const { component, steps } of expected) {
      const latest = Math.max(0, ...steps.map((s) => s.version));
      const version = applied.get(component)?.version ?? 0;
      if (version < latest)
        return { ok: false, detail: `${component} schema at version ${version}, needs ${latest}` };
    }
    return { ok: true, detail: 'sqlite' };
  };
}

/** Approval requests by state in the SQLite store, for the approvals gauge. */
export function sqliteApprovalsByState(db: BotDatabase): () => Record<string, number> {
  const byState = db.prepare<[], { state: string; n: number }>(
    'SELECT state, count(*) AS n FROM approval_requests GROUP BY state',
  );
  return () => Object.fromEntries(byState.all().map((row) => [row.state, row.n]));
}
