import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { timings } from '../src/index.js';
import { DAY, fieldsOf, startTestSim, type ApiErrorBody, type Page, type TestSim } from './support/sim.js';

const V = '2025-03-12';

interface Job {
  id: string;
  state: string;
  restoredDocuments: number;
  totalDocuments: number;
  collections: { sourceNamespace: string; targetNamespace?: string }[];
  databases: { sourceNamespace: string; targetNamespace?: string }[];
  collectionSuffix: string;
  databaseSuffix: string;
  indexStatus: { state: string; failedCollectionCount: number };
  indexStrategy: string;
  writeStrategy: string;
  snapshotId?: string;
  pointInTimeUtcSeconds?: number;
  oplogTs?: number;
  oplogInc?: number;
  finishedAt?: string;
  errorMessage?: string;
  targetClusterName: string;
  targetGroupId: string;
}

interface CollectionState {
  sourceNamespace: string;
  targetNamespace: string;
  effectiveTargetNamespace: string;
  state: string;
  restoredDocuments: number;
  totalDocuments: number;
  indexStatus: { state: string; errorMessage?: string; failedIndexes?: Record<string, unknown>[] };
}

const ORDERS = 1_284_530;
const CUSTOMERS = 84_211;
const { initializing, copying, finalizing } = timings.collectionRestore;

let t: TestSim;
beforeEach(async () => {
  t = await startTestSim();
});
afterEach(async () => {
  await t.sim.close();
});

const jobs = (cluster = t.rs) => `/groups/${t.g}/clusters/${cluster}/collectionRestoreJobs`;

function completedSnapshot(cluster = t.rs): string {
  const now = t.sim.clock.now();
  const found = t.sim.store
    .listSnapshots(t.g, cluster)
    .find((s) => s.doneAt <= now && s.outcome === 'succeeded');
  if (!found) throw new Error(`no completed snapshot on ${cluster}`);
  return found.id;
}

function body(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    snapshotId: completedSnapshot(),
    targetGroupId: t.g,
    targetClusterName: t.rs,
    writeStrategy: 'CREATE_NEW',
    indexStrategy: 'ALL',
    collections: [{ sourceNamespace: 'sales.orders' }, { sourceNamespace: 'sales.customers' }],
    ...fields,
  };
}

const create = (fields: Record<string, unknown> = {}, cluster = t.rs) =>
  t.client.call<Job & ApiErrorBody>(jobs(cluster), { method: 'POST', version: V, body: body(fields) });
const getJob = (id: string) => t.client.call<Job>(`${jobs()}/${id}`, { version: V });
const states = (id: string, query = '') =>
  t.client.call<Page<CollectionState>>(`${jobs()}/${id}/collections${query}`, { version: V });
const byNamespace = async (id: string) =>
  Object.fromEntries((await states(id)).body.results.map((c) => [c.sourceNamespace, c]));

