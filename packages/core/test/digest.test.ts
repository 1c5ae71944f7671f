import { describe, expect, it } from 'vitest';
import { DigestSession, digestAuthorization, parseDigestChallenge } from '../src/index.js';

// RFC 7616 section 3.9.1 worked example.
const rfcHeader =
  'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=MD5, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"';

describe('digest authentication (RFC 7616)', () => {
  it('parses a challenge, preferring qop=auth', () => {
    const c = parseDigestChallenge(rfcHeader);
    expect(c).toMatchObject({
      realm: 'http-auth@example.org',
      nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
      qop: 'auth',
      algorithm: 'MD5',
      stale: false,
    });
  });

  it.each([
    ['MD5', '8ca523f5e9506fed4657c9700eebdbec'],
    ['SHA-256', '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1'],
  ])('computes the RFC example response for %s', (algorithm, expected) => {
    const challenge = parseDigestChallenge(rfcHeader.replace('algorithm=MD5', `algorithm=${algorithm}`));
    expect(challenge).toBeDefined();
    const header = digestAuthorization({
      challenge: challenge!,
      username: 'Mufasa',
      password: 'Circle of Life',
      method: 'GET',
      uri: '/dir/index.html',
      nonceCount: 1,
      cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
    });
    expect(header).toContain(`response="${expected}"`);
    expect(header).toContain('nc=00000001');
    expect(header).toContain('opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"');
  });

  it('reuses a nonce with an increasing count and accepts a stale re-challenge', () => {
    const session = new DigestSession('pub', 'priv');
    expect(session.authorize('GET', '/a')).toBeUndefined();
    expect(session.accept('Digest realm="MMS Public API", nonce="n1", qop="auth"', undefined)).toBe(true);
    expect(session.authorize('GET', '/a')).toContain('nc=00000001');
    expect(session.authorize('GET', '/b')).toContain('nc=00000002');
    // A plain 401 for the nonce we used means the keys are wrong: no endless retry.
    expect(session.accept('Digest realm="MMS Public API", nonce="n1", qop="auth"', 'n1')).toBe(false);
    expect(session.accept('Digest realm="MMS Public API", nonce="n2", qop="auth", stale=true', 'n1')).toBe(
      true,
    );
    const next = session.authorize('GET', '/c');
    expect(next).toContain('nonce="n2"');
    expect(next).toContain('nc=00000001');
  });

  it('ignores non-digest challenges', () => {
    expect(parseDigestChallenge('Bearer realm="x"')).toBeUndefined();
    expect(parseDigestChallenge(undefined)).toBeUndefined();
  });
});
