import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/** One Web API call as the fake received it. Values that Slack takes as JSON (blocks, view) are parsed. */
export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  /** The bearer token used (tests compare it with the configured one). */
  token: string | undefined;
  at: number;
}

/** A post to an interaction's response_url. */
export interface ResponseUrlPost {
  id: string;
  body: Record<string, unknown>;
  at: number;
}

/** A message as a channel would show it now (after every chat.update). */
export interface ShownMessage {
  channel: string;
  ts: string;
  threadTs: string | undefined;
  text: string;
  blocks: unknown[];
  updates: number;
}

type Failure = { error: string } | { status: 429; retryAfterSeconds: number };

export interface FakeSlackOptions {
  botToken?: string;
  appToken?: string;
  botUserId?: string;
  teamId?: string;
  /** The Enterprise Grid organisation the workspace belongs to (none by default). */
  enterpriseId?: string;
  /** An org-wide install: auth.test says so, and the bot serves every workspace of `enterpriseId`. */
  enterpriseInstall?: boolean;
}

/** The app's bot id, shaped as Slack's spec says (`B` and at least eight more). */
export const fakeBotId = 'B00000001';

const jsonArgs = new Set(['blocks', 'attachments', 'view', 'metadata']);

/**
 * A local stand-in for Slack's Web API and response_urls: answers the methods the bot uses the
 * way Slack documents them, records every call, and keeps the messages as a channel would show
 * them. Failures (a Slack error or a 429) can be queued per method.
 */
export class FakeSlack {
  readonly calls: RecordedCall[] = [];
  readonly responsePosts: ResponseUrlPost[] = [];
  readonly messages = new Map<string, ShownMessage>();
  readonly userGroups = new Map<string, string[]>();
  /** What apps.connections.open hands out (a local WebSocket server's URL). */
  socketUrl: string | undefined;
  private readonly failures = new Map<string, Failure[]>();
  private seq = 0;
  private responseSeq = 0;
  private viewSeq = 0;
  private readonly server: Server;
  private readonly options: Required<Omit<FakeSlackOptions, 'enterpriseId'>> &
    Pick<FakeSlackOptions, 'enterpriseId'>;
  url = '';

  private constructor(options: FakeSlackOptions) {
    this.options = {
      botToken: options.botToken ?? 'xoxb-test-bot-token',
      appToken: options.appToken ?? 'xapp-test-app-token',
      botUserId: options.botUserId ?? 'UBOT0001',
      teamId: options.teamId ?? 'T0000001',
      enterpriseId: options.enterpriseId,
      enterpriseInstall: options.enterpriseInstall ?? false,
    };
    this.server = createServer((req, res) => {
      void this.handle(req, res).catch((error: unknown) => {
        res.writeHead(500).end(String(error));
      });
    });
  }