describe('a collection restore job', () => {
  it('moves INITIALIZING → IN_PROGRESS → FINALIZING → SUCCESSFUL with documents that climb', async () => {
    const created = await create({ collectionSuffix: '_restored' });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect(created.body).toMatchObject({
      state: 'INITIALIZING',
      restoredDocuments: 0,
      totalDocuments: ORDERS + CUSTOMERS,
      collections: [
        { sourceNamespace: 'sales.orders', targetNamespace: 'sales.orders_restored' },
        { sourceNamespace: 'sales.customers', targetNamespace: 'sales.customers_restored' },
      ],
      databases: [],
      collectionSuffix: '_restored',
      databaseSuffix: '',
      indexStatus: { state: 'NOT_STARTED', failedCollectionCount: 0 },
      writeStrategy: 'CREATE_NEW',
      indexStrategy: 'ALL',
      targetClusterName: t.rs,
      targetGroupId: t.g,
    });
    expect(created.body.finishedAt).toBeUndefined();
    // Collection states do not exist yet while the job initializes.
    expect((await states(id)).body.results).toEqual([]);
    const early = await t.client.call<ApiErrorBody>(`${jobs()}/${id}/collections/sales.orders`, {
      version: V,
    });
    expect(early.status).toBe(404);
    expect(early.body.errorCode).toBe('NAMESPACE_NOT_FOUND');

    t.sim.clock.advance(initializing);
    expect((await getJob(id)).body).toMatchObject({ state: 'IN_PROGRESS', restoredDocuments: 0 });

    t.sim.clock.advance(copying / 2);
    const half = Math.floor((ORDERS + CUSTOMERS) / 2);
    expect((await getJob(id)).body.restoredDocuments).toBe(half);
    let c = await byNamespace(id);
    expect(c['sales.orders']).toMatchObject({
      state: 'IN_PROGRESS',
      restoredDocuments: half,
      totalDocuments: ORDERS,
    });
    expect(c['sales.customers']).toMatchObject({ state: 'NOT_STARTED', restoredDocuments: 0 });

    // Orders are copied first; customers follow.
    t.sim.clock.advance(copying / 2 - 5_000);
    c = await byNamespace(id);
    expect(c['sales.orders']).toMatchObject({ state: 'FINALIZING', restoredDocuments: ORDERS });
    expect(c['sales.customers']?.state).toBe('IN_PROGRESS');
    expect(c['sales.orders']?.indexStatus.state).toBe('NOT_STARTED');

    t.sim.clock.advance(5_000);
    expect((await getJob(id)).body).toMatchObject({
      state: 'FINALIZING',
      restoredDocuments: ORDERS + CUSTOMERS,
      indexStatus: { state: 'IN_PROGRESS' },
    });
    expect((await byNamespace(id))['sales.customers']?.indexStatus.state).toBe('IN_PROGRESS');

    t.sim.clock.advance(finalizing);
    const done = await getJob(id);
    expect(done.body).toMatchObject({
      state: 'SUCCESSFUL',
      indexStatus: { state: 'SUCCESSFUL', failedCollectionCount: 0 },
    });
    expect(Date.parse(done.body.finishedAt ?? '')).toBe(t.sim.clock.now());
    const one = await t.client.call<CollectionState>(`${jobs()}/${id}/collections/sales.orders`, {
      version: V,
    });
    expect(one.body).toEqual({
      effectiveTargetNamespace: 'sales.orders_restored',
      indexStatus: { state: 'SUCCESSFUL' },
      restoredDocuments: ORDERS,
      sourceNamespace: 'sales.orders',
      state: 'SUCCESSFUL',
      targetNamespace: 'sales.orders_restored',
      totalDocuments: ORDERS,
    });
  });

  it('creates what it restored on the target: a later snapshot holds the new collections', async () => {
    await create({ collectionSuffix: '_restored' });
    t.sim.clock.advance(initializing + copying + finalizing);
    const taken = await t.client.call<{ id: string }>(`/groups/${t.g}/clusters/${t.rs}/backup/snapshots`, {
      method: 'POST',
      body: {},
    });
    t.sim.clock.advance(10 * 60_000);
    const names = await t.client.call<Page<{ name: string }>>(
      `/groups/${t.g}/clusters/${t.rs}/backup/snapshots/${taken.body.id}/databases/sales/collections`,
      { version: V },
    );
    expect(names.body.results.map((r) => r.name)).toEqual(
      expect.arrayContaining(['orders', 'orders_restored', 'customers_restored']),
    );
  });

  it('restores whole databases; a time-series collection in them is UNSUPPORTED and not counted', async () => {
    const created = await create({
      collections: undefined,
      databases: [{ sourceNamespace: 'inventory' }],
      writeStrategy: 'OVERWRITE_EXISTING',
      indexStrategy: 'ALL_EXCEPT_TTL',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      databases: [{ sourceNamespace: 'inventory', targetNamespace: 'inventory' }],
      collections: [],
      totalDocuments: 15_732,
      writeStrategy: 'OVERWRITE_EXISTING',
    });
    t.sim.clock.advance(initializing + copying + finalizing);
    const c = await byNamespace(created.body.id);
    expect(c['inventory.items']).toMatchObject({
      state: 'SUCCESSFUL',
      effectiveTargetNamespace: 'inventory.items',
    });
    expect(c['inventory.stock_levels']).toMatchObject({
      state: 'UNSUPPORTED',
      restoredDocuments: 0,
      indexStatus: { state: 'NOT_RESTORED' },
    });
  });

  it('renames on conflict with CREATE_NEW, overwrites with OVERWRITE_EXISTING, and refuses overlapping jobs', async () => {
    const first = await create({ collections: [{ sourceNamespace: 'sales.orders' }] });
    // Overlapping targets on the same cluster while the first job runs: 409.
    const overlapping = await create({
      collections: [{ sourceNamespace: 'sales.orders' }],
      writeStrategy: 'OVERWRITE_EXISTING',
    });
    expect(overlapping.status).toBe(409);
    expect(overlapping.body.errorCode).toBe('COLLECTION_RESTORE_ALREADY_IN_PROGRESS');
    expect(overlapping.body.detail).toContain(first.body.id);
    t.sim.clock.advance(initializing);
    expect((await byNamespace(first.body.id))['sales.orders']?.effectiveTargetNamespace).toBe(
      'sales.orders_1',
    );
    t.sim.clock.advance(copying + finalizing);

    const second = await create({ collections: [{ sourceNamespace: 'sales.orders' }] });
    t.sim.clock.advance(initializing);
    expect((await byNamespace(second.body.id))['sales.orders']?.effectiveTargetNamespace).toBe(
      'sales.orders_2',
    );
    t.sim.clock.advance(copying + finalizing);

    const overwrite = await create({
      collections: [{ sourceNamespace: 'sales.orders' }],
      writeStrategy: 'OVERWRITE_EXISTING',
    });
    t.sim.clock.advance(initializing);
    expect((await byNamespace(overwrite.body.id))['sales.orders']?.effectiveTargetNamespace).toBe(
      'sales.orders',
    );
  });

  it('restores into another project with a targetNamespace, and from a point in time', async () => {
    const staging = t.sim.seed.projects[1];
    const target = { targetGroupId: staging?.id, targetClusterName: staging?.clusters[0]?.name };
    const renamed = await create({
      ...target,
      collections: [{ sourceNamespace: 'sales.orders', targetNamespace: 'archive.orders_2025' }],
    });
    expect(renamed.status).toBe(201);
    expect(renamed.body.collections).toEqual([
      { sourceNamespace: 'sales.orders', targetNamespace: 'archive.orders_2025' },
    ]);

    const at = Math.floor(t.sim.clock.now() / 1000) - 3 * 86_400;
    // sales.returns was created two days ago; sales.orders_tmp existed then and was dropped yesterday.
    const tooNew = await create({
      ...target,
      snapshotId: undefined,
      pointInTimeUtcSeconds: at,
      collections: [{ sourceNamespace: 'sales.returns' }],
    });
    expect(tooNew.status).toBe(400);
    expect(tooNew.body.errorCode).toBe('NAMESPACE_NOT_IN_SNAPSHOT');
    expect(fieldsOf(tooNew.body)).toEqual(['collections[0].sourceNamespace']);
    const pit = await create({
      ...target,
      snapshotId: undefined,
      pointInTimeUtcSeconds: at,
      collections: [{ sourceNamespace: 'sales.orders_tmp' }],
    });
    expect(pit.status).toBe(201);
    expect(pit.body.pointInTimeUtcSeconds).toBe(at);
    expect(pit.body.snapshotId).toBeUndefined();
    const oplog = await create({
      ...target,
      snapshotId: undefined,
      oplogTs: at,
      oplogInc: 4,
      collections: [{ sourceNamespace: 'inventory.items' }],
    });
    expect(oplog.status).toBe(201);
    expect(oplog.body).toMatchObject({ oplogTs: at, oplogInc: 4 });
  });

  it('fails partway when a failure is planned: the collection being copied FAILED, the rest NOT_RESTORED', async () => {
    t.sim.store.failNextCollectionRestoreJob(t.g, t.rs);
    const created = await create();
    const failsAt = initializing + copying * timings.collectionRestoreFailsAfter;
    t.sim.clock.advance(failsAt - 1);
    expect((await getJob(created.body.id)).body.state).toBe('IN_PROGRESS');
    t.sim.clock.advance(1);
    const failed = await getJob(created.body.id);
    expect(failed.body).toMatchObject({ state: 'FAILED', indexStatus: { state: 'NOT_RESTORED' } });
    expect(failed.body.errorMessage).toContain('sales.orders');
    const stoppedAt = failed.body.restoredDocuments;
    t.sim.clock.advance(DAY);
    expect((await getJob(created.body.id)).body.restoredDocuments).toBe(stoppedAt);
    const c = await byNamespace(created.body.id);
    expect(c['sales.orders']?.state).toBe('FAILED');
    expect(c['sales.customers']?.state).toBe('NOT_RESTORED');
    // The next one succeeds.
    const next = await create();
    t.sim.clock.advance(initializing + copying + finalizing);
    expect((await getJob(next.body.id)).body.state).toBe('SUCCESSFUL');
  });

  it('reports a planned index build failure on one collection while the job succeeds', async () => {
    t.sim.store.failNextCollectionRestoreIndexBuild(t.g, t.rs, 'sales.customers');
    const created = await create();
    t.sim.clock.advance(initializing + copying + finalizing);
    expect((await getJob(created.body.id)).body).toMatchObject({
      state: 'SUCCESSFUL',
      indexStatus: { state: 'FAILED', failedCollectionCount: 1 },
    });
    const c = await byNamespace(created.body.id);
    expect(c['sales.orders']?.state).toBe('SUCCESSFUL');
    expect(c['sales.customers']).toMatchObject({
      state: 'INDEX_BUILD_FAILED',
      indexStatus: { state: 'FAILED' },
    });
    expect(c['sales.customers']?.indexStatus.failedIndexes?.[0]).toHaveProperty('name');
    const filtered = await states(created.body.id, '?state=INDEX_BUILD_FAILED');
    expect(filtered.body.results.map((r) => r.sourceNamespace)).toEqual(['sales.customers']);
  });

  it('turns CANCELED when cancelled (the store hook), keeping what was copied', async () => {
    const created = await create({ collectionSuffix: '_x' });
    t.sim.clock.advance(initializing + copying * 0.97);
    expect(t.sim.store.cancelCollectionRestoreJob(t.g, t.rs, created.body.id)).toBe(true);
    const cancelled = await getJob(created.body.id);
    expect(cancelled.body).toMatchObject({ state: 'CANCELED' });
    expect(cancelled.body.errorMessage).toMatch(/canceled/);
    const c = await byNamespace(created.body.id);
    expect(c['sales.orders']?.state).toBe('SUCCESSFUL');
    expect(c['sales.customers']?.state).toBe('NOT_RESTORED');
    expect(t.sim.store.cancelCollectionRestoreJob(t.g, t.rs, created.body.id)).toBe(false);
    // What it was about to create never appears on the target.
    t.sim.clock.advance(DAY);
    const live = t.sim.store
      .getCluster(t.g, t.rs)
      ?.namespaces.filter(
        (n) =>
          n.collection === 'orders_x' &&
          n.createdAt <= t.sim.clock.now() &&
          (n.droppedAt ?? Infinity) > t.sim.clock.now(),
      );
    expect(live).toEqual([]);
  });
});

