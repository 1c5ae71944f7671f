import { request, type Dispatcher } from 'undici';
import { AtlasApiError, TransportError } from '../errors.js';

interface CachedToken {
  value: string;
  expiresAt: number;
}

export interface OAuthOptions {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  dispatcher: Dispatcher;
  /** Renew this long before Atlas says the token expires. */
  refreshSkewMs?: number;
  now?: () => number;
}

/**
 * Service-account tokens (OAuth 2.0 client credentials). One token request is in flight at a
 * time however many calls wait for it; the token is reused until shortly before it expires.
 */
export class OAuthTokenProvider {
  private token: CachedToken | undefined;
  private pending: Promise<CachedToken> | undefined;
  private readonly refreshSkewMs: number;
  private readonly now: () => number;
  tokensRequested = 0;

  constructor(private readonly options: OAuthOptions) {
    this.refreshSkewMs = options.refreshSkewMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  private basic(): string {
    const { clientId, clientSecret } = this.options;
    return `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`;
  }

  async getToken(): Promise<string> {
    const cached = this.token;
    if (cached && cached.expiresAt - this.refreshSkewMs > this.now()) return cached.value;
    this.pending ??= this.fetchToken().finally(() => {
      this.pending = undefined;
    });
    return (await this.pending).value;
  }

  /** Forget a token Atlas refused, unless a newer one already replaced it. */
  invalidate(value: string): void {
    if (this.token?.value === value) this.token = undefined;
  }

  private async fetchToken(): Promise<CachedToken> {
    this.tokensRequested += 1;
    const startedAt = this.now();
    let res: Dispatcher.ResponseData;
    try {
      res = await request(new URL('/api/oauth/token', this.options.baseUrl), {
        method: 'POST',
        dispatcher: this.options.dispatcher,
        headers: {
          authorization: this.basic(),
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: 'grant_type=client_credentials',
      });
    } catch (error) {
      throw new TransportError('oauthToken', error);
    }
    const text = await res.body.text();
    const body = safeJson(text);
    if (res.statusCode !== 200 || typeof body?.access_token !== 'string') {
      throw new AtlasApiError('oauthToken', res.statusCode === 200 ? 502 : res.statusCode, {
        error: res.statusCode,
        errorCode: typeof body?.error === 'string' ? body.error.toUpperCase() : 'INVALID_CLIENT_CREDENTIALS',
        detail:
          typeof body?.error_description === 'string'
            ? body.error_description
            : 'The service account token request was refused.',
      });
    }
    const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : 3600;
    this.token = { value: body.access_token, expiresAt: startedAt + expiresIn * 1000 };
    return this.token;
  }

  /** Revoke the current token so it cannot outlive the process. Best effort. */
  async revoke(): Promise<void> {
    const token = this.token;
    this.token = undefined;
    if (!token) return;
    try {
      const res = await request(new URL('/api/oauth/revoke', this.options.baseUrl), {
        method: 'POST',
        dispatcher: this.options.dispatcher,
        headers: { authorization: this.basic(), 'content-type': 'application/x-www-form-urlencoded' },
        body: `token=${encodeURIComponent(token.value)}&token_type_hint=access_token`,
      });
      await res.body.dump();
    } catch {
      // The token expires on its own; failing to revoke must not fail shutdown.
    }
  }
}

function safeJson(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
