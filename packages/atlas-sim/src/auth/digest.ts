import { createHash, randomBytes } from 'node:crypto';

export const DIGEST_REALM = 'MMS Public API';

export interface DigestParams {
  username?: string;
  realm?: string;
  nonce?: string;
  uri?: string;
  response?: string;
  qop?: string;
  nc?: string;
  cnonce?: string;
  algorithm?: string;
  opaque?: string;
}

const PARAM = /(\w+)=(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g;

/** Parses the parameters of an `Authorization: Digest ...` header (quoted or token values). */
export function parseDigest(header: string): DigestParams {
  const params: Record<string, string> = {};
  const body = header.slice(header.indexOf(' ') + 1);
  for (const m of body.matchAll(PARAM)) {
    const name = (m[1] as string).toLowerCase();
    params[name] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? '');
  }
  return params;
}

export function md5(text: string): string {
  return createHash('md5').update(text).digest('hex');
}

export function challengeHeader(nonce: string, stale: boolean): string {
  return `Digest realm="${DIGEST_REALM}", domain="", nonce="${nonce}", algorithm=MD5, qop="auth", stale=${stale}`;
}

export function newNonce(): string {
  return randomBytes(24).toString('base64url');
}

interface NonceState {
  issuedAt: number;
  seen: Set<number>;
}

const MAX_NONCES = 10_000;

export type DigestOutcome = { ok: true } | { ok: false; stale: boolean; detail: string };

/**
 * RFC 7616 Digest with MD5 and qop=auth, as Atlas offers it. Nonces are tracked on the
 * simulator clock; a correct answer to an expired or unknown nonce gets `stale=true`, so a
 * client re-challenges without treating its keys as wrong.
 */
export class DigestVerifier {
  private readonly nonces = new Map<string, NonceState>();
  private readonly ha1: string;

  constructor(
    private readonly username: string,
    password: string,
    private readonly lifetimeMs: number,
    private readonly now: () => number,
  ) {
    this.ha1 = md5(`${username}:${DIGEST_REALM}:${password}`);
  }

  issueNonce(): string {
    if (this.nonces.size >= MAX_NONCES) {
      const oldest = this.nonces.keys().next();
      if (!oldest.done) this.nonces.delete(oldest.value);
    }
    const nonce = newNonce();
    this.nonces.set(nonce, { issuedAt: this.now(), seen: new Set() });
    return nonce;
  }

  expireAll(): void {
    this.nonces.clear();
  }

  verify(params: DigestParams, method: string, requestUri: string): DigestOutcome {
    const { username, realm, nonce, uri, response, qop, nc, cnonce, algorithm } = params;
    if (!username || !nonce || !uri || !response) {
      return { ok: false, stale: false, detail: 'Digest credentials are incomplete.' };
    }
    if (realm !== DIGEST_REALM)
      return { ok: false, stale: false, detail: `Unknown digest realm "${realm ?? ''}".` };
    if (algorithm && algorithm.toUpperCase() !== 'MD5') {
      return { ok: false, stale: false, detail: `Unsupported digest algorithm ${algorithm}.` };
    }
    if (qop !== 'auth' || !nc || !cnonce) {
      return { ok: false, stale: false, detail: 'Digest qop=auth with nc and cnonce is required.' };
    }
    if (uri !== requestUri) {
      return { ok: false, stale: false, detail: 'Digest uri does not match the request URI.' };
    }
    if (username !== this.username) return { ok: false, stale: false, detail: 'Invalid API key.' };
    const ha2 = md5(`${method}:${uri}`);
    const expected = md5(`${this.ha1}:${nonce}:${nc}:${cnonce}:${qop}:${ha2}`);
    if (expected !== response.toLowerCase()) {
      return { ok: false, stale: false, detail: 'Digest response does not match: wrong API key or request.' };
    }
    const state = this.nonces.get(nonce);
    if (!state || this.now() - state.issuedAt >= this.lifetimeMs) {
      this.nonces.delete(nonce);
      return { ok: false, stale: true, detail: 'Digest nonce is stale.' };
    }
    const count = Number.parseInt(nc, 16);
    // Concurrent requests may arrive out of nc order, so only an exact repeat is a replay.
    if (!Number.isFinite(count) || state.seen.has(count)) {
      return { ok: false, stale: false, detail: `Digest nonce count ${nc} was already used.` };
    }
    state.seen.add(count);
    return { ok: true };
  }
}