describe('listing and reading collection restore jobs', () => {
  it('lists newest first with pagination, filters collection states, and names what is missing', async () => {
    const a = await create({ collectionSuffix: '_a' });
    t.sim.clock.advance(1000);
    const b = await create({ collectionSuffix: '_b' });
    const page = await t.client.call<Page<Job>>(`${jobs()}?itemsPerPage=1`, { version: V });
    expect(page.body.totalCount).toBe(2);
    expect(page.body.results.map((j) => j.id)).toEqual([b.body.id]);
    expect(page.body.links.map((l) => l.rel)).toEqual(['self', 'next']);
    expect(
      (await t.client.call<Page<Job>>(`${jobs()}?pageNum=2&itemsPerPage=1`, { version: V })).body.results[0]
        ?.id,
    ).toBe(a.body.id);

    t.sim.clock.advance(initializing);
    expect((await states(a.body.id, '?sourceNamespace=sales.customers')).body.results).toHaveLength(1);
    expect((await states(a.body.id, '?targetNamespace=sales.orders_a')).body.results).toHaveLength(1);
    expect((await states(a.body.id, '?state=SUCCESSFUL')).body.results).toHaveLength(0);
    const badState = await t.client.call<ApiErrorBody>(`${jobs()}/${a.body.id}/collections?state=DONE`, {
      version: V,
    });
    expect(badState.status).toBe(400);
    expect(badState.body.errorCode).toBe('INVALID_QUERY_PARAMETER');

    const unknown = await t.client.call<ApiErrorBody>(`${jobs()}/${'a'.repeat(24)}`, { version: V });
    expect(unknown.status).toBe(404);
    expect(unknown.body.errorCode).toBe('COLLECTION_RESTORE_JOB_NOT_FOUND');
    const badId = await t.client.call<ApiErrorBody>(`${jobs()}/nope`, { version: V });
    expect(fieldsOf(badId.body)).toEqual(['jobId']);
    const notInJob = await t.client.call<ApiErrorBody>(`${jobs()}/${a.body.id}/collections/sales.returns`, {
      version: V,
    });
    expect(notInJob.body.errorCode).toBe('NAMESPACE_NOT_FOUND');
    // Another cluster's list does not show them.
    expect((await t.client.call<Page<Job>>(jobs(t.sharded), { version: V })).body.results).toEqual([]);
  });

  it('serves only version 2025-03-12 (the default without a versioned Accept)', async () => {
    const plain = await t.client.call(jobs(), { version: null });
    expect(plain.status).toBe(200);
    expect(plain.headers['content-type']).toContain('2025-03-12');
    const old = await t.client.call<ApiErrorBody>(jobs(), { version: '2023-01-01' });
    expect(old.status).toBe(406);
    expect(old.body.errorCode).toBe('INVALID_VERSION_DATE');
  });
});

