import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  ApprovalEngine,
  AtlasClient,
  SqliteAuditLog,
  StaticGroupMembership,
  openDatabase,
  openPostgres,
  sqliteSql,
  type ActionPreview,
  type ApprovalExecutor,
  type Actor,
  type Sql,
} from '../src/index.js';
import { summarise } from './stats.js';

const preview: ActionPreview = {
  action: 'export.create',
  title: 'Export snapshot 1 of orders-staging to bucket backups',
  lines: ['Snapshot: 1 of orders-staging', 'Bucket: backups (AWS)'],
  warnings: ['Copies the snapshot data out of Atlas into backups.'],
  risk: 'costly',
  projectId: '6414ff0087c960afed00fac4',
  projectName: 'Staging',
  production: false,
};
const requester: Actor = { id: 'UREQ', displayName: 'Rita', source: 'slack' };
const approver = (i: number): Actor => ({ id: `UAPP${i}`, source: 'slack' });

/**
 * The same run on each store, side by side: SQLite (a real file, WAL, synchronous FULL) and
 * PostgreSQL (ATLAS_BENCH_DATABASE_URL, default the local service; a schema of its own, dropped
 * after). PostgreSQL is reported as skipped when it cannot be reached.
 */
export async function benchApprovalDecisions(options: { requests?: number; maxMs?: number } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-approvals-'));
  const url = process.env.ATLAS_BENCH_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  try {
    const sqlite = sqliteSql(openDatabase(join(dir, 'bench.db')));
    const onSqlite = await runDecisions(
      sqlite,
      options,
      'SQLite file, WAL, synchronous=FULL, audit in the same file',
    );
    let pg: Sql | undefined;
    await sqlite.close();
    let onPostgres: Awaited<ReturnType<typeof runDecisions>> | { skipped: string } = { skipped: 'not run' };
    try {
      pg = await openPostgres(url, { schema, connectTimeoutMs: 3_000 });
    } catch (error) {
      onPostgres = {
        skipped: `PostgreSQL unreachable: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
    if (pg) {
      try {
        onPostgres = await runDecisions(
          pg,
          options,
          'PostgreSQL (local, one pool of 10), audit in the same database',
        );
      } finally {
        await pg.run(`DROP SCHEMA "${schema}" CASCADE`).catch(() => undefined);
        await pg.close();
      }
    }
    return { sqlite: onSqlite, postgres: onPostgres };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Approval decisions per second through one store, with the audit log in the same database. The
 * Atlas call is replaced by an instant answer (an export, so nothing is looked up in Atlas first):
 * this measures the engine and the store, not Atlas.
 * Each request takes two votes (2 of 2), the second winning and executing it; a tenth are denied.
 * Also: the time from Approve to answer for 50 simultaneous clicks on one request.
 */
async function runDecisions(db: Sql, options: { requests?: number; maxMs?: number }, store: string) {
  const total = options.requests ?? 2_000;
  const maxMs = options.maxMs ?? 10_000;
  const client = new AtlasClient({
    baseUrl: 'http://127.0.0.1:9',
    credentials: { kind: 'apiKey', publicKey: 'unused', privateKey: 'unused' },
  });
  const executor: ApprovalExecutor = {
    client,
    executeApproved: async (r) => ({
      action: r.action,
      summary: 'done',
      atlas: null,
      reconciled: false,
      requestRef: r.requestRef,
      job: { kind: 'export', groupId: preview.projectId, clusterName: 'orders-staging', id: `job-${r.id}` },
    }),
  };
  const engine = new ApprovalEngine({
    db,
    audit: new SqliteAuditLog(db),
    membership: new StaticGroupMembership({ SAPPROVERS: Array.from({ length: 60 }, (_, i) => `UAPP${i}`) }),
    executor,
  });
  const rule = (required: number) => ({ required, users: [], groups: ['SAPPROVERS'], ttlMs: 3_600_000 });
  const open = (required: number) =>
    engine.open({
      actor: requester,
      action: 'export.create',
      params: {
        groupId: preview.projectId,
        clusterName: 'orders-staging',
        snapshotId: 'x',
        exportBucketId: 'y',
      },
      preview,
      rule: rule(required),
      reason: 'bench',
      requestRef: 'ref',
    });

  try {
    const ids: string[] = [];
    for (let i = 0; i < total; i += 1) ids.push((await open(2)).id);

    const latencies: number[] = [];
    let decisions = 0;
    const started = performance.now();
    for (const [i, id] of ids.entries()) {
      if (performance.now() - started > maxMs) break;
      const decide = async (fn: () => Promise<unknown>) => {
        const t = performance.now();
        await fn();
        latencies.push(performance.now() - t);
        decisions += 1;
      };
      if (i % 10 === 0) {
        await decide(() => engine.deny(id, approver(1), 'not now'));
      } else {
        await decide(() => engine.approve(id, approver(1)));
        await decide(() => engine.approve(id, approver(2)));
      }
    }
    const elapsed = performance.now() - started;
    await engine.drain();

    // 50 people click Approve on one request at the same moment: time from click to answer.
    const clickRounds = 20;
    const clicks: number[] = [];
    for (let round = 0; round < clickRounds; round += 1) {
      const { id } = await open(1);
      await Promise.all(
        Array.from({ length: 50 }, async (_, i) => {
          const t = performance.now();
          await engine.approve(id, approver(i));
          clicks.push(performance.now() - t);
        }),
      );
      await engine.drain();
    }

    const executed = Number(
      (await db.get<{ n: number }>("SELECT COUNT(*) AS n FROM approval_requests WHERE state = 'executed'"))
        ?.n ?? 0,
    );
    return {
      decisions,
      decisionsPerSecond: Math.round((decisions / elapsed) * 1000),
      perDecision: summarise(latencies),
      approveClickToAnswer50AtOnce: summarise(clicks),
      executedRequests: executed,
      store,
    };
  } finally {
    await client.close();
  }
}
