import { afterEach, describe, expect, it } from 'vitest';
import { parseRateLimitSpec, startSimulator, type SimulatorOptions } from '../src/index.js';
import { TestClient } from './support/client.js';
import { startTestSim, type ApiErrorBody, type TestSim } from './support/sim.js';

const sims: TestSim[] = [];
afterEach(async () => {
  await Promise.all(sims.splice(0).map((s) => s.sim.close()));
});

async function start(rateLimit?: SimulatorOptions['rateLimit']): Promise<TestSim> {
  const t = await startTestSim(rateLimit === undefined ? {} : { rateLimit });
  sims.push(t);
  return t;
}

const header = (res: { headers: Record<string, string | string[] | undefined> }, name: string) =>
  res.headers[name.toLowerCase()];

describe('rate limiting', () => {
  it('is off by default: no RateLimit headers and no 429s', async () => {
    const t = await start();
    expect(t.sim.rateLimits.enabled).toBe(false);
    for (let i = 0; i < 120; i++) {
      const res = await t.client.call(`/groups/${t.g}/clusters/${t.rs}/backup/snapshots?itemsPerPage=1`);
      expect(res.status).toBe(200);
      if (i === 0) expect(header(res, 'RateLimit-Limit')).toBeUndefined();
    }
    expect(t.sim.requestCounts().rateLimited).toBe(0);
  });

  it('spends a token bucket per endpoint set and project, then answers 429 with Retry-After until it refills', async () => {
    const t = await start('3:1/10s');
    const snapshots = `/groups/${t.g}/clusters/${t.rs}/backup/snapshots`;
    for (const left of ['2', '1', '0']) {
      const res = await t.client.call(snapshots);
      expect(res.status).toBe(200);
      expect(header(res, 'RateLimit-Limit')).toBe('3');
      expect(header(res, 'RateLimit-Remaining')).toBe(left);
    }
    const refused = await t.client.call<ApiErrorBody>(snapshots);
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({
      error: 429,
      errorCode: 'RATE_LIMITED_TOKEN_BUCKET',
      reason: 'Too Many Requests',
    });
    expect(refused.body.detail).toBe(
      'Rate limit exceeded for api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/snapshots. Please retry after 10 seconds. Request capacity: 3. Refill rate: 1 per 10 seconds.',
    );
    expect(header(refused, 'Retry-After')).toBe('10');
    expect(header(refused, 'RateLimit-Remaining')).toBe('0');

    // The same set on another cluster of the project shares the bucket; other sets and projects do not.
    expect((await t.client.call(`/groups/${t.g}/clusters/${t.sharded}/backup/snapshots`)).status).toBe(429);
    expect((await t.client.call(`/groups/${t.g}/clusters`)).status).toBe(200);
    const staging = t.sim.seed.projects[1];
    expect(
      (await t.client.call(`/groups/${staging?.id}/clusters/${staging?.clusters[0]?.name}/backup/snapshots`))
        .status,
    ).toBe(200);

    t.sim.clock.advance(9_000);
    const still = await t.client.call(snapshots);
    expect(still.status).toBe(429);
    expect(header(still, 'Retry-After')).toBe('1');
    t.sim.clock.advance(1_000);
    const refilled = await t.client.call(snapshots);
    expect(refilled.status).toBe(200);
    expect(header(refilled, 'RateLimit-Remaining')).toBe('0');
    // Refills stop at the capacity.
    t.sim.clock.advance(10 * 60_000);
    expect(header(await t.client.call(snapshots), 'RateLimit-Remaining')).toBe('2');
  });

  it('puts the headers on errors too, counts them, and leaves unauthenticated requests alone', async () => {
    const t = await start('2/60s');
    const missing = await t.client.call(`/groups/${t.g}/clusters/${t.rs}/backup/snapshots/${'f'.repeat(24)}`);
    expect(missing.status).toBe(404);
    expect(header(missing, 'RateLimit-Remaining')).toBe('1');
    const anonymous = await fetch(
      `${t.sim.url}/api/atlas/v2/groups/${t.g}/clusters/${t.rs}/backup/snapshots`,
    );
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('RateLimit-Limit')).toBeNull();
    expect(
      header(await t.client.call(`/groups/${t.g}/clusters/${t.rs}/backup/snapshots`), 'RateLimit-Remaining'),
    ).toBe('0');
  });

  it('scopes listing projects by user: each credential has its own bucket', async () => {
    const t = await start('1/60s');
    expect((await t.client.call('/groups')).status).toBe(200);
    expect((await t.client.call('/groups')).status).toBe(429);
    const digest = new TestClient(t.sim, 'digest');
    expect((await digest.call('/groups')).status).toBe(200);
    const buckets = t.sim.rateLimits.buckets().filter((b) => b.endpointSet === 'projects');
    expect(buckets.map((b) => [b.scope, b.key, b.remaining]).sort()).toEqual(
      [
        ['USER', t.sim.credentials.clientId, 0],
        ['USER', t.sim.credentials.publicKey, 0],
      ].sort(),
    );
  });

  it('takes per-set limits, and can be reconfigured, refilled or turned off while running', async () => {
    const t = await start({
      capacity: 50,
      sets: { backupRestores: { capacity: 1, refillDurationSeconds: 5 } },
    });
    expect(t.sim.rateLimits.limitsOf('backupRestores')).toEqual({
      capacity: 1,
      refillRate: 1,
      refillDurationSeconds: 5,
    });
    expect(t.sim.rateLimits.limitsOf('deployments')).toEqual({
      capacity: 50,
      refillRate: 50,
      refillDurationSeconds: 60,
    });
    expect(t.sim.rateLimits.endpointSetOf('createGroupClusterCollectionRestoreJob')).toBe('backupRestores');
    expect(t.sim.rateLimits.endpointSetOf('listGroupClusterBackupSnapshotDatabases')).toBe('backupSnapshots');
    expect(t.sim.rateLimits.endpointSetOf('getGroupBackupCompliancePolicy')).toBe('backupSettings');
    const restores = `/groups/${t.g}/clusters/${t.rs}/backup/restoreJobs`;
    expect((await t.client.call(restores)).status).toBe(200);
    const refused = await t.client.call(restores);
    expect(refused.status).toBe(429);
    expect(header(refused, 'Retry-After')).toBe('5');
    t.sim.rateLimits.reset();
    expect((await t.client.call(restores)).status).toBe(200);
    t.sim.rateLimits.configure(false);
    const off = await t.client.call(restores);
    expect(off.status).toBe(200);
    expect(header(off, 'RateLimit-Limit')).toBeUndefined();
    t.sim.rateLimits.configure('on');
    expect(header(await t.client.call(restores), 'RateLimit-Limit')).toBe('100');
  });
});

