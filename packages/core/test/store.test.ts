import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApprovalStore,
  coreMigrations,
  FollowedJobStore,
  openDatabase,
  openPostgres,
  SqlAuditLog,
  sqliteSql,
  type Actor,
  type AuditEntry,
  type NewApprovalRequest,
  type Sql,
} from '../src/index.js';
import { postgresUnavailable, testDatabaseUrl, testSchema } from './support/postgres.js';

/**
 * The store's contract, on both engines. Each engine gets two handles on one database (two
 * connections to one SQLite file, two pools on one PostgreSQL schema), standing for two replicas.
 */
interface Engine {
  open(): Promise<Sql>;
  cleanup(): Promise<void>;
}

const unavailable = await postgresUnavailable();
if (unavailable)
  console.log(
    `PostgreSQL is not reachable at ${testDatabaseUrl} (${unavailable}): skipping the PostgreSQL store tests.`,
  );

function sqliteEngine(): Engine {
  const dir = mkdtempSync(join(tmpdir(), 'store-'));
  const opened: Sql[] = [];
  return {
    async open() {
      const db = openDatabase(join(dir, 'bot.db'));
      const sql = sqliteSql(db);
      opened.push(sql);
      return sql;
    },
    async cleanup() {
      for (const sql of opened) await sql.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function postgresEngine(): Engine {
  const schema = testSchema('store');
  const opened: Sql[] = [];
  return {
    async open() {
      const sql = await openPostgres(testDatabaseUrl, { schema: schema.name, maxConnections: 5 });
      opened.push(sql);
      return sql;
    },
    async cleanup() {
      for (const sql of opened) await sql.close();
      await schema.drop();
    },
  };
}

const actor = (id: string): Actor => ({ id, displayName: id, source: 'slack' });

function request(id: string, required: number, now: number): NewApprovalRequest {
  return {
    id,
    action: 'restore.automated',
    projectId: 'p1',
    clusterName: 'c1',
    requester: actor('UREQ'),
    params: { clusterName: 'c1' },
    preview: {
      action: 'restore.automated',
      title: 'Restore',
      projectId: 'p1',
      projectName: 'P',
      lines: [],
      warnings: [],
      risk: 'destructive',
    } as unknown as NewApprovalRequest['preview'],
    rule: { required, users: [], groups: [], ttlMs: 60_000 },
    reason: undefined,
    requestRef: `ref-${id}`,
    createdAt: now,
    expiresAt: now + 60_000,
  };
}

const entry = (i: number): AuditEntry => ({
  at: new Date(1_000 + i).toISOString(),
  event: 'requested',
  actor: { id: 'U1', displayName: 'one', source: 'slack' },
  action: 'snapshot.take',
  params: { i },
  requestId: 'r1',
});

const engines: [string, () => Engine, boolean][] = [
  ['SQLite', sqliteEngine, false],
  ['PostgreSQL', postgresEngine, unavailable !== undefined],
];

describe.each(engines)('the store on %s', (_name, make, skip) => {
  let engine: Engine;
  let a: Sql;
  let b: Sql;

  beforeAll(async () => {
    if (skip) return;
    engine = make();
    // Two replicas starting together: both migrate, under the engine's lock, once.
    [a, b] = await Promise.all([engine.open(), engine.open()]);
  });
  afterAll(async () => {
    if (!skip) await engine.cleanup();
  });

  it.skipIf(skip)('migrates once however many open it together, and says it is ready', async () => {
    const rows = await a.all<{ version: number }>(
      "SELECT version FROM schema_migrations WHERE component = 'core' ORDER BY version",
    );
    expect(rows.map((r) => Number(r.version))).toEqual(coreMigrations.map((m) => m.version));
    await expect(a.ping()).resolves.toBeUndefined();
    await expect(b.ping()).resolves.toBeUndefined();
  });

  it.skipIf(skip)('keeps pool votes, reminders, escalations and break-glass reviews', async () => {
    const store = new ApprovalStore(a);
    const other = new ApprovalStore(b);
    const now = Date.now();
    const base = request('pools1', 2, now);
    const pools = [
      { name: 'dba', required: 1, users: ['U1', 'U2'], groups: [] },
      { name: 'leads', required: 1, users: ['U2', 'U3'], groups: [] },
    ];
    await store.insert({ ...base, rule: { ...base.rule, required: 2, pools } });
    // U2 may count for either pool, U1 only for dba: U2 is placed in leads.
    await store.sql.transaction((tx) => store.vote('pools1', actor('U2'), now, tx, [0, 1]));
    await store.sql.transaction((tx) => store.vote('pools1', actor('U1'), now + 1, tx, [0]));
    expect(await other.votePools('pools1')).toEqual([[0, 1], [0]]);
    const got = await other.get('pools1');
    expect(got?.pools.map((p) => [p.name, p.votes.map((v) => v.approver.id)])).toEqual([
      ['dba', ['U1']],
      ['leads', ['U2']],
    ]);
    expect(
      await Promise.all([store.markReminded('pools1', now + 5), other.markReminded('pools1', now + 5)]),
    ).toContain(false);
    expect(await store.markEscalated('pools1', now + 7)).toBe(true);
    expect(await other.markEscalated('pools1', now + 8)).toBe(false);
    expect(await other.get('pools1')).toMatchObject({
      remindedAt: new Date(now + 5).toISOString(),
      escalatedAt: new Date(now + 7).toISOString(),
      breakGlass: undefined,
    });

    await store.insertBreakGlass(request('glass1', 1, now));
    expect(await other.get('glass1')).toMatchObject({
      state: 'approved',
      breakGlass: { reviewedAt: undefined },
    });
    expect((await other.listUnreviewed()).map((r) => r.id)).toEqual(['glass1']);
    expect(await store.markReviewed('glass1', actor('UREQ'), now)).toBe(false);
    const reviews = await Promise.all([
      store.markReviewed('glass1', actor('U7'), now),
      other.markReviewed('glass1', actor('U8'), now),
    ]);
    expect(reviews.filter(Boolean)).toHaveLength(1);
    expect(await other.listUnreviewed()).toEqual([]);
  });

  it.skipIf(skip)('lets exactly one of many concurrent callers make each approval transition', async () => {
    const storeA = new ApprovalStore(a);
    const storeB = new ApprovalStore(b);
    const now = Date.now();
    await storeA.insert(request('t1', 2, now));
    // Votes from both replicas at once: each counts once, and the request is approved once.
    const voters = Array.from({ length: 20 }, (_, i) => actor(`U${i}`));
    const approvedBy = await Promise.all(
      voters.map((v, i) =>
        (i % 2 ? storeA : storeB).sql.transaction(async (tx) => {
          const store = i % 2 ? storeA : storeB;
          await store.lock('t1', tx);
          const voted = await store.vote('t1', v, now, tx);
          return voted && (await store.markApproved('t1', now, tx));
        }),
      ),
    );
    expect(approvedBy.filter(Boolean)).toHaveLength(1);
    // Votes count only while the request is open: the two that approved it.
    expect(await storeB.voteCount('t1')).toBe(2);
    expect((await storeA.get('t1'))?.state).toBe('approved');

    const claims = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? storeA : storeB).claimExecution('t1', now)),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect((await storeB.get('t1'))?.state).toBe('executing');
    const job = { kind: 'restore', groupId: 'p1', clusterName: 'c1', id: 'job1' } as const;
    const execution = { summary: 'ok', atlasJobId: 'job1', job, reconciled: false, requestRef: 'ref-t1' };
    const done = await Promise.all([
      storeA.markExecuted('t1', execution, now),
      storeB.markExecuted('t1', execution, now),
    ]);
    expect(done.filter(Boolean)).toHaveLength(1);
    expect(await storeA.claimedJobIds()).toEqual(new Set(['job1']));
    const followed = await new FollowedJobStore(b).forRequest('t1');
    expect(followed.map((f) => [f.watcher, f.ref.id, f.state])).toEqual([['approval', 'job1', 'following']]);
  });

  it.skipIf(skip)('keeps votes in order and expires what is due once', async () => {
    const store = new ApprovalStore(a);
    const now = Date.now();
    await store.insert({ ...request('t2', 3, now - 120_000), expiresAt: now - 1 });
    const [x, y] = await Promise.all([store.expireDue(now), new ApprovalStore(b).expireDue(now)]);
    expect([...(x ?? []), ...(y ?? [])]).toEqual(['t2']);
    expect((await store.listInState('expired')).map((r) => r.id)).toEqual(['t2']);
  });

  it.skipIf(skip)('refuses to change or remove audit entries, in the database itself', async () => {
    const log = new SqlAuditLog(a);
    for (let i = 0; i < 3; i++) await log.append(entry(i));
    await expect(a.run("UPDATE audit_entries SET event = 'approved'")).rejects.toThrow(/append-only/);
    await expect(b.run('DELETE FROM audit_entries')).rejects.toThrow(/append-only/);
    expect(await new SqlAuditLog(b).count()).toBe(3);
    expect((await log.latest(2)).map((e) => e.params.i)).toEqual([2, 1]);
    const lines: string[] = [];
    for await (const line of log.jsonLines(2)) lines.push(line);
    expect(lines.map((l) => (JSON.parse(l) as AuditEntry).params.i)).toEqual([0, 1, 2]);
  });

  it.skipIf(skip)('follows a job once per watcher, shared by every replica', async () => {
    const ref = { kind: 'snapshot', groupId: 'g', clusterName: 'c', id: 's1' } as const;
    const [x, y] = await Promise.all([
      new FollowedJobStore(a).follow(ref, { watcher: 'slack', context: { n: 1 } }),
      new FollowedJobStore(b).follow(ref, { watcher: 'slack', context: { n: 2 } }),
    ]);
    expect(x.id).toBe(y.id);
    const [f1, f2] = await Promise.all([
      new FollowedJobStore(a).finish(x.id, 'completed'),
      new FollowedJobStore(b).finish(x.id, 'completed'),
    ]);
    expect([f1, f2].filter(Boolean)).toHaveLength(1);
  });

  it.skipIf(skip)('rolls a failed transaction back', async () => {
    await expect(
      a.transaction(async (tx) => {
        await tx.run(
          "INSERT INTO audit_entries (at, event, actor_id, action, entry_json) VALUES ('x', 'e', 'a', 'b', '{}')",
        );
        throw new Error('stop');
      }),
    ).rejects.toThrow('stop');
    expect(await new SqlAuditLog(b).count()).toBe(3);
  });
});
