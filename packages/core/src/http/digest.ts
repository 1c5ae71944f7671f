import { createHash, randomBytes } from 'node:crypto';

/**
 * HTTP Digest access authentication (RFC 7616) for Atlas API keys.
 *
 * One session per credential pair: it keeps the server's last challenge and a nonce count, so
 * requests after the first reuse the nonce (nc=00000002, ...) instead of paying a 401 round trip
 * each time. A `stale=true` challenge replaces the nonce; any other 401 after we answered a
 * challenge means the keys are wrong.
 */
export interface DigestChallenge {
  realm: string;
  nonce: string;
  opaque: string | undefined;
  qop: string | undefined;
  algorithm: string;
  stale: boolean;
  userhash: boolean;
}

const hashNames: Record<string, string> = {
  MD5: 'md5',
  'SHA-256': 'sha256',
  'SHA-512-256': 'sha512-256',
};

export function parseDigestChallenge(header: string | string[] | undefined): DigestChallenge | undefined {
  const values = Array.isArray(header) ? header : header === undefined ? [] : [header];
  for (const value of values) {
    const start = value.search(/\bDigest\s/i);
    if (start < 0) continue;
    const params = new Map<string, string>();
    const re = /([a-zA-Z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g;
    for (const m of value.slice(start + 7).matchAll(re)) {
      const key = m[1]?.toLowerCase();
      if (key === undefined || params.has(key)) continue;
      params.set(key, (m[2] ?? m[3] ?? '').replace(/\\(.)/g, '$1'));
    }
    const realm = params.get('realm');
    const nonce = params.get('nonce');
    if (realm === undefined || nonce === undefined) continue;
    const qopOptions = (params.get('qop') ?? '').split(',').map((q) => q.trim().toLowerCase());
    return {
      realm,
      nonce,
      opaque: params.get('opaque'),
      qop: qopOptions.includes('auth') ? 'auth' : undefined,
      algorithm: (params.get('algorithm') ?? 'MD5').toUpperCase(),
      stale: (params.get('stale') ?? '').toLowerCase() === 'true',
      userhash: (params.get('userhash') ?? '').toLowerCase() === 'true',
    };
  }
  return undefined;
}

function hasher(algorithm: string): (input: string) => string {
  const name = hashNames[algorithm.replace(/-SESS$/, '')];
  if (name === undefined) throw new Error(`unsupported digest algorithm ${algorithm}`);
  return (input) => createHash(name).update(input).digest('hex');
}

const quote = (s: string) => `"${s.replace(/(["\\])/g, '\\$1')}"`;

export interface DigestResponseInput {
  challenge: DigestChallenge;
  username: string;
  password: string;
  method: string;
  uri: string;
  nonceCount: number;
  cnonce: string;
}

/** The `Authorization` header value answering one challenge. */
export function digestAuthorization(input: DigestResponseInput): string {
  const { challenge, username, password, method, uri, nonceCount, cnonce } = input;
  const h = hasher(challenge.algorithm);
  const nc = nonceCount.toString(16).padStart(8, '0');
  let ha1 = h(`${username}:${challenge.realm}:${password}`);
  if (challenge.algorithm.endsWith('-SESS')) ha1 = h(`${ha1}:${challenge.nonce}:${cnonce}`);
  const ha2 = h(`${method}:${uri}`);
  const response = challenge.qop
    ? h(`${ha1}:${challenge.nonce}:${nc}:${cnonce}:${challenge.qop}:${ha2}`)
    : h(`${ha1}:${challenge.nonce}:${ha2}`);
  const parts = [
    `username=${quote(challenge.userhash ? h(`${username}:${challenge.realm}`) : username)}`,
    `realm=${quote(challenge.realm)}`,
    `nonce=${quote(challenge.nonce)}`,
    `uri=${quote(uri)}`,
    `algorithm=${challenge.algorithm}`,
    `response=${quote(response)}`,
  ];
  if (challenge.qop) parts.push(`qop=${challenge.qop}`, `nc=${nc}`, `cnonce=${quote(cnonce)}`);
  if (challenge.opaque !== undefined) parts.push(`opaque=${quote(challenge.opaque)}`);
  if (challenge.userhash) parts.push('userhash=true');
  return `Digest ${parts.join(', ')}`;
}

export class DigestSession {
  private challenge: DigestChallenge | undefined;
  private nonceCount = 0;

  constructor(
    private readonly username: string,
    private readonly password: string,
  ) {}

  /** Header for a request, or undefined before the server has challenged us. */
  authorize(method: string, uri: string): string | undefined {
    if (this.challenge === undefined) return undefined;
    this.nonceCount += 1;
    return digestAuthorization({
      challenge: this.challenge,
      username: this.username,
      password: this.password,
      method,
      uri,
      nonceCount: this.nonceCount,
      cnonce: randomBytes(8).toString('hex'),
    });
  }

  /**
   * Take a 401's challenge. Returns true when answering it is worth a retry: the first challenge,
   * a stale nonce, or a new nonce raced in by a concurrent request.
   */
  accept(header: string | string[] | undefined, nonceUsed: string | undefined): boolean {
    const next = parseDigestChallenge(header);
    if (next === undefined) return false;
    const current = this.challenge;
    const fresh =
      nonceUsed === undefined || next.stale || (current !== undefined && current.nonce !== nonceUsed);
    if (current === undefined || current.nonce !== next.nonce) {
      this.challenge = next;
      this.nonceCount = 0;
    }
    return fresh;
  }

  currentNonce(): string | undefined {
    return this.challenge?.nonce;
  }
}