describe('request counts', () => {
  it('count every request, per operation, with the 429s, until reset', async () => {
    const t = await start('1/60s');
    await t.client.fetchToken();
    t.sim.resetRequestCounts();
    await t.client.call(`/groups/${t.g}/clusters/${t.rs}/backup/snapshots`);
    await t.client.call(`/groups/${t.g}/clusters/${t.rs}/backup/snapshots`);
    await t.client.call(`/groups/${t.g}/nowhere`);
    const counts = t.sim.requestCounts();
    expect(counts).toMatchObject({ total: 3, atlas: 3, rateLimited: 1 });
    expect(counts.byOperation).toEqual({
      listGroupClusterBackupSnapshots: { requests: 2, rateLimited: 1 },
      '(unrouted)': { requests: 1, rateLimited: 0 },
    });
    t.sim.resetRequestCounts();
    expect(t.sim.requestCounts()).toEqual({ total: 0, atlas: 0, rateLimited: 0, byOperation: {} });
    await new TestClient(t.sim).fetchToken();
    expect(t.sim.requestCounts()).toMatchObject({
      total: 1,
      atlas: 0,
      byOperation: { '(oauth)': { requests: 1 } },
    });
  });
});

describe('rate limit specs', () => {
  it('parse on, off and bucket shapes, and refuse anything else', () => {
    expect(parseRateLimitSpec('on')).toEqual({});
    expect(parseRateLimitSpec('atlas')).toEqual({});
    expect(parseRateLimitSpec('off')).toBe(false);
    expect(parseRateLimitSpec('100/60s')).toEqual({
      capacity: 100,
      refillRate: 100,
      refillDurationSeconds: 60,
    });
    expect(parseRateLimitSpec('10:5/60s')).toEqual({
      capacity: 10,
      refillRate: 5,
      refillDurationSeconds: 60,
    });
    for (const bad of ['', 'fast', '0/60s', '10:0/60s', '10/0s', '10/60', '-1/60s'])
      expect(() => parseRateLimitSpec(bad), bad).toThrow(/bad rate limit/);
  });

  it('refuse bad options when the simulator starts', async () => {
    await expect(startSimulator({ rateLimit: 'sometimes' })).rejects.toThrow(/rateLimit: bad rate limit/);
    await expect(startSimulator({ rateLimit: { capacity: 0 } })).rejects.toThrow(
      /capacity must be an integer >= 1/,
    );
  });
});