describe('collection restore validation', () => {
  const refused: [string, Record<string, unknown>, number, string, string[]][] = [
    ['a missing writeStrategy', { writeStrategy: undefined }, 400, 'MISSING_ATTRIBUTE', ['writeStrategy']],
    ['an unknown writeStrategy', { writeStrategy: 'MERGE' }, 400, 'VALIDATION_ERROR', ['writeStrategy']],
    ['an unknown indexStrategy', { indexStrategy: 'SOME' }, 400, 'VALIDATION_ERROR', ['indexStrategy']],
    ['an unknown attribute', { deliveryType: 'automated' }, 400, 'INVALID_ATTRIBUTE', ['deliveryType']],
    [
      'databases and collections together',
      { databases: [{ sourceNamespace: 'sales' }] },
      400,
      'VALIDATION_ERROR',
      ['databases'],
    ],
    ['no namespaces', { collections: [] }, 400, 'VALIDATION_ERROR', ['collections']],
    [
      'more than 100 items',
      { collections: Array.from({ length: 101 }, (_, i) => ({ sourceNamespace: `sales.c${i}` })) },
      400,
      'VALIDATION_ERROR',
      ['collections'],
    ],
    [
      'a namespace without a collection',
      { collections: [{ sourceNamespace: 'orders' }, { sourceNamespace: 'sales.' }] },
      400,
      'VALIDATION_ERROR',
      ['collections[0].sourceNamespace', 'collections[1].sourceNamespace'],
    ],
    [
      'bad database characters, "$" and system collections',
      {
        collections: [
          { sourceNamespace: 'sa les.orders' },
          { sourceNamespace: 'sales.or$ders' },
          { sourceNamespace: 'sales.system.profile' },
        ],
      },
      400,
      'VALIDATION_ERROR',
      ['collections[0].sourceNamespace', 'collections[1].sourceNamespace', 'collections[2].sourceNamespace'],
    ],
    [
      'a namespace in databases',
      { collections: undefined, databases: [{ sourceNamespace: 'sales.orders' }] },
      400,
      'VALIDATION_ERROR',
      ['databases[0].sourceNamespace'],
    ],
    [
      'the same source twice',
      { collections: [{ sourceNamespace: 'sales.orders' }, { sourceNamespace: 'sales.orders' }] },
      400,
      'VALIDATION_ERROR',
      ['collections[1].sourceNamespace'],
    ],
    ['a suffix with a dot', { databaseSuffix: 'x.y' }, 400, 'VALIDATION_ERROR', ['databaseSuffix']],
    [
      'collectionSuffix on a database restore',
      { collections: undefined, databases: [{ sourceNamespace: 'sales' }], collectionSuffix: '_r' },
      400,
      'VALIDATION_ERROR',
      ['collectionSuffix'],
    ],
    [
      'a suffix beside a targetNamespace',
      { collections: [{ sourceNamespace: 'sales.orders', targetNamespace: 'x.y' }], collectionSuffix: '_r' },
      400,
      'VALIDATION_ERROR',
      ['collections[0].targetNamespace'],
    ],
    [
      'two sources onto one target',
      {
        collections: [
          { sourceNamespace: 'sales.orders', targetNamespace: 'x.same' },
          { sourceNamespace: 'sales.customers', targetNamespace: 'x.same' },
        ],
      },
      400,
      'VALIDATION_ERROR',
      ['targetNamespace'],
    ],
    [
      'a target in the admin database',
      { collections: [{ sourceNamespace: 'sales.orders', targetNamespace: 'admin.orders' }] },
      400,
      'VALIDATION_ERROR',
      ['targetNamespace'],
    ],
    [
      'a snapshot and a point in time',
      { pointInTimeUtcSeconds: 1_750_000_000 },
      400,
      'VALIDATION_ERROR',
      ['snapshotId'],
    ],
    [
      'neither a snapshot nor a point in time',
      { snapshotId: undefined },
      400,
      'VALIDATION_ERROR',
      ['snapshotId'],
    ],
    [
      'oplogTs without oplogInc',
      { snapshotId: undefined, oplogTs: 1_748_000_000 },
      400,
      'VALIDATION_ERROR',
      ['oplogInc'],
    ],
    [
      'a collection not in the snapshot',
      { collections: [{ sourceNamespace: 'sales.orders' }, { sourceNamespace: 'sales.ghosts' }] },
      400,
      'NAMESPACE_NOT_IN_SNAPSHOT',
      ['collections[1].sourceNamespace'],
    ],
    [
      'a database not in the snapshot',
      { collections: undefined, databases: [{ sourceNamespace: 'nothing' }] },
      400,
      'NAMESPACE_NOT_IN_SNAPSHOT',
      ['databases[0].sourceNamespace'],
    ],
    [
      'a time-series collection',
      { collections: [{ sourceNamespace: 'inventory.stock_levels' }] },
      400,
      'UNSUPPORTED_NAMESPACE',
      ['collections[0].sourceNamespace'],
    ],
    ['an unknown snapshot', { snapshotId: 'b'.repeat(24) }, 404, 'SNAPSHOT_NOT_FOUND', []],
    ['an unknown target project', { targetGroupId: 'c'.repeat(24) }, 404, 'GROUP_NOT_FOUND', []],
    ['an unknown target cluster', { targetClusterName: 'ghost' }, 404, 'CLUSTER_NOT_FOUND', []],
  ];

  it.each(refused)('refuses %s, creating nothing', async (_, fields, status, code, named) => {
    const res = await create(fields);
    expect(res.status).toBe(status);
    expect(res.body.errorCode).toBe(code);
    expect(fieldsOf(res.body)).toEqual(named);
    expect(t.sim.store.listCollectionRestoreJobs(t.g, t.rs)).toHaveLength(0);
  });

  it('refuses a Flex cluster as target or source, and an unfinished snapshot', async () => {
    expect((await create({ targetClusterName: t.flex })).body.errorCode).toBe('CLUSTER_NOT_FOUND');
    const fromFlex = await create({}, t.flex);
    expect(fromFlex.body.errorCode).toBe('CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API');
    const taken = await t.client.call<{ id: string }>(`/groups/${t.g}/clusters/${t.rs}/backup/snapshots`, {
      method: 'POST',
      body: {},
    });
    const pending = await create({ snapshotId: taken.body.id });
    expect(pending.status).toBe(400);
    expect(pending.body.errorCode).toBe('SNAPSHOT_NOT_COMPLETED');
  });

  it('takes null suffixes and an empty targetNamespace as none', async () => {
    const res = await create({
      databaseSuffix: null,
      collectionSuffix: null,
      collections: [{ sourceNamespace: 'sales.réclamations', targetNamespace: '' }],
    });
    expect(res.status).toBe(201);
    expect(res.body.collections).toEqual([
      { sourceNamespace: 'sales.réclamations', targetNamespace: 'sales.réclamations' },
    ]);
    expect(res.body).toMatchObject({ databaseSuffix: '', collectionSuffix: '' });
  });

  it('accepts any script in names and suffixes', async () => {
    const res = await create({
      collections: undefined,
      databases: [{ sourceNamespace: '마케팅' }],
      databaseSuffix: '_복원',
    });
    expect(res.status).toBe(201);
    expect(res.body.databases).toEqual([{ sourceNamespace: '마케팅', targetNamespace: '마케팅_복원' }]);
    t.sim.clock.advance(initializing);
    expect(Object.keys(await byNamespace(res.body.id)).sort()).toEqual(['마케팅.구독자', '마케팅.캠페인']);
    expect((await byNamespace(res.body.id))['마케팅.캠페인']?.effectiveTargetNamespace).toBe(
      '마케팅_복원.캠페인',
    );
    const encoded = await t.client.call<CollectionState>(
      `${jobs()}/${res.body.id}/collections/${encodeURIComponent('마케팅.캠페인')}`,
      { version: V },
    );
    expect(encoded.body.targetNamespace).toBe('마케팅_복원.캠페인');
  });
});
