import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TestClient } from './support/client.js';
import { startTestSim, type ApiErrorBody, type TestSim } from './support/sim.js';

let t: TestSim;
beforeEach(async () => {
  t = await startTestSim({ tokenLifetimeSeconds: 600, nonceLifetimeSeconds: 120 });
});
afterEach(async () => {
  await t.sim.close();
});

function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}

async function raw(path: string, headers: Record<string, string> = {}, method = 'GET', body?: string) {
  const res = await request(`${t.sim.url}${path}`, {
    method: method as 'GET',
    headers,
    ...(body ? { body } : {}),
  });
  const text = await res.body.text();
  return {
    status: res.statusCode,
    headers: res.headers,
    body: text ? (JSON.parse(text) as ApiErrorBody) : undefined,
  };
}

describe('HTTP Digest', () => {
  it('challenges an unauthenticated request with an ApiError and a Digest challenge', async () => {
    const res = await raw(`/api/atlas/v2/groups/${t.g}`);
    expect(res.status).toBe(401);
    expect(res.body?.errorCode).toBe('UNAUTHORIZED');
    const challenge = String(res.headers['www-authenticate']);
    expect(challenge).toMatch(/^Digest realm="MMS Public API"/);
    expect(challenge).toContain('qop="auth"');
    expect(challenge).toContain('algorithm=MD5');
    expect(challenge).toContain('stale=false');
  });

  it('accepts a correct digest answer and counts nonce uses', async () => {
    const client = new TestClient(t.sim, 'digest');
    expect((await client.call(`/groups/${t.g}`)).status).toBe(200);
    expect((await client.call(`/groups/${t.g}/clusters`)).status).toBe(200);
  });

  it('answers stale=true when nonces are expired by the test or by the clock', async () => {
    const client = new TestClient(t.sim, 'digest');
    expect((await client.call(`/groups`)).status).toBe(200);
    const nonce =
      /nonce="([^"]+)"/.exec(String((await raw('/api/atlas/v2/groups')).headers['www-authenticate']))?.[1] ??
      '';
    t.sim.auth.expireNonces();
    const stale = await raw('/api/atlas/v2/groups', {
      authorization: client.digestHeader('GET', '/api/atlas/v2/groups', nonce),
    });
    expect(stale.status).toBe(401);
    expect(String(stale.headers['www-authenticate'])).toContain('stale=true');
    // The client re-challenges transparently.
    expect((await client.call(`/groups`)).status).toBe(200);
    t.sim.clock.advance(121_000);
    const before = t.sim.requests.length;
    expect((await client.call(`/groups`)).status).toBe(200);
    const statuses = t.sim.requests.slice(before).map((r) => r.status);
    expect(statuses).toEqual([401, 200]);
  });

  it('rejects a wrong private key with stale=false', async () => {
    const challenge = await raw('/api/atlas/v2/groups');
    const nonce = /nonce="([^"]+)"/.exec(String(challenge.headers['www-authenticate']))?.[1] ?? '';
    const wrong = new TestClient(
      { ...t.sim, credentials: { ...t.sim.credentials, privateKey: 'nope' } },
      'digest',
    );
    const res = await raw('/api/atlas/v2/groups', {
      authorization: wrong.digestHeader('GET', '/api/atlas/v2/groups', nonce),
    });
    expect(res.status).toBe(401);
    expect(String(res.headers['www-authenticate'])).toContain('stale=false');
  });

  it('refuses a replayed nonce count', async () => {
    const challenge = await raw('/api/atlas/v2/groups');
    const nonce = /nonce="([^"]+)"/.exec(String(challenge.headers['www-authenticate']))?.[1] ?? '';
    const client = new TestClient(t.sim, 'digest');
    const header = client.digestHeader('GET', '/api/atlas/v2/groups', nonce);
    expect((await raw('/api/atlas/v2/groups', { authorization: header })).status).toBe(200);
    expect((await raw('/api/atlas/v2/groups', { authorization: header })).status).toBe(401);
  });
});

describe('OAuth client credentials', () => {
  const form = { 'content-type': 'application/x-www-form-urlencoded' };

  it('issues bearer tokens that work until they expire on the simulator clock', async () => {
    const token = await t.client.fetchToken();
    expect(t.sim.stats.tokensIssued).toBe(1);
    const auth = { authorization: `Bearer ${token}`, accept: 'application/vnd.atlas.2023-01-01+json' };
    expect((await raw(`/api/atlas/v2/groups/${t.g}`, auth)).status).toBe(200);
    t.sim.clock.advance(599_000);
    expect((await raw(`/api/atlas/v2/groups/${t.g}`, auth)).status).toBe(200);
    t.sim.clock.advance(1_000);
    const expired = await raw(`/api/atlas/v2/groups/${t.g}`, auth);
    expect(expired.status).toBe(401);
    expect(expired.body?.detail).toMatch(/expired/);
    expect(String(expired.headers['www-authenticate'])).toContain('invalid_token');
  });

  it('answers the token request in the OAuth shape', async () => {
    const { clientId, clientSecret } = t.sim.credentials;
    const res = await raw(
      '/api/oauth/token',
      { authorization: basic(clientId, clientSecret), ...form },
      'POST',
      'grant_type=client_credentials',
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 600 });
    expect((res.body as unknown as { access_token: string }).access_token.split('.')).toHaveLength(3);
  });

  it('revokes tokens', async () => {
    const token = await t.client.fetchToken();
    const { clientId, clientSecret } = t.sim.credentials;
    const res = await raw(
      '/api/oauth/revoke',
      { authorization: basic(clientId, clientSecret), ...form },
      'POST',
      `token=${token}`,
    );
    expect(res.status).toBe(200);
    expect(t.sim.stats.tokensRevoked).toBe(1);
    expect((await raw(`/api/atlas/v2/groups`, { authorization: `Bearer ${token}` })).status).toBe(401);
    const other = await t.client.fetchToken();
    t.sim.auth.revokeAllTokens();
    expect((await raw(`/api/atlas/v2/groups`, { authorization: `Bearer ${other}` })).status).toBe(401);
  });

  it('refuses wrong client credentials, a wrong grant type and unknown tokens', async () => {
    const bad = await raw(
      '/api/oauth/token',
      { authorization: basic('mdb_sa_id_x', 'y'), ...form },
      'POST',
      'grant_type=client_credentials',
    );
    expect(bad.status).toBe(401);
    expect(bad.body?.errorCode).toBe('UNAUTHORIZED');
    const { clientId, clientSecret } = t.sim.credentials;
    const grant = await raw(
      '/api/oauth/token',
      { authorization: basic(clientId, clientSecret), ...form },
      'POST',
      'grant_type=password',
    );
    expect(grant.status).toBe(400);
    expect(grant.body?.badRequestDetail?.fields[0]?.field).toBe('grant_type');
    expect((await raw('/api/atlas/v2/groups', { authorization: 'Bearer not-a-token' })).status).toBe(401);
    expect(t.sim.stats.tokensIssued).toBe(0);
  });

  it('accepts credentials configured at start', async () => {
    await t.sim.close();
    t = await startTestSim({ credentials: { clientId: 'mdb_sa_id_custom', publicKey: 'custompk' } });
    expect(t.sim.credentials.clientId).toBe('mdb_sa_id_custom');
    expect(t.sim.credentials.privateKey).toMatch(/^[0-9a-f-]{36}$/);
    expect((await new TestClient(t.sim).call(`/groups`)).status).toBe(200);
    expect((await new TestClient(t.sim, 'digest').call(`/groups`)).status).toBe(200);
  });
});
