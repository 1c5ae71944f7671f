import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppDelivery, SlackSim, slackSignature, triggerLifetimeMs } from '../src/index.js';

const token = 'xoxb-sim-test';
const secret = 'sim-signing-secret';

function workspace(now: () => number) {
  return SlackSim.start({
    botToken: token,
    teamId: 'T0SIMTEST1',
    botUserId: 'U0BOT',
    users: [
      { id: 'U0ANN', name: 'ann' },
      { id: 'U0BOB', name: 'bob' },
    ],
    channels: [{ id: 'C0GENERAL1', name: 'general' }],
    strictTriggers: true,
    now,
  });
}

async function call(sim: SlackSim, method: string, args: Record<string, unknown>) {
  const res = await fetch(`${sim.apiUrl}${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(args),
  });
  return (await res.json()) as Record<string, unknown> & { ok: boolean; error?: string };
}

const modal = (title: string, blocks: unknown[] = []) => ({
  type: 'modal',
  callback_id: 'test_form',
  title: { type: 'plain_text', text: title },
  submit: { type: 'plain_text', text: 'Go' },
  blocks,
});

describe('the Slack simulator’s Web API', () => {
  let sim: SlackSim;
  let clock = 1_800_000_000_000;
  beforeEach(async () => {
    clock = 1_800_000_000_000;
    sim = await workspace(() => clock);
  });
  afterEach(async () => {
    await sim.close();
  });

  it('opens a view once per trigger id, only within three seconds, and only for ids it issued', async () => {
    const first = sim.triggers.issue('U0ANN');
    const opened = await call(sim, 'views.open', { trigger_id: first, view: modal('One') });
    expect(opened.ok).toBe(true);
    expect(sim.views.stack('U0ANN').map((v) => v.id)).toEqual([(opened.view as { id: string }).id]);
    expect((await call(sim, 'views.open', { trigger_id: first, view: modal('Again') })).error).toBe(
      'exchanged_trigger_id',
    );

    const late = sim.triggers.issue('U0ANN');
    clock += triggerLifetimeMs + 1;
    expect((await call(sim, 'views.open', { trigger_id: late, view: modal('Late') })).error).toBe(
      'expired_trigger_id',
    );
    expect((await call(sim, 'views.open', { trigger_id: 'made-up', view: modal('?') })).error).toBe(
      'invalid_trigger_id',
    );
  });

  it('stacks pushed views up to three, and refuses an update naming an old hash', async () => {
    const opened = await call(sim, 'views.open', {
      trigger_id: sim.triggers.issue('U0ANN'),
      view: modal('1'),
    });
    const root = opened.view as { id: string; hash: string };
    for (const title of ['2', '3'])
      expect(
        (await call(sim, 'views.push', { trigger_id: sim.triggers.issue('U0ANN'), view: modal(title) })).ok,
      ).toBe(true);
    expect(
      (await call(sim, 'views.push', { trigger_id: sim.triggers.issue('U0ANN'), view: modal('4') })).error,
    ).toBe('push_limit_reached');
    const stack = sim.views.stack('U0ANN');
    expect(stack.map((v) => v.rootViewId)).toEqual([root.id, root.id, root.id]);
    expect(stack[2]?.previousViewId).toBe(stack[1]?.id);

    const updated = await call(sim, 'views.update', { view_id: root.id, hash: root.hash, view: modal('1b') });
    expect(updated.ok).toBe(true);
    expect(
      (await call(sim, 'views.update', { view_id: root.id, hash: root.hash, view: modal('1c') })).error,
    ).toBe('hash_conflict');
    expect((await call(sim, 'views.update', { view_id: 'V99999999', view: modal('x') })).error).toBe(
      'not_found',
    );
  });

  it('keeps messages as a channel shows them: edits in place, threads, and ephemeral ones for one person', async () => {
    const posted = await call(sim, 'chat.postMessage', { channel: 'C0GENERAL1', text: 'queued' });
    expect(posted.ok).toBe(true);
    const ts = posted.ts as string;
    expect(ts).toMatch(/^\d{10}\.\d{6}$/);
    await call(sim, 'chat.update', { channel: 'C0GENERAL1', ts, text: 'done' });
    await call(sim, 'chat.postMessage', { channel: 'C0GENERAL1', text: 'reply', thread_ts: ts });
    await call(sim, 'chat.postEphemeral', { channel: 'C0GENERAL1', user: 'U0ANN', text: 'psst' });

    expect(sim.channelMessages('C0GENERAL1').map((m) => [m.text, m.updates])).toEqual([['done', 1]]);
    expect(sim.threadReplies('C0GENERAL1', ts).map((m) => m.text)).toEqual(['reply']);
    expect(sim.ephemeralFor('U0ANN').map((m) => m.text)).toEqual(['psst']);
    expect(sim.ephemeralFor('U0BOB')).toEqual([]);

    expect((await call(sim, 'chat.postMessage', { channel: 'C0NOWHERE1', text: 'x' })).error).toBe(
      'channel_not_found',
    );
    expect((await call(sim, 'chat.update', { channel: 'C0GENERAL1', ts: '1.000001', text: 'x' })).error).toBe(
      'message_not_found',
    );
    const people = sim.postAs('U0BOB', 'C0GENERAL1', 'mine');
    expect((await call(sim, 'chat.update', { channel: 'C0GENERAL1', ts: people.ts, text: 'x' })).error).toBe(
      'cant_update_message',
    );
  });

  it('applies response_url posts where the interaction happened', async () => {
    const post = (url: string, body: unknown) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const commandUrl = sim.newResponseUrl({ channel: 'C0GENERAL1', user: 'U0ANN' });
    await post(commandUrl, { text: 'only Ann sees this' });
    const [ephemeral] = sim.ephemeralFor('U0ANN');
    expect(ephemeral?.text).toBe('only Ann sees this');

    // A button on that message answers through its own response_url.
    const clickUrl = sim.newResponseUrl({
      channel: 'C0GENERAL1',
      user: 'U0ANN',
      source: { kind: 'ephemeral', id: ephemeral?.id ?? '' },
    });
    await post(clickUrl, { replace_original: true, text: 'replaced' });
    expect(sim.ephemeralFor('U0ANN').map((m) => [m.text, m.updates])).toEqual([['replaced', 1]]);
    await post(clickUrl, { response_type: 'in_channel', text: 'for everyone' });
    expect(sim.channelMessages('C0GENERAL1').map((m) => m.text)).toEqual(['for everyone']);
    await post(clickUrl, { delete_original: true });
    expect(sim.ephemeralFor('U0ANN')).toEqual([]);

    expect((await post(`${sim.url}/response/404`, { text: 'x' })).status).toBe(404);
  });
});

/** A stand-in app: checks Slack's signature on every request and answers as the test says. */
class TestApp {
  readonly received: { body: string; valid: boolean }[] = [];
  answer: (body: string) => { status: number; json?: unknown } | 'never' = () => ({ status: 200 });
  private constructor(private readonly server: Server) {}

  static async start(): Promise<TestApp> {
    const server = createServer((req, res) => void app.handle(req, res));
    const app = new TestApp(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return app;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/slack/events`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const ts = Number(req.headers['x-slack-request-timestamp']);
    this.received.push({
      body,
      valid: req.headers['x-slack-signature'] === slackSignature(secret, ts, body),
    });
    const answer = this.answer(body);
    if (answer === 'never') return;
    if (answer.json === undefined) res.writeHead(answer.status).end();
    else
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.json));
  }

  /** The last interaction payload of this type the app received. */
  payload(type: string): Record<string, unknown> {
    const payloads = this.received.map(
      (r) => JSON.parse(new URLSearchParams(r.body).get('payload') ?? '{}') as Record<string, unknown>,
    );
    return payloads.findLast((p) => p.type === type) ?? {};
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

describe('what the Slack simulator sends an app', () => {
  let sim: SlackSim;
  let app: TestApp;
  let delivery: AppDelivery;
  beforeAll(async () => {
    sim = await workspace(Date.now);
    app = await TestApp.start();
    delivery = new AppDelivery(sim, { requestUrl: app.url, signingSecret: secret });
  });
  afterAll(async () => {
    await app.close();
    await sim.close();
  });

  it('signs a slash command, escapes its text, and shows an answer in the acknowledgement to its asker', async () => {
    app.answer = () => ({ status: 200, json: { text: 'hello Ann' } });
    const outcome = await delivery.slashCommand('U0ANN', 'C0GENERAL1', 'echo <b> & "q"');
    expect(outcome.ok).toBe(true);
    const sent = app.received.at(-1);
    expect(sent?.valid).toBe(true);
    const fields = new URLSearchParams(sent?.body);
    expect(fields.get('text')).toBe('echo &lt;b&gt; &amp; "q"');
    expect(fields.get('user_id')).toBe('U0ANN');
    expect(fields.get('team_id')).toBe('T0SIMTEST1');
    expect(fields.get('response_url')).toMatch(/\/response\/\d+$/);
    expect(sim.ephemeralFor('U0ANN').at(-1)?.text).toBe('hello Ann');
  });

  it('says the command failed, as Slack does, when the app answers badly or too late', async () => {
    app.answer = () => ({ status: 500 });
    expect(await delivery.slashCommand('U0BOB', 'C0GENERAL1', 'x')).toMatchObject({
      error: 'dispatch_failed',
    });
    expect(sim.ephemeralFor('U0BOB').at(-1)).toMatchObject({
      from: 'slackbot',
      text: '/atlas failed with the error "dispatch_failed"',
    });
    // An app that never answers: Slack gives up (here after 200 ms instead of three seconds).
    app.answer = () => 'never';
    const impatient = new AppDelivery(sim, { requestUrl: app.url, signingSecret: secret, timeoutMs: 200 });
    expect(await impatient.slashCommand('U0BOB', 'C0GENERAL1', 'x')).toMatchObject({
      error: 'operation_timeout',
    });
    expect(impatient.deliveries.at(-1)?.status).toBe('timeout');
    expect(sim.ephemeralFor('U0BOB').at(-1)?.text).toBe('/atlas failed with the error "operation_timeout"');
    app.answer = () => ({ status: 200 });
  });

  it('builds block actions from the element the message really holds', async () => {
    app.answer = () => ({ status: 200 });
    const posted = sim.conversations.post({
      channel: 'C0GENERAL1',
      user: 'U0BOT',
      text: 'pick',
      blocks: [
        {
          type: 'actions',
          block_id: 'row',
          elements: [
            {
              type: 'button',
              action_id: 'go',
              value: 'from-the-bot',
              text: { type: 'plain_text', text: 'Go' },
            },
            {
              type: 'static_select',
              action_id: 'size',
              options: [{ text: { type: 'plain_text', text: 'Small' }, value: 's' }],
            },
          ],
        },
      ],
    });
    const source = { kind: 'message' as const, channel: 'C0GENERAL1', ts: posted.ts };
    await delivery.blockAction('U0ANN', source, { blockId: 'row', actionId: 'go' }, { value: 'forged' });
    const payload = app.payload('block_actions');
    expect(payload.type).toBe('block_actions');
    expect(payload.actions).toEqual([
      expect.objectContaining({ type: 'button', action_id: 'go', block_id: 'row', value: 'from-the-bot' }),
    ]);
    expect(payload.container).toMatchObject({
      type: 'message',
      message_ts: posted.ts,
      channel_id: 'C0GENERAL1',
    });
    expect(typeof payload.trigger_id).toBe('string');

    const before = app.received.length;
    expect(
      await delivery.blockAction('U0ANN', source, { blockId: 'row', actionId: 'size' }, { value: 'xl' }),
    ).toMatchObject({ ok: false, error: 'invalid_request' });
    expect(await delivery.blockAction('U0ANN', source, { blockId: 'row', actionId: 'gone' })).toMatchObject({
      ok: false,
    });
    expect(app.received.length).toBe(before);
  });

  it('applies a submission’s answer: errors under fields, an update, a push, or closing the view', async () => {
    const open = async () => {
      const opened = await call(sim, 'views.open', {
        trigger_id: sim.triggers.issue('U0ANN'),
        view: modal('Form'),
      });
      return (opened.view as { id: string }).id;
    };
    const id = await open();
    app.answer = () => ({ status: 200, json: { response_action: 'errors', errors: { name: 'Say who.' } } });
    await delivery.submitView('U0ANN', id, { name: { name: { type: 'plain_text_input', value: null } } });
    expect(app.payload('view_submission')).toMatchObject({
      type: 'view_submission',
      view: { id, callback_id: 'test_form' },
    });
    expect(sim.views.get(id)?.errors).toEqual({ name: 'Say who.' });

    app.answer = () => ({ status: 200, json: { response_action: 'update', view: modal('Updated') } });
    await delivery.submitView('U0ANN', id, {});
    expect(sim.views.get(id)?.view.title).toEqual({ type: 'plain_text', text: 'Updated' });
    expect(sim.views.get(id)?.errors).toEqual({});

    app.answer = () => ({ status: 200, json: { response_action: 'push', view: modal('Next') } });
    await delivery.submitView('U0ANN', id, {});
    expect(sim.views.stack('U0ANN')).toHaveLength(2);

    app.answer = () => ({ status: 200 });
    const top = sim.views.top('U0ANN')?.id ?? '';
    await delivery.submitView('U0ANN', top, {});
    expect(sim.views.stack('U0ANN').map((v) => v.id)).toEqual([id]);
    await delivery.closeView('U0ANN', id);
    expect(sim.views.stack('U0ANN')).toEqual([]);
  });
});
