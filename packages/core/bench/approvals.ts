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
  type ActionPreview,
  type ApprovalExecutor,
  type Actor,
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
 * Approval decisions per second through the SQLite store, on a real file (WAL, synchronous FULL,
 * so every decision is on disk before it is answered), with the audit log in the same file. The
 * Atlas call is replaced by an instant answer (an export, so nothing is looked up in Atlas first):
 * this measures the engine and the store, not Atlas.
 * Each request takes two votes (2 of 2), the second winning and executing it; a tenth are denied.
 * Also: the time from Approve to answer for 50 simultaneous clicks on one request.
 */
export async function benchApprovalDecisions(options: { requests?: number; maxMs?: number } = {}) {
  const total = options.requests ?? 2_000;
  const maxMs = options.maxMs ?? 10_000;
  const dir = mkdtempSync(join(tmpdir(), 'bench-approvals-'));
  const db = openDatabase(join(dir, 'bench.db'));
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

    const executed = db
      .prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM approval_requests WHERE state = 'executed'")
      .get()?.n;
    return {
      decisions,
      decisionsPerSecond: Math.round((decisions / elapsed) * 1000),
      perDecision: summarise(latencies),
      approveClickToAnswer50AtOnce: summarise(clicks),
      executedRequests: executed,
      store: 'SQLite file, WAL, synchronous=FULL, audit in the same file',
    };
  } finally {
    db.close();
    await client.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
