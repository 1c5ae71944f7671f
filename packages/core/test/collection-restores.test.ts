import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ActionService,
  AtlasApiError,
  MemoryAuditLog,
  defaultPolicyDocument,
  FilePolicyEngine,
  loadRestorableWindow,
  localOperatorPolicy,
  outsideWindow,
  toErrorInfo,
  watchJob,
  type Actor,
  type JobUpdate,
} from '../src/index.js';
import { served, simHarness, type SimHarness } from './support/sim.js';

const actor: Actor = { id: 'local:alice', displayName: 'alice', source: 'tui' };
const now = new Date('2026-11-27T12:00:00Z');
const day = 86_400_000;
let h: SimHarness;
let audit: MemoryAuditLog;

beforeEach(async () => {
  h = await simHarness({ now });
  audit = new MemoryAuditLog();
});
afterEach(async () => {
  await h.close();
});

const service = () =>
  new ActionService({ client: h.client(), policy: localOperatorPolicy, audit, now: () => h.sim.clock.now() });

function production() {
  const { projectId, replicaSetName } = h.sim.seed;
  return { groupId: projectId, clusterName: replicaSetName, targetGroupId: projectId };
}

async function completedSnapshot(groupId: string, clusterName: string) {
  const page = await h.client().listSnapshots(groupId, clusterName, { itemsPerPage: 50 });
  const snap = page.results.find((s) => s.status === 'completed');
  if (!snap) throw new Error('no completed snapshot');
  return snap;
}

const creates = () => served(h.sim, 'POST', /collectionRestoreJobs$/).length;