  static async start(options: FakeSlackOptions = {}): Promise<FakeSlack> {
    const fake = new FakeSlack(options);
    fake.server.listen(0, '127.0.0.1');
    await once(fake.server, 'listening');
    fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  /** Base URL for WebClient's `slackApiUrl`. */
  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  /** A fresh response_url, as Slack puts in each command and interaction. */
  newResponseUrl(): string {
    this.responseSeq += 1;
    return `${this.url}/response/${this.responseSeq}`;
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  postsTo(responseUrl: string): ResponseUrlPost[] {
    const id = responseUrl.slice(responseUrl.lastIndexOf('/') + 1);
    return this.responsePosts.filter((p) => p.id === id);
  }

  /** The top-level messages of a channel, oldest first. */
  channelMessages(channel: string): ShownMessage[] {
    return [...this.messages.values()].filter((m) => m.channel === channel && m.threadTs === undefined);
  }

  threadReplies(channel: string, ts: string): ShownMessage[] {
    return [...this.messages.values()].filter((m) => m.channel === channel && m.threadTs === ts);
  }

  /** The next `times` calls to `method` fail with this Slack error or a 429. */
  failNext(method: string, failure: Failure, times = 1): void {
    const list = this.failures.get(method) ?? [];
    for (let i = 0; i < times; i += 1) list.push(failure);
    this.failures.set(method, list);
  }

  reset(): void {
    this.calls.length = 0;
    this.responsePosts.length = 0;
    this.messages.clear();
    this.failures.clear();
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const path = new URL(req.url ?? '/', this.url).pathname;

    if (path.startsWith('/response/')) {
      this.responsePosts.push({
        id: path.slice('/response/'.length),
        body: JSON.parse(raw || '{}'),
        at: Date.now(),
      });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }
    if (!path.startsWith('/api/')) {
      res.writeHead(404).end();
      return;
    }
    const method = path.slice('/api/'.length);
    const args = parseArgs(raw, req.headers['content-type']);
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ')
      ? auth.slice(7)
      : typeof args.token === 'string'
        ? args.token
        : undefined;
    this.calls.push({ method, args, token, at: Date.now() });

    const failure = this.failures.get(method)?.shift();
    if (failure && 'status' in failure) {
      res
        .writeHead(429, {
          'retry-after': String(failure.retryAfterSeconds),
          'content-type': 'application/json',
        })
        .end(JSON.stringify({ ok: false, error: 'ratelimited' }));
      return;
    }
    const expected = method === 'apps.connections.open' ? this.options.appToken : this.options.botToken;
    const answer = failure
      ? { ok: false, error: failure.error }
      : token !== expected
        ? { ok: false, error: 'invalid_auth' }
        : this.answer(method, args);
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(answer));
  }

  private answer(method: string, args: Record<string, unknown>): Record<string, unknown> {
    const str = (v: unknown) => (typeof v === 'string' ? v : '');
    switch (method) {
      case 'auth.test':
        // As the spec's auth.test success schema; Slack adds enterprise_id for a workspace in
        // an Enterprise Grid organisation (the spec leaves it out, @slack/web-api types it).
        return {
          ok: true,
          url: 'https://example-workspace.slack.com/',
          team: 'Example',
          user: 'atlas-backups',
          team_id: this.options.teamId,
          user_id: this.options.botUserId,
          bot_id: fakeBotId,
          is_enterprise_install: this.options.enterpriseInstall,
          ...(this.options.enterpriseId ? { enterprise_id: this.options.enterpriseId } : {}),
        };
      case 'chat.postMessage': {
        const channel = str(args.channel);
        if (!channel) return { ok: false, error: 'channel_not_found' };
        this.seq += 1;
        const ts = `1700000000.${String(this.seq).padStart(6, '0')}`;
        const threadTs = typeof args.thread_ts === 'string' ? args.thread_ts : undefined;
        this.messages.set(`${channel}/${ts}`, {
          channel,
          ts,
          threadTs,
          text: str(args.text),
          blocks: Array.isArray(args.blocks) ? args.blocks : [],
          updates: 0,
        });
        return {
          ok: true,
          channel,
          ts,
          message: { type: 'message', text: args.text, ts, bot_id: fakeBotId },
        };
      }
      case 'chat.update': {
        const key = `${str(args.channel)}/${str(args.ts)}`;
        const shown = this.messages.get(key);
        if (!shown) return { ok: false, error: 'message_not_found' };
        shown.text = str(args.text);
        shown.blocks = Array.isArray(args.blocks) ? args.blocks : [];
        shown.updates += 1;
        return { ok: true, channel: args.channel, ts: args.ts, text: args.text };
      }
      case 'chat.postEphemeral':
        this.seq += 1;
        return { ok: true, message_ts: `1700000000.${String(this.seq).padStart(6, '0')}` };
      case 'views.open':
      case 'views.push':
      case 'views.update': {
        const view = (args.view ?? {}) as Record<string, unknown>;
        let id = str(args.view_id);
        if (!id) {
          this.viewSeq += 1;
          id = `V${String(this.viewSeq).padStart(8, '0')}`;
        }
        return {
          ok: true,
          view: { ...view, id, hash: `${Date.now()}.${this.viewSeq}`, state: { values: {} } },
        };
      }
      case 'usergroups.users.list':
        return { ok: true, users: this.userGroups.get(str(args.usergroup)) ?? [] };
      case 'users.info':
        return {
          ok: true,
          user: { id: args.user, name: `user-${str(args.user).toLowerCase()}`, real_name: 'Test User' },
        };
      case 'apps.connections.open':
        return this.socketUrl ? { ok: true, url: this.socketUrl } : { ok: false, error: 'internal_error' };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }
}

function parseArgs(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (raw === '') return {};
  if (contentType?.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    out[key] = jsonArgs.has(key) ? safeJson(value) : value;
  }
  return out;
}

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** An acknowledgement the app sent back over the socket for one envelope. */
export interface SocketAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

/**
 * Slack's Socket Mode end: a local WebSocket server that greets the app with `hello`, sends it
 * envelopes, and collects its acknowledgements.
 */
export class FakeSocketMode {
  private socket: WebSocket | undefined;
  private readonly acks = new Map<string, (ack: SocketAck) => void>();
  private envelopeSeq = 0;
  readonly connected: Promise<void>;

  private constructor(private readonly wss: WebSocketServer) {
    this.connected = new Promise((resolve) => {
      wss.on('connection', (ws) => {
        this.socket = ws;
        ws.on('message', (data) => {
          const message = JSON.parse(String(data)) as SocketAck;
          this.acks.get(message.envelope_id)?.(message);
        });
        ws.send(
          JSON.stringify({
            type: 'hello',
            num_connections: 1,
            debug_info: { host: 'fake', approximate_connection_time: 18060 },
            connection_info: { app_id: 'A0000001' },
          }),
        );
        resolve();
      });
    });
  }

  /** Starts the WebSocket server and points the fake Web API's apps.connections.open at it. */
  static async start(slack: FakeSlack): Promise<FakeSocketMode> {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await once(wss, 'listening');
    slack.socketUrl = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/link`;
    return new FakeSocketMode(wss);
  }

  /** Sends one envelope and resolves with the app's acknowledgement. */
  send(type: 'slash_commands' | 'interactive', payload: unknown, retryAttempt = 0): Promise<SocketAck> {
    if (!this.socket) throw new Error('no Socket Mode connection yet');
    this.envelopeSeq += 1;
    const envelopeId = `env-${this.envelopeSeq}`;
    const acked = new Promise<SocketAck>((resolve) => this.acks.set(envelopeId, resolve));
    this.socket.send(
      JSON.stringify({
        envelope_id: envelopeId,
        type,
        payload,
        accepts_response_payload: type === 'slash_commands',
        retry_attempt: retryAttempt,
        retry_reason: retryAttempt > 0 ? 'timeout' : '',
      }),
    );
    return acked;
  }

  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}

/** Polls `probe` until it returns something other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(
  probe: () => T | undefined | false | null | Promise<T | undefined | false | null>,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false && value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs}ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
