import {
  actionFor,
  escapeTyped,
  findElement,
  isObject,
  type ElementInput,
  type Json,
  type StateValues,
} from './block-kit.js';
import { interactionBody, signRequest, slashCommandBody } from './signing.js';
import type { SlackSim } from './slack-sim.js';
import type { MessageRef, OpenView } from './types.js';

export interface AppDeliveryOptions {
  /** Where the app takes Slack's requests (its Request URL, `/slack/events`). */
  requestUrl: string;
  signingSecret: string;
  /** The app's slash command. */
  command?: string;
  /** How long Slack waits for the app's answer (three seconds). */
  timeoutMs?: number;
}

export type PayloadKind =
  'slash_command' | 'block_actions' | 'view_submission' | 'view_closed' | 'block_suggestion';

/** One request Slack sent to the app, and how the app answered. */
export interface Delivery {
  at: number;
  kind: PayloadKind;
  user: string;
  /** What it was, in a few words (`/atlas help`, `atlas_confirm`, `atlas_restore_form`). */
  summary: string;
  /** The HTTP status, or why there was none. */
  status: number | 'timeout' | 'unreachable';
  ms: number;
}

/** What became of a request: answered, or the error Slack shows when the app fails it. */
export type DeliveryOutcome =
  | { ok: true; body: unknown }
  | { ok: false; error: 'dispatch_failed' | 'operation_timeout' | 'invalid_request'; detail?: string };

/** Where an action happened: on a channel message, an ephemeral message, or in an open view. */
export type ActionSource =
  | { kind: 'message'; channel: string; ts: string }
  | { kind: 'ephemeral'; id: string }
  | { kind: 'view'; viewId: string };

const keptDeliveries = 500;

/**
 * What Slack sends to an app, signed with its signing secret as Slack signs: slash commands,
 * button presses and picks (block_actions), form submissions and closes, and the option lists an
 * external select asks for. Each carries a fresh trigger id and, where Slack gives one, a
 * response_url tied to where it happened. The app's immediate answer is applied as Slack applies
 * it (a command's reply message, a form's errors, update, push or close).
 */
export class AppDelivery {
  readonly deliveries: Delivery[] = [];
  private readonly command: string;
  private readonly timeoutMs: number;

  constructor(
    private readonly slack: SlackSim,
    private readonly options: AppDeliveryOptions,
  ) {
    this.command = options.command ?? '/atlas';
    this.timeoutMs = options.timeoutMs ?? 3_000;
  }

  private who(user: string): Json {
    const name = this.slack.users.get(user)?.name ?? user.toLowerCase();
    return { id: user, username: name, name, team_id: this.slack.teamId };
  }

  private envelope(user: string): Json {
    return {
      team: { id: this.slack.teamId, domain: this.slack.teamName.toLowerCase() },
      user: this.who(user),
      api_app_id: this.slack.appId,
      token: 'deprecated-verification-token',
      is_enterprise_install: false,
      enterprise: this.slack.enterpriseId ? { id: this.slack.enterpriseId, name: 'Enterprise' } : null,
    };
  }

  private channelName(channel: string): string {
    return this.slack.channels.get(channel)?.name ?? channel.toLowerCase();
  }

  /** `/atlas <typed>` typed by `user` in `channel`. */
  async slashCommand(user: string, channel: string, typed: string): Promise<DeliveryOutcome> {
    const text = escapeTyped(typed);
    const responseUrl = this.slack.newResponseUrl({ channel, user });
    const fields = {
      token: 'deprecated-verification-token',
      team_id: this.slack.teamId,
      team_domain: this.slack.teamName.toLowerCase(),
      ...(this.slack.enterpriseId ? { enterprise_id: this.slack.enterpriseId } : {}),
      channel_id: channel,
      channel_name: this.channelName(channel),
      user_id: user,
      user_name: this.slack.users.get(user)?.name ?? user.toLowerCase(),
      command: this.command,
      text,
      api_app_id: this.slack.appId,
      is_enterprise_install: 'false',
      response_url: responseUrl,
      trigger_id: this.slack.triggers.issue(user),
    };
    const outcome = await this.send(
      'slash_command',
      user,
      `${this.command} ${typed}`.trim(),
      slashCommandBody(fields),
    );
    if (!outcome.ok) {
      this.slack.slackbotNotice(user, channel, `${this.command} failed with the error "${outcome.error}"`);
      return outcome;
    }
    // An answer in the acknowledgement is the command's first reply, as if posted to its response_url.
    const reply = replyBody(outcome.body);
    if (reply) this.slack.respond(responseUrl, reply);
    return outcome;
  }

