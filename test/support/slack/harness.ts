import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '@atlas-backups/atlas-sim';
import {
  ActionService,
  AtlasClient,
  MemoryAuditLog,
  createApprovalStack,
  localOperatorPolicy,
  maxRequestsPerMinute,
  type ApprovalEngine,
  type PolicyEngine,
} from '@atlas-backups/core';
import {
  createSlackApprovalStack,
  createSlackBot,
  openBotDatabase,
  type BotDatabase,
  type SlackApprovalStack,
  type SlackBot,
  type SlackBotOptions,
} from '@atlas-backups/slackbot';
import { FakeSlack, waitFor, type ResponseUrlPost } from './fake-slack.js';
import { interactionBody, signRequest, slashCommandBody } from './sign.js';

export const signingSecret = 'test-signing-secret-8f2a1c';
export const botToken = 'xoxb-test-bot-token';
export const appToken = 'xapp-test-app-token';

export interface HarnessOptions {
  policy?: PolicyEngine;
  /** Wire core's approval engine on the bot's database (as main does) instead of no approvals. */
  approvalStack?: boolean;
  /**
   * The approval UI wired as main wires it (createSlackApprovalStack): user groups read from the
   * fake Slack, the policy from `env.ATLAS_POLICY_FILE` (or `policy` when given, else the defaults).
   */
  approvals?: ApprovalUiOptions;
  readOnly?: boolean;
  simulator?: SimulatorOptions;
  /** Keep the bot's database here (to test a restart); a fresh temp dir otherwise. */
  dbPath?: string;
  bot?: Partial<SlackBotOptions>;
  socketMode?: boolean;
  fakeSlack?: FakeSlack;
}

export interface ApprovalUiOptions {
  env?: Record<string, string>;
  approvalsChannel?: string;
  auditChannel?: string;
  /** The approval engine's clock (expiry), e.g. a test's own. */
  now?: () => number;
  /** How often the expiry timer runs (default 20 ms in tests). */
  expiryIntervalMs?: number;
}

/** Who is acting and from where, as every interaction payload carries it. */
function interactionEnvelope(options: SendOptions) {
  const name = options.userName ?? 'oncall';
  return {
    team: { id: options.teamId ?? 'T0000001', domain: 'example' },
    ...(options.enterpriseId ? { enterprise: { id: options.enterpriseId, name: 'Example Org' } } : {}),
    user: {
      id: options.user ?? 'U0ONCALL1',
      username: name,
      name,
      team_id: options.userTeamId ?? options.teamId ?? 'T0000001',
    },
    api_app_id: 'A0000001',
    token: 'deprecated-verification-token',
    trigger_id: options.triggerId ?? newTriggerId(),
  };
}

export interface SendOptions {
  user?: string;
  userName?: string;
  channel?: string;
  retryNum?: number;
  timestampSeconds?: number;
  /** Sign with this secret instead of the right one. */
  secret?: string;
  /** Send exactly this body (e.g. a replay). */
  rawBody?: string;
  triggerId?: string;
  /** The workspace the request says it comes from (T0000001, the fake Slack's, by default). */
  teamId?: string;
  /** The Enterprise Grid organisation it says it comes from (none by default). */
  enterpriseId?: string;
  /** The clicking person's own workspace, when it differs (a shared channel). */
  userTeamId?: string;
}

export interface HttpResult {
  status: number;
  text: string;
  json: Record<string, unknown> | undefined;
  ms: number;
}

let triggerSeq = 0;
export const newTriggerId = () => `${Date.now()}.${(triggerSeq += 1)}.trigger`;

/** The form fields Slack posts for `/atlas <text>`, with a fresh response_url on the fake Slack. */
export function slashCommandFields(
  slack: FakeSlack,
  text: string,
  options: SendOptions = {},
): Record<string, string> & { response_url: string } {
  return {
    token: 'deprecated-verification-token',
    team_id: options.teamId ?? 'T0000001',
    team_domain: 'example',
    ...(options.enterpriseId ? { enterprise_id: options.enterpriseId, enterprise_name: 'Example Org' } : {}),
    channel_id: options.channel ?? 'C0INCIDENT',
    channel_name: 'incident',
    user_id: options.user ?? 'U0ONCALL1',
    user_name: options.userName ?? 'oncall',
    command: '/atlas',
    text,
    api_app_id: 'A0000001',
    is_enterprise_install: 'false',
    response_url: slack.newResponseUrl(),
    trigger_id: options.triggerId ?? newTriggerId(),
  };
}

