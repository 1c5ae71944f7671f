import { createHmac, randomBytes } from 'node:crypto';

interface TokenState {
  clientId: string;
  expiresAt: number;
  revoked: boolean;
}

export type TokenCheck = { ok: true; clientId: string } | { ok: false; detail: string };

const MAX_TOKENS = 50_000;

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/**
 * Bearer tokens for the client-credentials flow. They are JWT-shaped like Atlas's, but the
 * simulator only trusts tokens it issued itself; expiry follows the simulator clock.
 */
export class TokenIssuer {
  private readonly tokens = new Map<string, TokenState>();
  private readonly signingKey = randomBytes(32);
  issued = 0;
  revoked = 0;

  constructor(
    private readonly lifetimeSeconds: number,
    private readonly now: () => number,
  ) {}

  issue(clientId: string): { accessToken: string; expiresIn: number } {
    const iat = Math.floor(this.now() / 1000);
    const header = b64url({ alg: 'HS256', typ: 'JWT' });
    const payload = b64url({
      iss: 'atlas-sim',
      sub: clientId,
      aud: 'apiAtlas',
      iat,
      exp: iat + this.lifetimeSeconds,
      jti: randomBytes(12).toString('hex'),
    });
    const signature = createHmac('sha256', this.signingKey)
      .update(`${header}.${payload}`)
      .digest('base64url');
    const accessToken = `${header}.${payload}.${signature}`;
    if (this.tokens.size >= MAX_TOKENS) {
      const oldest = this.tokens.keys().next();
      if (!oldest.done) this.tokens.delete(oldest.value);
    }
    this.tokens.set(accessToken, {
      clientId,
      expiresAt: this.now() + this.lifetimeSeconds * 1000,
      revoked: false,
    });
    this.issued++;
    return { accessToken, expiresIn: this.lifetimeSeconds };
  }

  check(token: string): TokenCheck {
    const state = this.tokens.get(token);
    if (!state) return { ok: false, detail: 'The access token is not valid.' };
    if (state.revoked) return { ok: false, detail: 'The access token has been revoked.' };
    if (this.now() >= state.expiresAt) return { ok: false, detail: 'The access token has expired.' };
    return { ok: true, clientId: state.clientId };
  }

  /** RFC 7009: revoking an unknown token is not an error; only the owner may revoke. */
  revoke(token: string, clientId: string): void {
    const state = this.tokens.get(token);
    if (!state || state.revoked || state.clientId !== clientId) return;
    state.revoked = true;
    this.revoked++;
  }

  revokeAll(): void {
    for (const state of this.tokens.values()) {
      if (!state.revoked) {
        state.revoked = true;
        this.revoked++;
      }
    }
  }
}
