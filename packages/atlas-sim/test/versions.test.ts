import { afterEach, describe, expect, it } from 'vitest';
import { startTestSim, type ApiErrorBody, type Page, type TestSim } from './support/sim.js';

let t: TestSim | undefined;
afterEach(async () => {
  await t?.sim.close();
  t = undefined;
});

describe('versioned media types', () => {
  it('serves the version asked for and labels the response with it', async () => {
    t = await startTestSim();
    const res = await t.client.call<Record<string, unknown>>(`/groups/${t.g}/clusters/${t.sharded}`, {
      version: '2024-08-05',
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.atlas.2024-08-05+json;charset=utf-8');
    const specs = res.body.replicationSpecs as Record<string, unknown>[];
    expect(specs).toHaveLength(2);
    expect(specs[0]).not.toHaveProperty('numShards');
    expect(res.headers.sunset).toBeUndefined();

    const old = await t.client.call<Record<string, unknown>>(`/groups/${t.g}/clusters/${t.sharded}`, {
      version: '2023-02-01',
    });
    expect(old.headers['content-type']).toContain('2023-02-01');
    expect((old.body.replicationSpecs as Record<string, unknown>[])[0]?.numShards).toBe(2);
    expect(old.headers.sunset).toBe(new Date('2027-07-01T00:00:00Z').toUTCString());

    const legacy = await t.client.call<Record<string, unknown>>(`/groups/${t.g}/clusters/${t.rs}`, {
      version: '2023-01-01',
    });
    expect(legacy.body.providerSettings).toMatchObject({ providerName: 'AWS', instanceSizeName: 'M30' });
  });

  it('serves the oldest version when Accept names none', async () => {
    t = await startTestSim();
    const res = await t.client.call(`/groups/${t.g}/clusters`, { version: null });
    expect(res.headers['content-type']).toContain('application/vnd.atlas.2023-01-01+json');
    const flex = await t.client.call(`/groups/${t.g}/flexClusters`, { accept: '*/*' });
    expect(flex.status).toBe(200);
    expect(flex.headers['content-type']).toContain('2024-11-13');
  });

  it('refuses a version the operation does not offer with 406', async () => {
    t = await startTestSim();
    const res = await t.client.call<ApiErrorBody>(`/groups/${t.g}/clusters/${t.rs}/backup/snapshots`, {
      version: '2024-08-05',
    });
    expect(res.status).toBe(406);
    expect(res.body.errorCode).toBe('INVALID_VERSION_DATE');
    expect(res.body.detail).toContain('2023-01-01');
    const malformed = await t.client.call<ApiErrorBody>(`/groups/${t.g}`, {
      accept: 'application/vnd.atlas.2023-13-45+json',
    });
    expect(malformed.status).toBe(406);
  });

  it('answers 410 VERSION_GONE for serverless backups after their sunset, 200 before', async () => {
    t = await startTestSim();
    const path = `/groups/${t.g}/serverless/${t.serverless}/backup/snapshots`;
    expect((await t.client.call(path)).status).toBe(200);
    t.sim.clock.set(new Date('2026-01-21T23:59:59Z'));
    expect((await t.client.call(path)).status).toBe(200);
    t.sim.clock.set(new Date('2026-01-22T00:00:00Z'));
    const gone = await t.client.call<ApiErrorBody>(path);
    expect(gone.status).toBe(410);
    expect(gone.body).toMatchObject({ error: 410, errorCode: 'VERSION_GONE', reason: 'Gone' });
    const create = await t.client.call(`/groups/${t.g}/serverless/${t.serverless}/backup/restoreJobs`, {
      method: 'POST',
      body: { deliveryType: 'automated' },
    });
    expect(create.status).toBe(410);
  });

  it('serves a serverless instance through the Flex API (as migrated), same snapshot ids', async () => {
    t = await startTestSim();
    const serverlessIds = await t.client.call<Page<{ id: string }>>(
      `/groups/${t.g}/serverless/${t.serverless}/backup/snapshots`,
    );
    const flexPath = `/groups/${t.g}/flexClusters/${t.serverless}/backup/snapshots`;
    const flexIds = await t.client.call<Page<{ id: string }>>(flexPath, { version: '2024-11-13' });
    expect(flexIds.body.results.map((s) => s.id)).toEqual(serverlessIds.body.results.map((s) => s.id));
    await t.sim.close();

    t = await startTestSim({ now: new Date('2026-06-01T00:00:00Z') });
    const flex = await t.client.call<Page<{ id: string }>>(
      flexPath.replace(/groups\/[^/]+/, `groups/${t.g}`),
      {
        version: '2024-11-13',
      },
    );
    const id = flex.body.results[0]?.id ?? '';
    expect(id).toMatch(/^[a-f0-9]{24}$/);
    expect(
      (await t.client.call(`/groups/${t.g}/serverless/${t.serverless}/backup/snapshots/${id}`)).status,
    ).toBe(410);
    expect(
      (
        await t.client.call(`/groups/${t.g}/flexClusters/${t.serverless}/backup/snapshots/${id}`, {
          version: '2024-11-13',
        })
      ).status,
    ).toBe(200);
    const cluster = await t.client.call<{ name: string }>(`/groups/${t.g}/flexClusters/${t.serverless}`, {
      version: '2024-11-13',
    });
    expect(cluster.body.name).toBe(t.serverless);
    const listed = await t.client.call<Page<{ name: string }>>(`/groups/${t.g}/flexClusters`, {
      version: '2024-11-13',
    });
    expect(listed.body.results.map((c) => c.name)).not.toContain(t.serverless);
  });

  it('is past the serverless sunset by default (the real clock)', async () => {
    t = await startTestSim({ clock: 'real', now: new Date('2026-11-27T00:00:00Z') });
    expect((await t.client.call(`/groups/${t.g}/serverless/${t.serverless}/backup/restoreJobs`)).status).toBe(
      410,
    );
    expect((await t.client.call(`/groups/${t.g}/serverless/${t.serverless}`)).status).toBe(200);
  });
});

describe('routing', () => {
  it('answers unknown paths with 404 RESOURCE_NOT_FOUND and wrong methods with 405', async () => {
    t = await startTestSim();
    const missing = await t.client.call<ApiErrorBody>(`/groups/${t.g}/nothing-here`);
    expect(missing.status).toBe(404);
    expect(missing.body.errorCode).toBe('RESOURCE_NOT_FOUND');
    const wrong = await t.client.call<ApiErrorBody>(`/groups/${t.g}/clusters/${t.rs}/backup/snapshots`, {
      method: 'PATCH',
      body: {},
    });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe('GET, POST');
  });

  it('routes literal segments before ids', async () => {
    t = await startTestSim();
    const res = await t.client.call<Page<unknown>>(
      `/groups/${t.g}/clusters/${t.sharded}/backup/snapshots/shardedClusters`,
    );
    expect(res.status).toBe(200);
    expect(res.body.results.length).toBeGreaterThan(0);
  });

  it('tells a flex cluster apart on the cluster API', async () => {
    t = await startTestSim();
    const res = await t.client.call<ApiErrorBody>(`/groups/${t.g}/clusters/${t.flex}/backup/snapshots`);
    expect(res.status).toBe(400);
    expect(res.body.errorCode).toBe('CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API');
  });
});
