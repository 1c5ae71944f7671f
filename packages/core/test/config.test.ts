import { describe, expect, it } from 'vitest';
import { ConfigError, loadAtlasConnection } from '../src/index.js';

describe('Atlas connection settings', () => {
  it('runs on the simulator when no credentials are set', () => {
    expect(loadAtlasConnection({})).toEqual({
      mode: 'simulator',
      defaultProjectId: undefined,
      requestsPerMinute: 30,
    });
  });

  it('reads the request budget, within its range', () => {
    expect(loadAtlasConnection({ ATLAS_REQUESTS_PER_MINUTE: '12' }).requestsPerMinute).toBe(12);
    for (const bad of ['0', '1.5', 'lots', '6001'])
      expect(() => loadAtlasConnection({ ATLAS_REQUESTS_PER_MINUTE: bad })).toThrow(
        /^ATLAS_REQUESTS_PER_MINUTE: must be a whole number of requests a minute/,
      );
  });

  it('prefers a service account and defaults the base URL', () => {
    const c = loadAtlasConnection({
      MONGODB_ATLAS_CLIENT_ID: 'mdb_sa_id_x',
      MONGODB_ATLAS_CLIENT_SECRET: 'mdb_sa_sk_y',
      MONGODB_ATLAS_PUBLIC_API_KEY: 'pub',
      MONGODB_ATLAS_PRIVATE_API_KEY: 'priv',
    });
    expect(c).toMatchObject({
      mode: 'atlas',
      baseUrl: 'https://cloud.mongodb.com',
      credentials: { kind: 'serviceAccount' },
    });
  });

  it.each([
    [{ MONGODB_ATLAS_CLIENT_ID: 'id' }, 'MONGODB_ATLAS_CLIENT_SECRET'],
    [{ MONGODB_ATLAS_PRIVATE_API_KEY: 'k' }, 'MONGODB_ATLAS_PUBLIC_API_KEY'],
    [{ MONGODB_ATLAS_BASE_URL: 'ftp://x' }, 'MONGODB_ATLAS_BASE_URL'],
    [{ MONGODB_ATLAS_PROJECT_ID: 'abc' }, 'MONGODB_ATLAS_PROJECT_ID'],
    [{ MONGODB_ATLAS_BASE_URL: 'http://127.0.0.1:7700' }, 'MONGODB_ATLAS_CLIENT_ID'],
    [{ ATLAS_REQUESTS_PER_MINUTE: '0' }, 'ATLAS_REQUESTS_PER_MINUTE'],
  ])('names the variable that is wrong: %o', (env, variable) => {
    let caught: unknown;
    try {
      loadAtlasConnection(env);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).variable).toBe(variable);
    expect((caught as ConfigError).message).toMatch(new RegExp(`^${variable}: (?!${variable})`));
  });

  it('lists every bad variable, each named once', () => {
    expect(() =>
      loadAtlasConnection({ MONGODB_ATLAS_BASE_URL: 'ftp://x', MONGODB_ATLAS_PROJECT_ID: 'abc' }),
    ).toThrow(
      /^MONGODB_ATLAS_BASE_URL: must be an http\(s\) URL[^\n]*\nMONGODB_ATLAS_PROJECT_ID: must be a 24-hexadecimal-digit project id$/,
    );
  });

  it('never echoes a secret value in its errors', () => {
    expect(() => loadAtlasConnection({ MONGODB_ATLAS_CLIENT_SECRET: 'super-secret-value' })).toThrow(
      /MONGODB_ATLAS_CLIENT_ID: is required/,
    );
    expect(() => loadAtlasConnection({ MONGODB_ATLAS_CLIENT_SECRET: 'super-secret-value' })).not.toThrow(
      /super-secret-value/,
    );
  });
});
