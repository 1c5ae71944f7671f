import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { escapeTyped } from './block-kit.js';
import { Conversations } from './conversations.js';
import { Triggers } from './triggers.js';
import type {
  EphemeralMessage,
  MessageRef,
  OpenView,
  RecordedCall,
  ResponseUrlContext,
  ResponseUrlPost,
  ShownMessage,
  SimChange,
  SimChannel,
  SimUser,
} from './types.js';
import { Views, type ViewResult } from './views.js';

type Failure = { error: string } | { status: 429; retryAfterSeconds: number };

export interface SlackSimOptions {
  botToken?: string;
  appToken?: string;
  botUserId?: string;
  /** The bot's handle, as auth.test names it. */
  botName?: string;
  teamId?: string;
  teamName?: string;
  /** The Enterprise Grid organisation the workspace belongs to (none by default). */
  enterpriseId?: string;
  /** An org-wide install: auth.test says so, and the app serves every workspace of `enterpriseId`. */
  enterpriseInstall?: boolean;
  /** The app's id (`A…`), put in every payload. */
  appId?: string;
  /** The people of the workspace; with none, any user id is taken as it comes. */
  users?: SimUser[];
  /** The channels of the workspace; with none, any channel id is taken as it comes. */
  channels?: SimChannel[];
  /** User groups by id, with their members. */
  userGroups?: Record<string, string[]>;
  /**
   * Slack's rules for trigger ids: only ids this simulator issued open a view, once, within three
   * seconds. Tests that make up their own trigger ids leave it off.
   */
  strictTriggers?: boolean;
  now?: () => number;
}

/** The app's bot id, shaped as Slack's spec says (`B` and at least eight more). */
export const simBotId = 'B00000001';

const jsonArgs = new Set(['blocks', 'attachments', 'view', 'metadata']);
/** How many calls and response_url posts are kept for inspection. */
const keptEntries = 10_000;

/**
 * A local Slack for an app to talk to: the Web API methods the bot calls (answered in the shapes
 * Slack's spec gives, with Slack's error names), response_urls, and the state a person would
 * see: channel messages and threads, ephemeral messages, open modals. Every call is recorded;
 * failures (a Slack error or a 429) can be queued per method. What Slack sends to the app is in
 * `AppDelivery`.
 */
export class SlackSim {
  readonly calls: RecordedCall[] = [];
  readonly responsePosts: ResponseUrlPost[] = [];
  readonly userGroups = new Map<string, string[]>();
  /** What apps.connections.open hands out (a Socket Mode server's URL). */
  socketUrl: string | undefined;
  readonly conversations: Conversations;
  readonly views: Views;
  readonly triggers: Triggers;
  readonly users: ReadonlyMap<string, SimUser>;
  readonly channels: ReadonlyMap<string, SimChannel>;
  readonly botToken: string;
  readonly appToken: string;
  readonly botUserId: string;
  readonly botName: string;
  readonly teamId: string;
  readonly teamName: string;
  readonly enterpriseId: string | undefined;
  readonly appId: string;
  readonly now: () => number;
  url = '';
  private readonly enterpriseInstall: boolean;
  private readonly failures = new Map<string, Failure[]>();
  private readonly responseUrls = new Map<string, ResponseUrlContext | undefined>();
  /** The last message each response_url posted (a command's later replace_original acts on it). */
  private readonly responseLast = new Map<string, MessageRef>();
  private readonly listeners = new Set<(change: SimChange) => void>();
  private responseSeq = 0;
  private readonly server: Server;

