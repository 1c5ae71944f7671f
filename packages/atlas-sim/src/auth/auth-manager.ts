import { ApiError } from '../http/errors.js';
import type { SimulatorCredentials } from './credentials.js';
import { challengeHeader, DigestVerifier, DIGEST_REALM, parseDigest } from './digest.js';
import { TokenIssuer } from './oauth.js';

export interface AuthOptions {
  credentials: SimulatorCredentials;
  now: () => number;
  tokenLifetimeSeconds: number;
  nonceLifetimeSeconds: number;
}

export interface OAuthResponse {
  status: number;
  body: unknown;
}

/** Both ways Atlas authenticates API calls: HTTP Digest with API keys, and OAuth bearer tokens. */
export class AuthManager {
  readonly digest: DigestVerifier;
  readonly tokens: TokenIssuer;
  private readonly basicExpected: string;

  constructor(private readonly options: AuthOptions) {
    const { credentials, now } = options;
    this.digest = new DigestVerifier(
      credentials.publicKey,
      credentials.privateKey,
      options.nonceLifetimeSeconds * 1000,
      now,
    );
    this.tokens = new TokenIssuer(options.tokenLifetimeSeconds, now);
    this.basicExpected = `${credentials.clientId}:${credentials.clientSecret}`;
  }

  /**
   * Throws a 401 ApiError (with a fresh Digest challenge) unless the request is authenticated.
   * Returns who made it: the service account's client id, or the API public key.
   */
  authenticate(method: string, requestUri: string, authorization: string | undefined): string {
    if (!authorization) throw this.unauthorized('Authentication is required.', false);
    const space = authorization.indexOf(' ');
    const scheme = (space < 0 ? authorization : authorization.slice(0, space)).toLowerCase();
    if (scheme === 'bearer') {
      const result = this.tokens.check(authorization.slice(space + 1).trim());
      if (!result.ok) throw this.unauthorized(result.detail, false, true);
      return result.clientId;
    }
    if (scheme === 'digest') {
      const outcome = this.digest.verify(parseDigest(authorization), method, requestUri);
      if (!outcome.ok) throw this.unauthorized(outcome.detail, outcome.stale);
      return this.options.credentials.publicKey;
    }
    throw this.unauthorized(`Unsupported authorization scheme ${scheme}.`, false);
  }

  /** POST /api/oauth/token: client credentials in Basic auth (or the form), grant_type in the form. */
  token(authorization: string | undefined, form: URLSearchParams): OAuthResponse {
    const clientId = this.clientFrom(authorization, form);
    const grantType = form.get('grant_type');
    if (grantType !== 'client_credentials') {
      throw new ApiError(
        400,
        'UNSUPPORTED_GRANT_TYPE',
        `grant_type must be client_credentials, got ${grantType === null ? 'nothing' : `"${grantType}"`}.`,
        { fields: [{ field: 'grant_type', description: 'must be client_credentials' }] },
      );
    }
    const { accessToken, expiresIn } = this.tokens.issue(clientId);
    return { status: 200, body: { access_token: accessToken, expires_in: expiresIn, token_type: 'Bearer' } };
  }

  /** POST /api/oauth/revoke: form `token=...`, authenticated like the token request. */
  revoke(authorization: string | undefined, form: URLSearchParams): OAuthResponse {
    const clientId = this.clientFrom(authorization, form);
    const token = form.get('token');
    if (!token) {
      throw new ApiError(400, 'VALIDATION_ERROR', 'The token to revoke is missing.', {
        fields: [{ field: 'token', description: 'is required' }],
      });
    }
    this.tokens.revoke(token, clientId);
    return { status: 200, body: undefined };
  }

  expireNonces(): void {
    this.digest.expireAll();
  }

  revokeAllTokens(): void {
    this.tokens.revokeAll();
  }

  private clientFrom(authorization: string | undefined, form: URLSearchParams): string {
    let pair: string | undefined;
    if (authorization && authorization.toLowerCase().startsWith('basic ')) {
      pair = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
    } else if (form.has('client_id')) {
      pair = `${form.get('client_id')}:${form.get('client_secret') ?? ''}`;
    }
    if (pair !== this.basicExpected) {
      throw new ApiError(401, 'UNAUTHORIZED', 'Invalid service account client credentials.', {
        headers: { 'WWW-Authenticate': `Basic realm="${DIGEST_REALM}"` },
      });
    }
    return this.options.credentials.clientId;
  }

  private unauthorized(detail: string, stale: boolean, bearer = false): ApiError {
    const challenges = [challengeHeader(this.digest.issueNonce(), stale)];
    if (bearer) challenges.push(`Bearer realm="${DIGEST_REALM}", error="invalid_token"`);
    return new ApiError(401, 'UNAUTHORIZED', detail, { headers: { 'WWW-Authenticate': challenges } });
  }
}