describe('collection restores', () => {
  it('offers what the snapshot holds, from the discovery operations', async () => {
    const p = production();
    const snap = await completedSnapshot(p.groupId, p.clusterName);
    const holds = await h.client().listSnapshotNamespaces(p.groupId, p.clusterName, snap.id);
    const sales = holds.find((d) => d.database === 'sales');
    expect(sales?.collections).toEqual(expect.arrayContaining(['orders', 'customers', 'orders.archive']));
    expect(holds.map((d) => d.database)).toEqual(expect.arrayContaining(['inventory', '마케팅']));
  });

  it('restores a collection as a new one beside the original: costly, not destructive, followed to the end', async () => {
    const p = production();
    const snap = await completedSnapshot(p.groupId, p.clusterName);
    const params = {
      ...p,
      targetClusterName: p.clusterName,
      snapshotId: snap.id,
      collections: [{ sourceNamespace: 'sales.orders' }, { sourceNamespace: 'sales.customers' }],
      collectionSuffix: '_restored',
    };
    const s = service();
    const { preview } = await s.preview(actor, 'restore.collections.createNew', params);
    expect(preview.risk).toBe('costly');
    expect(preview.confirmPhrase).toBeUndefined();
    expect(preview.lines).toContain('sales.orders → orders-prod sales.orders_restored (new)');
    expect(preview.lines).toContain('sales.customers → orders-prod sales.customers_restored (new)');
    expect(preview.lines.join('\n')).toContain('CREATE_NEW (existing data is never touched)');
    expect(preview.warnings).toEqual([]);

    const outcome = await s.request(actor, 'restore.collections.createNew', params, {
      confirmation: { confirmed: true },
    });
    if (outcome.status !== 'executed') throw new Error('not executed');
    const job = outcome.result.job;
    expect(job).toMatchObject({ kind: 'collectionRestore', clusterName: 'orders-prod' });
    expect(creates()).toBe(1);
    const body = served(h.sim, 'POST', /collectionRestoreJobs$/)[0];
    expect(body?.status).toBe(201);

    const updates: JobUpdate[] = [];
    const client = h.client();
    const advance = async () => {
      h.sim.clock.advance(60_000);
    };
    if (!job) throw new Error('no job');
    for await (const u of watchJob(client, job, { sleep: advance, pollIntervalMs: 60_000 })) updates.push(u);
    const last = updates.at(-1);
    expect(last?.phase).toBe('succeeded');
    expect(last?.progress).toEqual({
      done: 1_284_530 + 84_211,
      total: 1_284_530 + 84_211,
      unit: 'documents',
    });
    expect(last?.collections?.map((c) => [c.source, c.target, c.state])).toEqual([
      ['sales.orders', 'sales.orders_restored', 'SUCCESSFUL'],
      ['sales.customers', 'sales.customers_restored', 'SUCCESSFUL'],
    ]);
    // Documents climb while it copies.
    const running = updates.filter((u) => u.status === 'IN_PROGRESS');
    expect(running.length).toBeGreaterThan(1);
    const done = running.map((u) => u.progress?.done ?? 0);
    expect(done).toEqual([...done].sort((a, b) => a - b));
  });

  it('explains an overwrite: destructive, the replaced collections named, the target typed on production', async () => {
    const p = production();
    const snap = await completedSnapshot(p.groupId, p.clusterName);
    const params = {
      ...p,
      targetClusterName: p.clusterName,
      snapshotId: snap.id,
      collections: [{ sourceNamespace: 'sales.orders' }],
      indexStrategy: 'ALL_EXCEPT_TTL' as const,
    };
    const s = service();
    const { preview } = await s.preview(actor, 'restore.collections.overwrite', params);
    expect(preview.risk).toBe('destructive');
    expect(preview.confirmPhrase).toBe('orders-prod');
    expect(preview.lines).toContain(
      'sales.orders → orders-prod sales.orders (REPLACES the existing collection)',
    );
    expect(preview.warnings[0]).toContain(
      '1 existing collection on orders-prod will be dropped and replaced: sales.orders.',
    );
    await expect(
      s.request(actor, 'restore.collections.overwrite', params, { confirmation: { confirmed: true } }),
    ).rejects.toMatchObject({ code: 'CONFIRMATION_REQUIRED' });
    expect(creates()).toBe(0);
    const outcome = await s.request(actor, 'restore.collections.overwrite', params, {
      confirmation: { confirmed: true, typedPhrase: 'orders-prod' },
    });
    expect(outcome.status).toBe('executed');
    expect(creates()).toBe(1);
  });

  it('by default, creating new collections needs no approval and overwriting does', async () => {
    const policy = new FilePolicyEngine(defaultPolicyDocument);
    const project = { id: 'x', name: 'x', tags: [] };
    const decide = (action: 'restore.collections.createNew' | 'restore.collections.overwrite') =>
      policy.decide({ actor, action, project, preview: undefined as never });
    expect(await decide('restore.collections.createNew')).toEqual({ allowed: true });
    expect(await decide('restore.collections.overwrite')).toMatchObject({
      allowed: true,
      approval: { required: 1 },
    });
  });

  it('refuses a namespace the snapshot does not hold, naming what it holds, and sends nothing', async () => {
    const p = production();
    const snap = await completedSnapshot(p.groupId, p.clusterName);
    const error = await service()
      .preview(actor, 'restore.collections.createNew', {
        ...p,
        targetClusterName: p.clusterName,
        snapshotId: snap.id,
        collections: [{ sourceNamespace: 'sales.orders' }, { sourceNamespace: 'sales.nope' }],
      })
      .catch((e: unknown) => e);
    const info = toErrorInfo(error);
    expect(info.code).toBe('NAMESPACE_NOT_IN_SNAPSHOT');
    expect(info.message).toContain('sales.nope');
    expect(info.hint).toContain('sales.orders');
    expect(creates()).toBe(0);
  });

  it('refuses malformed namespaces and mixed scopes before asking Atlas anything', async () => {
    const p = production();
    const before = h.sim.requests.length;
    const bad = async (extra: Record<string, unknown>) =>
      toErrorInfo(
        await service()
          .preview(actor, 'restore.collections.createNew', {
            ...p,
            targetClusterName: p.clusterName,
            snapshotId: '65f0c0ffee0123456789abcd',
            ...extra,
          })
          .catch((e: unknown) => e),
      );
    expect((await bad({ collections: [{ sourceNamespace: 'orders' }] })).message).toContain(
      'must be a namespace of the form db.collection',
    );
    expect((await bad({ collections: [{ sourceNamespace: 'admin.users' }] })).message).toContain(
      'system database',
    );
    expect(
      (await bad({ collections: [{ sourceNamespace: 'a.b' }], databases: [{ sourceNamespace: 'a' }] }))
        .message,
    ).toContain('not both');
    expect(
      (await bad({ collections: [{ sourceNamespace: 'a.b' }], collectionSuffix: 'bad suffix' })).message,
    ).toContain('collectionSuffix must be 1 to 32 letters');
    expect(h.sim.requests.length).toBe(before);
  });
});