  /** `user` presses a button or picks an option in `source`. */
  async blockAction(
    user: string,
    source: ActionSource,
    target: { blockId: string; actionId: string },
    input: ElementInput = {},
    state: StateValues = {},
  ): Promise<DeliveryOutcome> {
    const place = this.locate(user, source);
    if (!place) return { ok: false, error: 'invalid_request', detail: 'that message or view is gone' };
    const found = findElement(place.blocks, target.blockId, target.actionId);
    if (!found) return { ok: false, error: 'invalid_request', detail: `no ${target.actionId} there` };
    const built = actionFor(found, input, actionTs(this.slack.now()));
    if (!built.ok) return { ok: false, error: 'invalid_request', detail: built.problem };
    const payload: Json = {
      type: 'block_actions',
      ...this.envelope(user),
      trigger_id: this.slack.triggers.issue(user),
      ...place.payload,
      state: { values: state },
      actions: [built.action],
    };
    if (place.view) payload.view = { ...place.view.view, state: { values: state } };
    return this.send('block_actions', user, target.actionId, interactionBody(payload));
  }

  /** `user` submits their top view with these values. */
  async submitView(user: string, viewId: string, state: StateValues): Promise<DeliveryOutcome> {
    const open = this.slack.views.get(viewId);
    if (!open || open.user !== user) return { ok: false, error: 'invalid_request', detail: 'no such view' };
    const payload: Json = {
      type: 'view_submission',
      ...this.envelope(user),
      trigger_id: this.slack.triggers.issue(user),
      view: { ...open.view, state: { values: state } },
      response_urls: [],
    };
    const summary = callbackIdOf(open.view, viewId);
    const outcome = await this.send('view_submission', user, summary, interactionBody(payload));
    if (outcome.ok) this.applySubmissionAnswer(user, open, outcome.body);
    return outcome;
  }

  /** `user` closes a view; the app hears of it only when the view asked (`notify_on_close`). */
  async closeView(user: string, viewId: string, state: StateValues = {}): Promise<DeliveryOutcome> {
    const open = this.slack.views.get(viewId);
    if (!open || open.user !== user) return { ok: false, error: 'invalid_request', detail: 'no such view' };
    const all = open.view.clear_on_close === true;
    this.slack.views.close(user, viewId, all);
    this.slack.changed({ kind: 'view', user, id: viewId });
    if (open.view.notify_on_close !== true) return { ok: true, body: undefined };
    const payload: Json = {
      type: 'view_closed',
      ...this.envelope(user),
      view: { ...open.view, state: { values: state } },
      is_cleared: all,
    };
    return this.send('view_closed', user, callbackIdOf(open.view, viewId), interactionBody(payload));
  }

  /** An external select asks the app for options matching what `user` typed. */
  async suggest(
    user: string,
    source: ActionSource,
    target: { blockId: string; actionId: string },
    value: string,
  ): Promise<DeliveryOutcome> {
    const place = this.locate(user, source);
    if (!place) return { ok: false, error: 'invalid_request', detail: 'that message or view is gone' };
    const found = findElement(place.blocks, target.blockId, target.actionId);
    if (found?.element.type !== 'external_select')
      return { ok: false, error: 'invalid_request', detail: `no external select ${target.actionId} there` };
    const { response_url: _, ...where } = place.payload;
    const payload: Json = {
      type: 'block_suggestion',
      ...this.envelope(user),
      ...where,
      ...(place.view ? { view: place.view.view } : {}),
      block_id: target.blockId,
      action_id: target.actionId,
      value,
    };
    return this.send('block_suggestion', user, target.actionId, interactionBody(payload));
  }