  private constructor(options: SlackSimOptions) {
    this.now = options.now ?? Date.now;
    this.botToken = options.botToken ?? 'xoxb-slack-sim-bot-token';
    this.appToken = options.appToken ?? 'xapp-slack-sim-app-token';
    this.botUserId = options.botUserId ?? 'UBOT0001';
    this.botName = options.botName ?? 'atlas-backups';
    this.teamId = options.teamId ?? 'T0000001';
    this.teamName = options.teamName ?? 'Example';
    this.enterpriseId = options.enterpriseId;
    this.enterpriseInstall = options.enterpriseInstall ?? false;
    this.appId = options.appId ?? 'A0000001';
    this.users = new Map((options.users ?? []).map((u) => [u.id, u]));
    this.channels = new Map((options.channels ?? []).map((c) => [c.id, c]));
    for (const [id, members] of Object.entries(options.userGroups ?? {})) this.userGroups.set(id, members);
    this.conversations = new Conversations(this.now);
    this.triggers = new Triggers(this.now, options.strictTriggers ?? false);
    this.views = new Views(this.now, (view, open) => this.viewAsSlackShowsIt(view, open));
    this.server = createServer((req, res) => {
      void this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500);
        res.end(String(error));
      });
    });
  }

  static async start(options: SlackSimOptions = {}): Promise<SlackSim> {
    const sim = new SlackSim(options);
    sim.server.listen(0, '127.0.0.1');
    await once(sim.server, 'listening');
    sim.url = `http://127.0.0.1:${(sim.server.address() as AddressInfo).port}`;
    return sim;
  }

  /** Base URL for WebClient's `slackApiUrl`. */
  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  /** The messages of every channel, by `channel/ts`. */
  get messages(): Map<string, ShownMessage> {
    return this.conversations.messages;
  }

  /** Tells `listener` about every change; returns what stops it. */
  onChange(listener: (change: SimChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** @internal For AppDelivery, which changes the workspace too. */
  changed(change: SimChange): void {
    for (const listener of this.listeners) listener(change);
  }

  /** A fresh response_url, as Slack puts in each command and interaction. */
  newResponseUrl(context?: ResponseUrlContext): string {
    this.responseSeq += 1;
    const id = String(this.responseSeq);
    this.responseUrls.set(id, context);
    return `${this.url}/response/${id}`;
  }

  /** Applies a reply as if posted to `responseUrl` (a command's answer in its acknowledgement). */
  respond(responseUrl: string, body: Record<string, unknown>): void {
    this.applyResponse(responseUrl.slice(responseUrl.lastIndexOf('/') + 1), body);
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
    return this.conversations.channelMessages(channel);
  }

  threadReplies(channel: string, ts: string): ShownMessage[] {
    return this.conversations.threadReplies(channel, ts);
  }

  ephemeralFor(user: string): EphemeralMessage[] {
    return this.conversations.ephemeralFor(user);
  }

  /** A person writes in a channel (or a thread); their text is stored escaped, as Slack stores it. */
  postAs(user: string, channel: string, typed: string, threadTs?: string): ShownMessage {
    const shown = this.conversations.post({ channel, user, text: escapeTyped(typed), blocks: [], threadTs });
    this.changed({ kind: 'message', channel, ts: shown.ts });
    return shown;
  }

  /** Slack's own notice to one person (e.g. that a command failed). */
  slackbotNotice(user: string, channel: string, text: string): EphemeralMessage {
    const shown = this.conversations.postEphemeral({
      channel,
      user,
      threadTs: undefined,
      text,
      blocks: [],
      from: 'slackbot',
    });
    this.changed({ kind: 'ephemeral', user, id: shown.id });
    return shown;
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
    this.conversations.clear();
    this.views.clear();
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
      const id = path.slice('/response/'.length);
      if (!this.responseUrls.has(id)) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('invalid_url');
        return;
      }
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(raw || '{}') as Record<string, unknown>;
      } catch {
        res.writeHead(400, { 'content-type': 'text/plain' }).end('invalid_payload');
        return;
      }
      keep(this.responsePosts, { id, body, at: this.now() });
      this.applyResponse(id, body);
      this.changed({ kind: 'call', method: 'response_url' });
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
    const call: RecordedCall = { method, args, token, at: this.now() };
    keep(this.calls, call);

    const failure = this.failures.get(method)?.shift();
    if (failure && 'status' in failure) {
      call.ok = false;
      call.error = 'ratelimited';
      this.changed({ kind: 'call', method });
      res
        .writeHead(429, {
          'retry-after': String(failure.retryAfterSeconds),
          'content-type': 'application/json',
        })
        .end(JSON.stringify({ ok: false, error: 'ratelimited' }));
      return;
    }
    const expected = method === 'apps.connections.open' ? this.appToken : this.botToken;
    const answer = failure
      ? { ok: false, error: failure.error }
      : token !== expected
        ? { ok: false, error: 'invalid_auth' }
        : this.answer(method, args);
    call.ok = answer.ok === true;
    call.error = typeof answer.error === 'string' ? answer.error : undefined;
    this.changed({ kind: 'call', method });
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(answer));
  }

  private knownChannel(channel: string): boolean {
    return channel !== '' && (this.channels.size === 0 || this.channels.has(channel));
  }

  private knownUser(user: string): boolean {
    return user !== '' && (this.users.size === 0 || this.users.has(user));
  }

  private answer(method: string, args: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        // As the spec's auth.test success schema; Slack adds enterprise_id for a workspace in
        // an Enterprise Grid organisation (the spec leaves it out, @slack/web-api types it).
        return {
          ok: true,
          url: `https://${this.teamName.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.slack.com/`,
          team: this.teamName,
          user: this.botName,
          team_id: this.teamId,
          user_id: this.botUserId,
          bot_id: simBotId,
          is_enterprise_install: this.enterpriseInstall,
          ...(this.enterpriseId ? { enterprise_id: this.enterpriseId } : {}),
        };
      case 'chat.postMessage':
        return this.postMessage(args);
      case 'chat.update':
        return this.updateMessage(args);
      case 'chat.postEphemeral':
        return this.postEphemeral(args);
      case 'views.open':
        return this.viewByTrigger(args, 'open');
      case 'views.push':
        return this.viewByTrigger(args, 'push');
      case 'views.update':
        return this.updateView(args);
      case 'usergroups.users.list': {
        // An unknown group has no members here (Slack's spec names no error for it).
        return { ok: true, users: this.userGroups.get(str(args.usergroup)) ?? [] };
      }
      case 'users.info': {
        const user = this.users.get(str(args.user));
        if (!user && this.users.size > 0) return { ok: false, error: 'user_not_found' };
        return {
          ok: true,
          user: {
            id: args.user,
            team_id: this.teamId,
            name: user?.name ?? `user-${str(args.user).toLowerCase()}`,
            real_name: user?.realName ?? user?.name ?? 'Test User',
          },
        };
      }
      case 'apps.connections.open':
        return this.socketUrl ? { ok: true, url: this.socketUrl } : { ok: false, error: 'internal_error' };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  private postMessage(args: Record<string, unknown>): Record<string, unknown> {
    const channel = str(args.channel);
    if (!this.knownChannel(channel)) return { ok: false, error: 'channel_not_found' };
    const text = str(args.text);
    const blocks = Array.isArray(args.blocks) ? args.blocks : [];
    if (text === '' && blocks.length === 0) return { ok: false, error: 'no_text' };
    const threadTs = typeof args.thread_ts === 'string' ? args.thread_ts : undefined;
    const shown = this.conversations.post({
      channel,
      user: this.botUserId,
      botId: simBotId,
      text,
      blocks,
      threadTs,
    });
    this.changed({ kind: 'message', channel, ts: shown.ts });
    return {
      ok: true,
      channel,
      ts: shown.ts,
      message: {
        type: 'message',
        text,
        user: this.botUserId,
        ts: shown.ts,
        bot_id: simBotId,
        team: this.teamId,
        ...(threadTs ? { thread_ts: threadTs } : {}),
      },
    };
  }

  private updateMessage(args: Record<string, unknown>): Record<string, unknown> {
    const channel = str(args.channel);
    const ts = str(args.ts);
    if (!this.knownChannel(channel)) return { ok: false, error: 'channel_not_found' };
    const existing = this.conversations.get(channel, ts);
    if (!existing) return { ok: false, error: 'message_not_found' };
    if (existing.user !== this.botUserId) return { ok: false, error: 'cant_update_message' };
    const text = str(args.text);
    this.conversations.update(channel, ts, {
      text,
      blocks: Array.isArray(args.blocks) ? args.blocks : [],
    });
    this.changed({ kind: 'message', channel, ts });
    return { ok: true, channel, ts, text, message: { text, user: this.botUserId, bot_id: simBotId } };
  }

  private postEphemeral(args: Record<string, unknown>): Record<string, unknown> {
    const channel = str(args.channel);
    const user = str(args.user);
    if (!this.knownChannel(channel)) return { ok: false, error: 'channel_not_found' };
    if (!this.knownUser(user)) return { ok: false, error: 'user_not_in_channel' };
    const text = str(args.text);
    const blocks = Array.isArray(args.blocks) ? args.blocks : [];
    if (text === '' && blocks.length === 0) return { ok: false, error: 'no_text' };
    const shown = this.conversations.postEphemeral({
      channel,
      user,
      threadTs: typeof args.thread_ts === 'string' ? args.thread_ts : undefined,
      text,
      blocks,
      from: 'bot',
    });
    this.changed({ kind: 'ephemeral', user, id: shown.id });
    return { ok: true, message_ts: shown.ts };
  }

  /** views.open and views.push: a view for the person the trigger id was issued to. */
  private viewByTrigger(args: Record<string, unknown>, place: 'open' | 'push'): Record<string, unknown> {
    const view = viewArg(args.view);
    if (!view) return invalidView();
    const trigger = this.triggers.use(args.trigger_id);
    if (!trigger.ok) return { ok: false, error: trigger.error };
    return this.viewAnswer(
      place === 'open'
        ? { ok: true, view: this.views.open(trigger.user, view) }
        : this.views.push(trigger.user, view),
    );
  }

  private updateView(args: Record<string, unknown>): Record<string, unknown> {
    const view = viewArg(args.view);
    if (!view) return invalidView();
    const viewId = typeof args.view_id === 'string' && args.view_id !== '' ? args.view_id : undefined;
    const externalId = typeof args.external_id === 'string' ? args.external_id : undefined;
    if (viewId === undefined && externalId === undefined) return { ok: false, error: 'invalid_arguments' };
    const hash = typeof args.hash === 'string' && args.hash !== '' ? args.hash : undefined;
    return this.viewAnswer(this.views.update({ viewId, externalId, hash }, view));
  }

  private viewAnswer(result: ViewResult): Record<string, unknown> {
    if (!result.ok) return { ok: false, error: result.error };
    this.changed({ kind: 'view', user: result.view.user, id: result.view.id });
    return { ok: true, view: result.view.view };
  }

  /** The view object Slack returns and sends back in payloads: the app's view and Slack's fields. */
  private viewAsSlackShowsIt(view: Record<string, unknown>, open: OpenView): Record<string, unknown> {
    return {
      ...view,
      id: open.id,
      team_id: this.teamId,
      type: view.type ?? 'modal',
      private_metadata: typeof view.private_metadata === 'string' ? view.private_metadata : '',
      callback_id: typeof view.callback_id === 'string' ? view.callback_id : '',
      state: { values: {} },
      hash: open.hash,
      clear_on_close: view.clear_on_close === true,
      notify_on_close: view.notify_on_close === true,
      root_view_id: open.rootViewId,
      previous_view_id: open.previousViewId ?? null,
      app_id: this.appId,
      external_id: typeof view.external_id === 'string' ? view.external_id : '',
      bot_id: simBotId,
    };
  }

  /** What a post to a response_url does: a new message, or a change to the one it came from. */
  private applyResponse(id: string, body: Record<string, unknown>): void {
    const context = this.responseUrls.get(id);
    if (!context) return;
    const text = str(body.text);
    const blocks = Array.isArray(body.blocks) ? body.blocks : [];
    const source = context.source ?? this.responseLast.get(id);
    if (body.delete_original === true) {
      if (source && this.conversations.remove(source)) this.changedRef(source, context.user);
      return;
    }
    if (body.replace_original === true && source) {
      if (this.conversations.replace(source, { text, blocks })) {
        this.changedRef(source, context.user);
        return;
      }
    }
    if (body.response_type === 'in_channel') {
      const shown = this.conversations.post({
        channel: context.channel,
        user: this.botUserId,
        botId: simBotId,
        text,
        blocks,
        threadTs: typeof body.thread_ts === 'string' ? body.thread_ts : undefined,
      });
      this.responseLast.set(id, { kind: 'channel', channel: shown.channel, ts: shown.ts });
      this.changed({ kind: 'message', channel: shown.channel, ts: shown.ts });
      return;
    }
    const shown = this.conversations.postEphemeral({
      channel: context.channel,
      user: context.user,
      threadTs: undefined,
      text,
      blocks,
      from: 'bot',
    });
    this.responseLast.set(id, { kind: 'ephemeral', id: shown.id });
    this.changed({ kind: 'ephemeral', user: context.user, id: shown.id });
  }

  private changedRef(ref: MessageRef, user: string): void {
    this.changed(
      ref.kind === 'channel'
        ? { kind: 'message', channel: ref.channel, ts: ref.ts }
        : { kind: 'ephemeral', user, id: ref.id },
    );
  }
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function keep<T>(list: T[], entry: T): void {
  list.push(entry);
  if (list.length > keptEntries) list.splice(0, list.length - keptEntries);
}

function viewArg(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function invalidView(): Record<string, unknown> {
  return {
    ok: false,
    error: 'invalid_arguments',
    response_metadata: { messages: ['[ERROR] missing required field: view'] },
  };
}

function parseArgs(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (raw === '') return {};
  if (contentType?.includes('application/json')) {
    const parsed = safeJson(raw);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : {};
  }
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