describe('the restorable window', () => {
  it('is computed as the simulator computes it', async () => {
    const p = production();
    const window = await loadRestorableWindow(h.client(), p.groupId, p.clusterName, { now: now.getTime() });
    expect(window).toMatchObject({
      continuous: true,
      days: 7,
      start: now.getTime() - 7 * day,
      end: now.getTime(),
    });
    const reporting = h.sim.seed.continuousBackupOff[0];
    if (!reporting) throw new Error('no cluster without continuous backup');
    const off = await loadRestorableWindow(h.client(), reporting.projectId, reporting.clusterName, {
      now: now.getTime(),
    });
    expect(off.continuous).toBe(false);
  });

  it('refuses a moment before it in the preview, naming the window, with nothing sent', async () => {
    const p = production();
    const at = Date.parse('2026-11-20T09:00:00Z') / 1000;
    for (const [action, params] of [
      ['restore.pointInTime', { ...p, targetClusterName: p.clusterName, pointInTimeUTCSeconds: at }],
      [
        'restore.collections.createNew',
        {
          ...p,
          targetClusterName: p.clusterName,
          pointInTimeUtcSeconds: at,
          collections: [{ sourceNamespace: 'sales.orders' }],
        },
      ],
    ] as const) {
      const info = toErrorInfo(
        await service()
          .preview(actor, action, params)
          .catch((e: unknown) => e),
      );
      expect(info.code, action).toBe('OUTSIDE_RESTORE_WINDOW');
      expect(info.message).toBe(
        "Not restorable: orders-prod is restorable from 2026-11-20 12:00:00 UTC to now (7 days of continuous backup, as the project's Backup Compliance Policy requires); 2026-11-20 09:00:00 UTC is before it",
      );
    }
    expect(served(h.sim, 'POST', /^\/api\/atlas\//)).toEqual([]);
  });

  it('agrees with the simulator’s refusal at every edge (cluster and collection level)', async () => {
    const client = h.client();
    const p = production();
    const reporting = h.sim.seed.continuousBackupOff[0];
    if (!reporting) throw new Error('no cluster without continuous backup');
    const start = now.getTime() / 1000 - 7 * 86_400;
    const cases = [
      { ...p, seconds: start - 1 },
      { ...p, seconds: start },
      { ...p, seconds: now.getTime() / 1000 },
      { ...p, seconds: now.getTime() / 1000 + 1 },
      {
        groupId: reporting.projectId,
        clusterName: reporting.clusterName,
        targetGroupId: reporting.projectId,
        seconds: start + 86_400,
      },
    ];
    for (const c of cases) {
      const window = await loadRestorableWindow(client, c.groupId, c.clusterName, { now: h.sim.clock.now() });
      const early = outsideWindow(window, c.seconds * 1000);
      const sent = async (send: () => Promise<unknown>) => {
        try {
          await send();
          return 'accepted';
        } catch (error) {
          if (!(error instanceof AtlasApiError)) throw error;
          return error.errorCode;
        }
      };
      const cluster = await sent(() =>
        client.createRestoreJob(c.groupId, c.clusterName, {
          deliveryType: 'pointInTime',
          targetGroupId: c.targetGroupId,
          targetClusterName: c.clusterName,
          pointInTimeUTCSeconds: c.seconds,
        }),
      );
      const collections = await sent(() =>
        client.createCollectionRestoreJob(c.groupId, c.clusterName, {
          writeStrategy: 'CREATE_NEW',
          indexStrategy: 'ALL',
          targetGroupId: c.targetGroupId,
          targetClusterName: c.clusterName,
          pointInTimeUtcSeconds: c.seconds,
          databases: [{ sourceNamespace: c.clusterName === 'reporting' ? 'reports' : 'inventory' }],
          databaseSuffix: `_w${cases.indexOf(c)}`,
        }),
      );
      const expected =
        early === undefined
          ? 'accepted'
          : window.continuous
            ? 'POINT_IN_TIME_OUTSIDE_RESTORE_WINDOW'
            : 'POINT_IN_TIME_RESTORE_NOT_ENABLED';
      expect([c.seconds - start, cluster, collections]).toEqual([c.seconds - start, expected, expected]);
    }
  });
});