  /** The blocks an action happened in, and the payload fields that say where it was. */
  private locate(
    user: string,
    source: ActionSource,
  ): { blocks: unknown; payload: Json; view?: OpenView } | undefined {
    if (source.kind === 'view') {
      const open = this.slack.views.get(source.viewId);
      if (!open || open.user !== user) return undefined;
      return {
        blocks: open.view.blocks,
        view: open,
        payload: { container: { type: 'view', view_id: open.id } },
      };
    }
    if (source.kind === 'ephemeral') {
      const shown = this.slack.ephemeralFor(user).find((m) => m.id === source.id);
      if (!shown) return undefined;
      const ref: MessageRef = { kind: 'ephemeral', id: shown.id };
      return {
        blocks: shown.blocks,
        payload: {
          container: { type: 'message', message_ts: shown.ts, channel_id: shown.channel, is_ephemeral: true },
          channel: { id: shown.channel, name: this.channelName(shown.channel) },
          response_url: this.slack.newResponseUrl({ channel: shown.channel, user, source: ref }),
        },
      };
    }
    const shown = this.slack.conversations.get(source.channel, source.ts);
    if (!shown) return undefined;
    return {
      blocks: shown.blocks,
      payload: {
        container: {
          type: 'message',
          message_ts: shown.ts,
          channel_id: shown.channel,
          is_ephemeral: false,
          ...(shown.threadTs ? { thread_ts: shown.threadTs } : {}),
        },
        channel: { id: shown.channel, name: this.channelName(shown.channel) },
        message: {
          type: 'message',
          user: shown.user,
          ...(shown.botId ? { bot_id: shown.botId } : {}),
          ts: shown.ts,
          text: shown.text,
          blocks: shown.blocks,
          ...(shown.threadTs ? { thread_ts: shown.threadTs } : {}),
        },
        response_url: this.slack.newResponseUrl({
          channel: shown.channel,
          user,
          source: { kind: 'channel', channel: shown.channel, ts: shown.ts },
        }),
      },
    };
  }

  /** A submission's answer: errors under fields, the view updated or pushed, or closed. */
  private applySubmissionAnswer(user: string, open: OpenView, body: unknown): void {
    const answer = isObject(body) ? body : {};
    const view = isObject(answer.view) ? answer.view : undefined;
    switch (answer.response_action) {
      case 'errors':
        this.slack.views.setErrors(open.id, isObject(answer.errors) ? stringValues(answer.errors) : {});
        break;
      case 'update':
        if (view) this.slack.views.update({ viewId: open.id }, view);
        break;
      case 'push':
        if (view) this.slack.views.push(user, view);
        break;
      case 'clear':
        this.slack.views.close(user, open.id, true);
        break;
      default:
        this.slack.views.close(user, open.id);
    }
    this.slack.changed({ kind: 'view', user, id: open.id });
  }

  private async send(
    kind: PayloadKind,
    user: string,
    summary: string,
    body: string,
  ): Promise<DeliveryOutcome> {
    const started = performance.now();
    const record = (status: Delivery['status']) => {
      this.deliveries.push({
        at: this.slack.now(),
        kind,
        user,
        summary,
        status,
        ms: Math.round(performance.now() - started),
      });
      if (this.deliveries.length > keptDeliveries)
        this.deliveries.splice(0, this.deliveries.length - keptDeliveries);
      this.slack.changed({ kind: 'delivery' });
    };
    const contentType = kind === 'slash_command' ? undefined : 'application/x-www-form-urlencoded';
    const signed = signRequest(this.options.signingSecret, body, contentType ? { contentType } : {});
    let res: Response;
    try {
      res = await fetch(this.options.requestUrl, {
        method: 'POST',
        headers: signed.headers,
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      record(timedOut ? 'timeout' : 'unreachable');
      return { ok: false, error: timedOut ? 'operation_timeout' : 'dispatch_failed' };
    }
    const text = await res.text().catch(() => '');
    record(res.status);
    if (res.status !== 200) return { ok: false, error: 'dispatch_failed', detail: `HTTP ${res.status}` };
    return { ok: true, body: parseAnswer(text, res.headers.get('content-type')) };
  }
}

function parseAnswer(text: string, contentType: string | null): unknown {
  if (text === '') return undefined;
  if (contentType?.includes('application/json')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

/** A command's acknowledgement as a reply message: JSON with text or blocks, or plain text. */
function replyBody(body: unknown): Json | undefined {
  if (typeof body === 'string' && body.trim() !== '') return { text: body };
  if (isObject(body) && (typeof body.text === 'string' || Array.isArray(body.blocks))) return body;
  return undefined;
}

function stringValues(obj: Json): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj)) if (typeof v === 'string') out[k] = v;
  return out;
}

function actionTs(now: number): string {
  return (now / 1000).toFixed(6);
}

/** What a view is called in the request log: its callback id, else its id. */
function callbackIdOf(view: { callback_id?: unknown }, viewId: string): string {
  return typeof view.callback_id === 'string' && view.callback_id !== '' ? view.callback_id : viewId;
}
