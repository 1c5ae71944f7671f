import { afterEach, describe, expect, it } from 'vitest';
import { AtlasApiError } from '../src/index.js';
import { served, simHarness, type SimHarness } from './support/sim.js';

let h: SimHarness;
afterEach(async () => {
  await h.close();
});

describe('service account (OAuth client credentials)', () => {
  it('fetches one token however many calls wait for it, and revokes it on close', async () => {
    h = await simHarness();
    const client = h.client();
    const projects = await Promise.all(Array.from({ length: 20 }, () => client.listProjects()));
    expect(projects.every((p) => p.results.length > 0)).toBe(true);
    expect(h.sim.stats.tokensIssued).toBe(1);
    await client.close();
    expect(h.sim.stats.tokensRevoked).toBe(1);
  });

  it('renews the token shortly before it expires', async () => {
    h = await simHarness({ tokenLifetimeSeconds: 600 });
    const client = h.client({ now: () => h.sim.clock.now() });
    await client.listProjects();
    h.sim.clock.advance(550_000); // inside the renewal margin
    await client.listProjects();
    expect(h.sim.stats.tokensIssued).toBe(2);
    expect(served(h.sim, 'GET', /\/groups$/).every((r) => r.status === 200)).toBe(true);
  });

  it('gets a new token when Atlas refuses an expired one, without failing the call', async () => {
    h = await simHarness({ tokenLifetimeSeconds: 600 });
    const client = h.client(); // its own clock does not see the simulator's jump
    await client.listProjects();
    h.sim.clock.advance(700_000);
    await expect(client.listProjects()).resolves.toMatchObject({ results: expect.any(Array) });
    expect(h.sim.stats.tokensIssued).toBe(2);
    expect(served(h.sim, 'GET', /\/groups$/).map((r) => r.status)).toEqual([200, 401, 200]);
  });

  it('reports wrong credentials with a code and hint, never the secret', async () => {
    h = await simHarness();
    const client = h.client({
      credentials: {
        kind: 'serviceAccount',
        clientId: h.sim.credentials.clientId,
        clientSecret: 'not-the-secret-xyz',
      },
    });
    const error = await client.listProjects().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AtlasApiError);
    expect(error).toMatchObject({ code: 'ATLAS_UNAUTHORIZED', status: 401 });
    expect((error as AtlasApiError).hint).toMatch(/MONGODB_ATLAS_CLIENT_ID/);
    expect(JSON.stringify(error) + String(error)).not.toContain('not-the-secret-xyz');
  });
});

describe('API keys (HTTP Digest)', () => {
  const apiKeyClient = (harness: SimHarness) =>
    harness.client({
      credentials: {
        kind: 'apiKey',
        publicKey: harness.sim.credentials.publicKey,
        privateKey: harness.sim.credentials.privateKey,
      },
    });

  it('answers the challenge once, then reuses the nonce', async () => {
    h = await simHarness();
    const client = apiKeyClient(h);
    await client.listProjects();
    await client.listProjects();
    await client.listProjects();
    expect(served(h.sim, 'GET', /\/groups$/).map((r) => r.status)).toEqual([401, 200, 200, 200]);
  });

  it('re-answers a stale nonce transparently', async () => {
    h = await simHarness();
    const client = apiKeyClient(h);
    await client.listProjects();
    h.sim.auth.expireNonces();
    await client.listProjects();
    expect(served(h.sim, 'GET', /\/groups$/).map((r) => r.status)).toEqual([401, 200, 401, 200]);
  });

  it('gives up after one challenge when the keys are wrong', async () => {
    h = await simHarness();
    const client = h.client({
      credentials: {
        kind: 'apiKey',
        publicKey: h.sim.credentials.publicKey,
        privateKey: 'wrong-private-key',
      },
    });
    await expect(client.listProjects()).rejects.toMatchObject({ code: 'ATLAS_UNAUTHORIZED' });
    expect(served(h.sim, 'GET', /\/groups$/).map((r) => r.status)).toEqual([401, 401]);
  });
});
