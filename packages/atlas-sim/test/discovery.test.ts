import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY, HOUR, startTestSim, type ApiErrorBody, type Page, type TestSim } from './support/sim.js';

const V = '2025-03-12';

interface Named {
  name: string;
  links: { href: string; rel: string }[];
}

let t: TestSim;
beforeAll(async () => {
  t = await startTestSim();
});
afterAll(async () => {
  await t.sim.close();
});

/** The newest completed snapshot of a cluster created before `age` ago. */
function snapshotOlderThan(age: number, cluster = t.rs): string {
  const now = t.sim.clock.now();
  const found = t.sim.store
    .listSnapshots(t.g, cluster)
    .find((s) => s.createdAt < now - age && s.doneAt <= now && s.outcome === 'succeeded');
  if (!found) throw new Error('no such snapshot');
  return found.id;
}

const dbs = (snapshotId: string, cluster = t.rs) =>
  `/groups/${t.g}/clusters/${cluster}/backup/snapshots/${snapshotId}/databases`;
const names = async (path: string) =>
  (await t.client.call<Page<Named>>(path, { version: V })).body.results.map((r) => r.name);

describe('the databases and collections in a snapshot', () => {
  it('lists databases and collections of the replica set, sorted, any script included', async () => {
    const id = snapshotOlderThan(0);
    expect(await names(dbs(id))).toEqual(['inventory', 'sales', '마케팅']);
    expect(await names(`${dbs(id)}/sales/collections`)).toEqual([
      'customers',
      'orders',
      'orders.archive',
      'returns',
      'réclamations',
    ]);
    expect(await names(`${dbs(id)}/${encodeURIComponent('마케팅')}/collections`)).toEqual([
      '구독자',
      '캠페인',
    ]);
    expect(await names(`${dbs(id)}/inventory/collections`)).toEqual(['items', 'stock_levels']);
  });

  it('holds only what existed when the snapshot was taken', async () => {
    // sales.returns was created 2 days ago; sales.orders_tmp lived from 20 days ago until yesterday.
    const threeDaysOld = snapshotOlderThan(3 * DAY);
    const sales = await names(`${dbs(threeDaysOld)}/sales/collections`);
    expect(sales).toContain('orders_tmp');
    expect(sales).not.toContain('returns');
    const recent = await names(`${dbs(snapshotOlderThan(0))}/sales/collections`);
    expect(recent).toContain('returns');
    expect(recent).not.toContain('orders_tmp');
  });

  it('serves the sharded cluster and the other projects from their own data', async () => {
    expect(await names(dbs(snapshotOlderThan(0, t.sharded), t.sharded))).toEqual(['audit', 'events']);
    const staging = t.sim.seed.projects[1];
    const cluster = staging?.clusters[0]?.name ?? '';
    const snapshot = t.sim.store
      .listSnapshots(staging?.id ?? '', cluster)
      .find((s) => s.outcome === 'succeeded');
    const res = await t.client.call<Page<Named>>(
      `/groups/${staging?.id}/clusters/${cluster}/backup/snapshots/${snapshot?.id}/databases`,
      { version: V },
    );
    expect(res.body.results.map((r) => r.name)).toEqual(['inventory', 'sales']);
  });

  it('gets one database or collection, with a self link that names it', async () => {
    const id = snapshotOlderThan(0);
    const db = await t.client.call<Named>(`${dbs(id)}/sales`, { version: V });
    expect(db.status).toBe(200);
    expect(db.body.name).toBe('sales');
    expect(db.body.links[0]?.href).toBe(`${t.sim.url}/api/atlas/v2${dbs(id)}/sales`);
    const coll = await t.client.call<Named>(`${dbs(id)}/sales/collections/orders.archive`, { version: V });
    expect(coll.body.name).toBe('orders.archive');
    const accented = await t.client.call<Named>(
      `${dbs(id)}/sales/collections/${encodeURIComponent('réclamations')}`,
      { version: V },
    );
    expect(accented.body.name).toBe('réclamations');
    expect(accented.body.links[0]?.href).toContain('r%C3%A9clamations');
  });

  it('paginates like every list', async () => {
    const id = snapshotOlderThan(0);
    const page = await t.client.call<Page<Named>>(`${dbs(id)}/sales/collections?itemsPerPage=2&pageNum=2`, {
      version: V,
    });
    expect(page.body.totalCount).toBe(5);
    expect(page.body.results.map((r) => r.name)).toEqual(['orders.archive', 'returns']);
    expect(page.body.links.map((l) => l.rel)).toEqual(['self', 'previous', 'next']);
    const uncounted = await t.client.call<Page<Named>>(`${dbs(id)}?includeCount=false`, { version: V });
    expect(uncounted.body.totalCount).toBeUndefined();
  });

  it('answers 404 for what the snapshot lacks and 400 for a snapshot still running', async () => {
    const id = snapshotOlderThan(0);
    const noDb = await t.client.call<ApiErrorBody>(`${dbs(id)}/nothing`, { version: V });
    expect(noDb.status).toBe(404);
    expect(noDb.body.errorCode).toBe('DATABASE_NOT_FOUND');
    const noDbColls = await t.client.call<ApiErrorBody>(`${dbs(id)}/nothing/collections`, { version: V });
    expect(noDbColls.body.errorCode).toBe('DATABASE_NOT_FOUND');
    const noColl = await t.client.call<ApiErrorBody>(`${dbs(id)}/sales/collections/ghosts`, { version: V });
    expect(noColl.status).toBe(404);
    expect(noColl.body.errorCode).toBe('COLLECTION_NOT_FOUND');
    const noSnapshot = await t.client.call<ApiErrorBody>(dbs('d'.repeat(24)), { version: V });
    expect(noSnapshot.body.errorCode).toBe('SNAPSHOT_NOT_FOUND');
    const taken = await t.client.call<{ id: string }>(`/groups/${t.g}/clusters/${t.rs}/backup/snapshots`, {
      method: 'POST',
      body: {},
    });
    const running = await t.client.call<ApiErrorBody>(dbs(taken.body.id), { version: V });
    expect(running.status).toBe(400);
    expect(running.body.errorCode).toBe('SNAPSHOT_NOT_COMPLETED');
    t.sim.clock.advance(HOUR);
    expect(await names(dbs(taken.body.id))).toEqual(['inventory', 'sales', '마케팅']);
  });
});
