import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AtlasCall } from '../src/index.js';
import { simHarness, type SimHarness } from './support/sim.js';

/** The transport's observer: what the bot's metrics and logs count, one record per exchange. */
describe('the Atlas call observer', () => {
  let h: SimHarness;
  beforeEach(async () => {
    h = await simHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('sees every attempt with its operation and status, a 429 and its retry included', async () => {
    const calls: AtlasCall[] = [];
    const client = h.client({ observer: (call) => calls.push(call) });
    h.sim.faults.inject({ status: 429, path: /\/groups$/, retryAfterSeconds: 1 });
    await client.listProjects();
    expect(calls.map((c) => [c.operationId, c.method, c.status, c.attempt])).toEqual([
      ['listProjects', 'GET', 429, 1],
      ['listProjects', 'GET', 200, 2],
    ]);
    expect(calls.every((c) => c.durationMs >= 0)).toBe(true);
  });

  it('records an exchange with no answer as a network error', async () => {
    const calls: AtlasCall[] = [];
    const client = h.client({ observer: (call) => calls.push(call), retry: { maxAttempts: 1 } });
    h.sim.faults.inject({ kind: 'reset', path: /\/groups$/ });
    await expect(client.listProjects()).rejects.toMatchObject({ code: 'TRANSPORT_FAILED' });
    expect(calls.map((c) => c.status)).toEqual(['network_error']);
  });

  it('keeps the call working when the observer throws', async () => {
    const client = h.client({
      observer: () => {
        throw new Error('a broken metrics sink');
      },
    });
    expect((await client.listProjects()).results.length).toBeGreaterThan(0);
  });

  it('obtains a service account token as the readiness check, and refuses wrong credentials', async () => {
    await expect(h.client().credentialsReady()).resolves.toBeUndefined();
    const wrong = h.client({
      credentials: { kind: 'serviceAccount', clientId: 'mdb_sa_id_nobody', clientSecret: 'wrong' },
    });
    await expect(wrong.credentialsReady()).rejects.toMatchObject({ code: expect.any(String) as string });
    const apiKey = h.client({
      credentials: { kind: 'apiKey', publicKey: 'anyone', privateKey: 'anything' },
    });
    await expect(apiKey.credentialsReady()).resolves.toBeUndefined();
  });
});