/** Posts `/atlas <text>` to a bot's request URL, signed as Slack would. */
export async function postSignedCommand(
  url: string,
  slack: FakeSlack,
  text: string,
  options: SendOptions = {},
): Promise<{ status: number; json: Record<string, unknown> | undefined; responseUrl: string }> {
  const fields = slashCommandFields(slack, text, options);
  const body = slashCommandBody(fields);
  const res = await fetch(url, { method: 'POST', headers: signRequest(signingSecret, body).headers, body });
  const textBody = await res.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = textBody ? (JSON.parse(textBody) as Record<string, unknown>) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, json, responseUrl: fields.response_url };
}

/** The payload Slack posts when a button is pressed, with a fresh response_url on the fake Slack. */
export function clickPayload(
  slack: FakeSlack,
  button: { action_id: string; value: string },
  options: SendOptions = {},
): { payload: Record<string, unknown>; responseUrl: string } {
  const responseUrl = slack.newResponseUrl();
  const payload = {
    type: 'block_actions',
    ...interactionEnvelope(options),
    container: {
      type: 'message',
      message_ts: '1700000000.000001',
      channel_id: options.channel ?? 'C0INCIDENT',
      is_ephemeral: true,
    },
    channel: { id: options.channel ?? 'C0INCIDENT', name: 'incident' },
    response_url: responseUrl,
    actions: [
      {
        type: 'button',
        action_id: button.action_id,
        block_id: 'atlas_confirmation',
        value: button.value,
        text: { type: 'plain_text', text: 'Confirm' },
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  };
  return { payload, responseUrl };
}

/** Presses a button, posting the signed interaction to a bot's request URL. */
export async function postSignedClick(
  url: string,
  slack: FakeSlack,
  button: { action_id: string; value: string },
  options: SendOptions = {},
): Promise<{ status: number; responseUrl: string }> {
  const { payload, responseUrl } = clickPayload(slack, button, options);
  const body = interactionBody(payload);
  const res = await fetch(url, { method: 'POST', headers: signRequest(signingSecret, body).headers, body });
  await res.arrayBuffer();
  return { status: res.status, responseUrl };
}

/**
 * The real bot (createSlackBot, Bolt in HTTP mode on a loopback port) wired to a real simulator
 * over HTTP and a fake Slack Web API; sends Slack-signed requests like Slack does.
 */
export class BotHarness {
  private tempDir: string | undefined;
  private dbPath = '';
  approvals: ApprovalEngine | undefined;
  /** With `approvals`: the stack the bot runs on (engine, audit log, followed jobs). */
  approvalStack: SlackApprovalStack | undefined;
  private botOptions: SlackBotOptions | undefined;
  private options: HarnessOptions = {};

  private constructor(
    readonly audit: MemoryAuditLog,
    readonly sim: RunningSimulator,
    readonly atlas: AtlasClient,
    readonly slack: FakeSlack,
    public db: BotDatabase,
    readonly actions: ActionService,
    public bot: SlackBot,
    public url: string,
    private readonly ownsSlack: boolean,
  ) {}

  static async start(options: HarnessOptions = {}): Promise<BotHarness> {
    const sim = await startSimulator({ clock: 'manual', ...options.simulator });
    const atlas = new AtlasClient({
      baseUrl: sim.url,
      credentials: {
        kind: 'serviceAccount',
        clientId: sim.credentials.clientId,
        clientSecret: sim.credentials.clientSecret,
      },
      retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 20 },
      // Jobs are polled every 10 ms here, far beyond any real budget.
      requestsPerMinute: maxRequestsPerMinute,
    });
    const slack = options.fakeSlack ?? (await FakeSlack.start({ botToken, appToken }));
    let tempDir: string | undefined;
    let dbPath = options.dbPath;
    if (!dbPath) {
      tempDir = mkdtempSync(join(tmpdir(), 'slackbot-test-'));
      dbPath = join(tempDir, 'bot.sqlite');
    }
    const db = openBotDatabase(dbPath);
    const audit = new MemoryAuditLog();
    const policy = options.policy ?? localOperatorPolicy;
    let approvals: ApprovalEngine | undefined;
    let approvalStack: SlackApprovalStack | undefined;
    let actions: ActionService;
    if (options.approvals) {
      approvalStack = BotHarness.approvalStack(options, db, atlas, slack, audit);
      actions = approvalStack.actions;
      approvals = approvalStack.approvals;
    } else if (options.approvalStack) {
      const stack = createApprovalStack({ db, client: atlas, policy, auditSinks: [audit] });
      actions = stack.actions;
      approvals = stack.approvals;
    } else {
      actions = new ActionService({ client: atlas, policy, audit, readOnly: options.readOnly });
    }
    const botOptions: SlackBotOptions = {
      atlas,
      actions,
      db,
      botToken,
      signingSecret: options.socketMode ? undefined : signingSecret,
      appToken: options.socketMode ? appToken : undefined,
      clientOptions: { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } },
      logLevel: 'error' as SlackBotOptions['logLevel'],
      follow: { pollIntervalMs: 10, minUpdateIntervalMs: 0, updatesPerMinute: 10_000 },
      socketMode: { autoReconnectEnabled: false, clientPingTimeout: 30_000, serverPingTimeout: 60_000 },
      ...(approvalStack
        ? {
            approvalStack,
            approvalsChannel: options.approvals?.approvalsChannel,
            approvalExpiryIntervalMs: options.approvals?.expiryIntervalMs ?? 20,
          }
        : {}),
      ...options.bot,
    };
    const bot = createSlackBot(botOptions);
    const started = await bot.start(0, '127.0.0.1');
    const url = `http://127.0.0.1:${started.port ?? 0}/slack/events`;
    const h = new BotHarness(
      audit,
      sim,
      atlas,
      slack,
      db,
      actions,
      bot,
      url,
      options.fakeSlack === undefined,
    );
    h.approvals = approvals;
    h.approvalStack = approvalStack;
    h.options = options;
    h.tempDir = tempDir;
    h.dbPath = dbPath;
    h.botOptions = botOptions;
    return h;
  }

  private static approvalStack(
    options: HarnessOptions,
    db: BotDatabase,
    atlas: AtlasClient,
    slack: FakeSlack,
    audit: MemoryAuditLog,
  ): SlackApprovalStack {
    const ui = options.approvals ?? {};
    const policy = options.policy;
    return createSlackApprovalStack({
      db,
      client: atlas,
      botToken,
      clientOptions: { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } },
      logLevel: 'error' as SlackBotOptions['logLevel'],
      env: ui.env ?? {},
      policy: policy ? () => policy : undefined,
      auditChannel: ui.auditChannel,
      auditSinks: [audit],
      readOnly: options.readOnly,
      now: ui.now,
    });
  }

  /**
   * Stops the bot and starts a new one on the same database file, as a restart would; with the
   * approval UI, on a new approval stack too. `whileStopped` runs in between.
   */
  async restart(whileStopped?: () => void | Promise<void>): Promise<void> {
    await this.bot.stop();
    await this.approvalStack?.auditChannel?.flush();
    this.db.close();
    await whileStopped?.();
    this.db = openBotDatabase(this.dbPath);
    let options: SlackBotOptions = { ...(this.botOptions as SlackBotOptions), db: this.db };
    if (this.options.approvals) {
      const stack = BotHarness.approvalStack(this.options, this.db, this.atlas, this.slack, this.audit);
      this.approvalStack = stack;
      this.approvals = stack.approvals;
      options = { ...options, actions: stack.actions, approvalStack: stack };
    }
    this.bot = createSlackBot(options);
    const started = await this.bot.start(0, '127.0.0.1');
    this.url = `http://127.0.0.1:${started.port ?? 0}/slack/events`;
  }

  get projectId(): string {
    return this.sim.seed.projectId;
  }

  async post(body: string, headers: Record<string, string>): Promise<HttpResult> {
    const started = performance.now();
    const res = await fetch(this.url, { method: 'POST', headers, body });
    const text = await res.text();
    let json: Record<string, unknown> | undefined;
    try {
      json = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, text, json, ms: performance.now() - started };
  }

  /** Builds the form fields Slack posts for `/atlas <text>`. */
  commandFields(text: string, options: SendOptions = {}): Record<string, string> & { response_url: string } {
    return slashCommandFields(this.slack, text, options);
  }

  /** Sends `/atlas <text>` signed as Slack would; returns the HTTP answer and the command's response_url. */
  async command(
    text: string,
    options: SendOptions = {},
  ): Promise<HttpResult & { responseUrl: string; body: string }> {
    const fields = this.commandFields(text, options);
    const body = options.rawBody ?? slashCommandBody(fields);
    const signed = signRequest(options.secret ?? signingSecret, body, options);
    const result = await this.post(body, signed.headers);
    return { ...result, responseUrl: fields.response_url, body };
  }

  async interact(
    payload: Record<string, unknown>,
    options: SendOptions = {},
  ): Promise<HttpResult & { body: string }> {
    const body = options.rawBody ?? interactionBody(payload);
    const signed = signRequest(options.secret ?? signingSecret, body, options);
    return { ...(await this.post(body, signed.headers)), body };
  }

  /** Presses a button on a message the bot posted through `responseUrl`. */
  async click(
    button: { action_id: string; value: string },
    options: SendOptions & { messageResponseUrl?: string } = {},
  ): Promise<HttpResult & { responseUrl: string; body: string }> {
    const { payload, responseUrl } = clickPayload(this.slack, button, options);
    return { ...(await this.interact(payload, options)), responseUrl };
  }

  /** Submits a form the bot opened, with the given input values: `{ blockId: { actionId: value } }`. */
  async submitView(
    view: Record<string, unknown>,
    values: Record<string, Record<string, Record<string, unknown>>>,
    options: SendOptions = {},
  ): Promise<HttpResult & { body: string }> {
    return this.interact(
      {
        type: 'view_submission',
        ...interactionEnvelope(options),
        view: {
          ...view,
          id: view.id ?? 'V00000001',
          team_id: 'T0000001',
          type: 'modal',
          hash: `${Date.now()}.hash`,
          state: { values },
        },
        response_urls: [],
      },
      options,
    );
  }

  /** Picks an option in a form's select (`dispatch_action`), as Slack reports it. */
  async pick(
    view: Record<string, unknown>,
    values: Record<string, Record<string, Record<string, unknown>>>,
    changed: { block_id: string; action_id: string; value: string; type?: string },
    options: SendOptions = {},
  ): Promise<HttpResult & { body: string }> {
    return this.interact(
      {
        type: 'block_actions',
        ...interactionEnvelope(options),
        container: { type: 'view', view_id: view.id },
        view: { ...view, team_id: 'T0000001', type: 'modal', hash: `${Date.now()}.hash`, state: { values } },
        actions: [
          {
            type: changed.type ?? 'static_select',
            block_id: changed.block_id,
            action_id: changed.action_id,
            selected_option: { text: { type: 'plain_text', text: changed.value }, value: changed.value },
            action_ts: `${Date.now() / 1000}`,
          },
        ],
      },
      options,
    );
  }

  /** Waits for the n-th post (1-based) to a response_url. */
  async responseTo(responseUrl: string, n = 1, what = 'a response_url post'): Promise<ResponseUrlPost> {
    return waitFor(() => this.slack.postsTo(responseUrl)[n - 1], what);
  }

  async close(): Promise<void> {
    await this.bot.stop();
    await this.approvalStack?.auditChannel?.flush();
    this.db.close();
    await this.atlas.close();
    await this.sim.close();
    if (this.ownsSlack) await this.slack.close();
    if (this.tempDir) rmSync(this.tempDir, { recursive: true, force: true });
  }
}

/** Every piece of text in a Block Kit payload, joined: what a person would read. */
export function blockText(value: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string') return;
    if (Array.isArray(v)) return v.forEach(walk);
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if ((o.type === 'mrkdwn' || o.type === 'plain_text') && typeof o.text === 'string') out.push(o.text);
      for (const [k, child] of Object.entries(o)) if (k !== 'text' || typeof child !== 'string') walk(child);
    }
  };
  walk(value);
  return out.join('\n').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** The buttons of a message, by action id. */
export function buttons(
  blocks: unknown,
): { action_id: string; value: string; style?: string; text: string }[] {
  const out: { action_id: string; value: string; style?: string; text: string }[] = [];
  for (const block of (blocks as { type: string; elements?: Record<string, unknown>[] }[]) ?? []) {
    if (block.type !== 'actions') continue;
    for (const el of block.elements ?? []) {
      if (el.type === 'button')
        out.push({
          action_id: String(el.action_id),
          value: String(el.value),
          style: el.style as string | undefined,
          text: String((el.text as { text: string }).text),
        });
    }
  }
  return out;
}
