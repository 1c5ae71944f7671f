import type { Dispatcher } from 'undici';
import { DigestSession } from './digest.js';
import { OAuthTokenProvider } from './oauth.js';

export type AtlasCredentials =
  | { kind: 'serviceAccount'; clientId: string; clientSecret: string }
  | { kind: 'apiKey'; publicKey: string; privateKey: string };

/** What a request carried, so a 401 can be judged against it. */
export interface AuthAttempt {
  header: string | undefined;
  /** The bearer token or digest nonce used. */
  credentialRef: string | undefined;
}

export interface Authenticator {
  authorize(method: string, pathAndQuery: string): Promise<AuthAttempt>;
  /** After a 401: true when one more try with fresh credentials is worth it. */
  onUnauthorized(attempt: AuthAttempt, wwwAuthenticate: string | string[] | undefined): boolean;
  /** Resolves when requests can be authorised (a token obtained); rejects with why not. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

class DigestAuthenticator implements Authenticator {
  private readonly session: DigestSession;
  constructor(publicKey: string, privateKey: string) {
    this.session = new DigestSession(publicKey, privateKey);
  }
  authorize(method: string, pathAndQuery: string): Promise<AuthAttempt> {
    const credentialRef = this.session.currentNonce();
    return Promise.resolve({ header: this.session.authorize(method, pathAndQuery), credentialRef });
  }
  onUnauthorized(attempt: AuthAttempt, wwwAuthenticate: string | string[] | undefined): boolean {
    return this.session.accept(
      wwwAuthenticate,
      attempt.header === undefined ? undefined : attempt.credentialRef,
    );
  }
  /** An API key has no token to obtain: each request is signed with it. */
  ready(): Promise<void> {
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

class BearerAuthenticator implements Authenticator {
  constructor(readonly tokens: OAuthTokenProvider) {}
  async authorize(): Promise<AuthAttempt> {
    const token = await this.tokens.getToken();
    return { header: `Bearer ${token}`, credentialRef: token };
  }
  onUnauthorized(attempt: AuthAttempt): boolean {
    if (attempt.credentialRef === undefined) return false;
    this.tokens.invalidate(attempt.credentialRef);
    return true;
  }
  async ready(): Promise<void> {
    await this.tokens.getToken();
  }
  close(): Promise<void> {
    return this.tokens.revoke();
  }
}

export function createAuthenticator(
  credentials: AtlasCredentials,
  baseUrl: string,
  dispatcher: Dispatcher,
  now?: () => number,
): Authenticator {
  if (credentials.kind === 'apiKey')
    return new DigestAuthenticator(credentials.publicKey, credentials.privateKey);
  return new BearerAuthenticator(
    new OAuthTokenProvider({
      baseUrl,
      clientId: credentials.clientId,
      clientSecret: credentials.clientSecret,
      dispatcher,
      ...(now ? { now } : {}),
    }),
  );
}
