import { createHash, randomBytes } from 'node:crypto';
import { request } from 'undici';
import type { RunningSimulator } from '../../src/index.js';

export interface SimResponse<T = unknown> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: T;
  text: string;
}

export interface CallOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** Version date for Accept/Content-Type; null sends plain application/json. */
  version?: string | null;
  accept?: string;
  headers?: Record<string, string>;
}

/** The JSON body; undefined when there is none or it is not JSON (a `malformed` fault). */
function parseBody(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

function md5(text: string): string {
  return createHash('md5').update(text).digest('hex');
}

/** A small test client speaking to the simulator over real HTTP: bearer tokens or Digest. */
export class TestClient {
  private token: string | undefined;
  private nonce: string | undefined;
  private nc = 0;

  constructor(
    private readonly sim: RunningSimulator,
    private readonly mode: 'bearer' | 'digest' = 'bearer',
  ) {}

  async fetchToken(): Promise<string> {
    const { clientId, clientSecret } = this.sim.credentials;
    const res = await request(`${this.sim.url}/api/oauth/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    const body = (await res.body.json()) as { access_token: string };
    this.token = body.access_token;
    return this.token;
  }

  digestHeader(method: string, uri: string, nonce: string): string {
    const { publicKey, privateKey } = this.sim.credentials;
    const realm = 'MMS Public API';
    this.nc++;
    const nc = this.nc.toString(16).padStart(8, '0');
    const cnonce = randomBytes(8).toString('hex');
    const ha1 = md5(`${publicKey}:${realm}:${privateKey}`);
    const ha2 = md5(`${method}:${uri}`);
    const response = md5(`${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`);
    return `Digest username="${publicKey}", realm="${realm}", nonce="${nonce}", uri="${uri}", qop=auth, nc=${nc}, cnonce="${cnonce}", response="${response}", algorithm=MD5`;
  }

  /** Calls `/api/atlas/v2` + path; in digest mode answers the challenge (and stale re-challenges). */
  async call<T = Record<string, unknown>>(path: string, options: CallOptions = {}): Promise<SimResponse<T>> {
    const method = options.method ?? 'GET';
    const uri = path.startsWith('/api/') ? path : `/api/atlas/v2${path}`;
    const version = options.version === undefined ? '2023-01-01' : options.version;
    const media = version === null ? 'application/json' : `application/vnd.atlas.${version}+json`;
    const headers: Record<string, string> = { accept: options.accept ?? media, ...options.headers };
    if (options.body !== undefined) headers['content-type'] = media;
    const send = async (auth?: string): Promise<SimResponse<T>> => {
      const res = await request(`${this.sim.url}${uri}`, {
        method,
        headers: auth ? { ...headers, authorization: auth } : headers,
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      });
      const text = await res.body.text();
      return {
        status: res.statusCode,
        headers: res.headers,
        body: parseBody(text) as T,
        text,
      };
    };
    if (this.mode === 'bearer') {
      this.token ??= await this.fetchToken();
      const res = await send(`Bearer ${this.token}`);
      if (res.status !== 401) return res;
      // Expired or revoked: one fresh token, as a real client would.
      return send(`Bearer ${await this.fetchToken()}`);
    }
    for (let attempt = 0; attempt < 3; attempt++) {
      const res = await send(this.nonce ? this.digestHeader(method, uri, this.nonce) : undefined);
      if (res.status !== 401) return res;
      const challenge = String(res.headers['www-authenticate'] ?? '');
      const nonce = /nonce="([^"]+)"/.exec(challenge)?.[1];
      if (!nonce || (this.nonce && !/stale=true/.test(challenge))) return res;
      this.nonce = nonce;
      this.nc = 0;
    }
    throw new Error('digest challenge loop');
  }
}
