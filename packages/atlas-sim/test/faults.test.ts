import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseFaultSpec } from '../src/index.js';
import { FaultInjector } from '../src/faults.js';
import { Rng } from '../src/rng.js';
import { startTestSim, type ApiErrorBody, type Page, type TestSim } from './support/sim.js';

let t: TestSim;
beforeEach(async () => {
  t = await startTestSim();
});
afterEach(async () => {
  await t.sim.close();
});

describe('injected faults', () => {
  it('answers 429 with Retry-After and RateLimit headers the given number of times', async () => {
    t.sim.faults.inject({ status: 429, retryAfterSeconds: 2, times: 2, method: 'GET', path: /snapshots/ });
    const path = `/groups/${t.g}/clusters/${t.rs}/backup/snapshots`;
    expect((await t.client.call(`/groups/${t.g}`)).status).toBe(200);
    for (let i = 0; i < 2; i++) {
      const res = await t.client.call<ApiErrorBody>(path);
      expect(res.status).toBe(429);
      expect(res.headers['retry-after']).toBe('2');
      expect(res.headers['ratelimit-limit']).toBe('100');
      expect(res.headers['ratelimit-remaining']).toBe('0');
      expect(res.body).toMatchObject({ error: 429, errorCode: 'RATE_LIMITED', reason: 'Too Many Requests' });
    }
    expect((await t.client.call(path)).status).toBe(200);
    expect(t.sim.faults.pending).toBe(0);
    expect(t.sim.faults.fired).toBe(2);
  });

  it('answers 500 and 503', async () => {
    t.sim.faults.inject({ status: 500 });
    t.sim.faults.inject({ status: 503, retryAfterSeconds: 5 });
    const a = await t.client.call<ApiErrorBody>(`/groups`);
    const b = await t.client.call<ApiErrorBody>(`/groups`);
    expect([a.status, a.body.errorCode]).toEqual([500, 'UNEXPECTED_ERROR']);
    expect([b.status, b.body.errorCode, b.headers['retry-after']]).toEqual([503, 'SERVICE_UNAVAILABLE', '5']);
  });

  it('resets the connection after a create has taken effect', async () => {
    await t.client.fetchToken();
    const jobs = `/groups/${t.g}/clusters/${t.rs}/backup/restoreJobs`;
    const before = (await t.client.call<Page<{ id: string }>>(jobs)).body.totalCount ?? 0;
    const snapshots = await t.client.call<Page<{ id: string; status: string }>>(
      `/groups/${t.g}/clusters/${t.rs}/backup/snapshots`,
    );
    const snapshotId = snapshots.body.results.find((s) => s.status === 'completed')?.id;
    t.sim.faults.inject({ kind: 'reset', when: 'after', times: 1, method: 'POST', path: /restoreJobs$/ });
    await expect(
      t.client.call(jobs, { method: 'POST', body: { deliveryType: 'download', snapshotId } }),
    ).rejects.toThrow();
    const after = await t.client.call<Page<{ id: string; snapshotId: string }>>(jobs);
    expect(after.body.totalCount).toBe(before + 1);
    expect(after.body.results[0]?.snapshotId).toBe(snapshotId);
    expect(t.sim.requests.find((r) => r.method === 'POST' && r.path.endsWith('/restoreJobs'))?.status).toBe(
      0,
    );
  });

  it('answers an injected status with the errorCode and detail it was given', async () => {
    const path = `/groups/${t.g}/serverless/${t.serverless}/backup/snapshots`;
    t.sim.faults.inject({
      status: 404,
      errorCode: 'RESOURCE_NOT_FOUND',
      detail: 'Cannot find resource.',
      path,
    });
    t.sim.faults.inject({ status: 400, errorCode: 'INVALID_VERSION_DATE', path });
    const gone = await t.client.call<ApiErrorBody>(path);
    expect([gone.status, gone.body.errorCode, gone.body.detail]).toEqual([
      404,
      'RESOURCE_NOT_FOUND',
      'Cannot find resource.',
    ]);
    const version = await t.client.call<ApiErrorBody>(path);
    expect([version.status, version.body.errorCode, version.body.reason]).toEqual([
      400,
      'INVALID_VERSION_DATE',
      'Bad Request',
    ]);
    expect((await t.client.call(path)).status).toBe(200);
  });

  it('answers a create that took effect with a body cut short', async () => {
    await t.client.fetchToken();
    const path = `/groups/${t.g}/clusters/${t.rs}/backup/snapshots`;
    const before = (await t.client.call<Page<unknown>>(path)).body.totalCount ?? 0;
    t.sim.faults.inject({ kind: 'malformed', method: 'POST', path: /backup\/snapshots$/ });
    const res = await t.client.call(path, { method: 'POST', body: { description: 'cut short' } });
    expect(res.status).toBe(200);
    expect(() => JSON.parse(res.text) as unknown).toThrow();
    expect(res.text.length).toBeGreaterThan(0);
    const after = await t.client.call<Page<{ description?: string }>>(path);
    expect(after.body.totalCount).toBe(before + 1);
    expect(after.body.results[0]?.description).toBe('cut short');
  });

  it('resets before handling: nothing is created', async () => {
    await t.client.fetchToken();
    const path = `/groups/${t.g}/clusters/${t.rs}/backup/snapshots`;
    const before = (await t.client.call<Page<unknown>>(path)).body.totalCount;
    t.sim.faults.inject({ kind: 'reset', when: 'before', method: 'POST' });
    await expect(t.client.call(path, { method: 'POST', body: {} })).rejects.toThrow();
    expect((await t.client.call<Page<unknown>>(path)).body.totalCount).toBe(before);
  });

  it('delays responses', async () => {
    t.sim.faults.inject({ kind: 'delay', ms: 150, path: `/groups/${t.g}` });
    const start = performance.now();
    expect((await t.client.call(`/groups/${t.g}`)).status).toBe(200);
    expect(performance.now() - start).toBeGreaterThanOrEqual(140);
  });

  it('applies to the OAuth endpoints when the path says so', async () => {
    t.sim.faults.inject({ status: 503, path: '/api/oauth/token' });
    const res = await request(`${t.sim.url}/api/oauth/token`, {
      method: 'POST',
      body: 'grant_type=client_credentials',
    });
    expect(res.statusCode).toBe(503);
    await res.body.dump();
  });
});

describe('random faults', () => {
  it('parse the --faults grammar and reject bad items', () => {
    expect(
      parseFaultSpec('429:0.2, 503:0.05,reset:0.01,reset-after:0.5,slow:200ms,slow:2s:0.1'),
    ).toHaveLength(6);
    expect(() => parseFaultSpec('429:1.5')).toThrow(/probability/);
    expect(() => parseFaultSpec('boom:0.1')).toThrow(/kind/);
    expect(() => parseFaultSpec('slow:fast')).toThrow(/slow/);
  });

  it('replay from the seed', () => {
    const run = (seed: number) => {
      const injector = new FaultInjector(new Rng(seed), '429:0.3,500:0.1');
      return Array.from(
        { length: 50 },
        () => injector.decide('GET', '/api/atlas/v2/groups').action?.kind ?? '-',
      );
    };
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
    expect(run(7).filter((k) => k === 'status').length).toBeGreaterThan(5);
  });

  it('are switched per run with the faults option', async () => {
    await t.sim.close();
    t = await startTestSim({ faults: '503:1' });
    expect((await t.client.call(`/groups`)).status).toBe(503);
    t.sim.faults.configure('');
    expect((await t.client.call(`/groups`)).status).toBe(200);
  });
});
