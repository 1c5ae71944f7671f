import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotProcess, botEnv, ensureBuilt } from '../support/slack/bot-process.js';
import { FakeSlack } from '../support/slack/fake-slack.js';
import {
  BotHarness,
  blockText,
  botToken,
  postSignedCommand,
  signingSecret,
} from '../support/slack/harness.js';
import { signRequest } from '../support/slack/sign.js';

const form = 'application/x-www-form-urlencoded';
const json = 'application/json';
const ours = { team: { id: 'T0000001' }, user: { id: 'U0ONCALL1', team_id: 'T0000001' } };
const payload = (value: string) => `payload=${encodeURIComponent(value)}`;

/** Bodies Slack would never send, each signed with the right secret: [content type, body, what]. */
const malformed: [string | undefined, string, string][] = [
  [form, 'payload=null', 'payload=null'],
  [form, 'payload=', 'an empty payload'],
  [form, 'payload=%7B', 'a payload cut short'],
  [form, payload('[]'), 'a payload array'],
  [form, payload('[{"type":"block_actions"}]'), 'an array of interactions'],
  [form, payload('1e999'), 'a payload number out of range'],
  [form, payload('"block_actions"'), 'a payload string'],
  [form, payload('true'), 'a payload boolean'],
  [form, payload('{}'), 'a payload without a type'],
  [form, payload('{"type":42}'), 'a payload whose type is a number'],
  [form, payload('{"type":"block_actions"}'), 'an interaction without team, user or actions'],
  [form, payload(JSON.stringify({ type: 'block_actions', ...ours })), 'a click without actions'],
  [
    form,
    payload(JSON.stringify({ type: 'block_actions', ...ours, actions: null, container: null })),
    'a click whose actions are null',
  ],
  [
    form,
    payload(
      `{"type":"block_actions","team":{"id":"T0000001"},"user":{"id":"U0ONCALL1","team_id":"T0000001"},` +
        `"actions":[{"action_id":"atlas_confirm","value":123456789012345678901234567890e300}]}`,
    ),
    'a click with a huge number for its value',
  ],
  [
    form,
    payload(JSON.stringify({ type: 'view_submission', ...ours, view: null })),
    'a form submission without a view',
  ],
  [
    form,
    payload(
      JSON.stringify({
        type: 'view_submission',
        ...ours,
        view: { callback_id: 'atlas_confirm_phrase', private_metadata: '{', state: null },
      }),
    ),
    'a form submission with broken metadata',
  ],
  [form, payload('['.repeat(200_000)), 'deeply nested JSON'],
  [form, 'command=%2Fatlas&command=%2Fatlas', 'a repeated field'],
  [form, 'command=%2Fatlas&text=projects', 'a command without team, user or channel'],
  [
    form,
    'command=%2Fatlas&team_id=T0000001&user_id=U0ONCALL1&channel_id=C0INCIDENT&text=%00%FF%FE',
    'a command with control bytes and no response_url',
  ],
  [form, '', 'an empty body'],
  [form, '%%%&&&===', 'form noise'],
  [json, 'null', 'JSON null'],
  [json, '[]', 'a JSON array'],
  [json, '{', 'JSON cut short'],
  [json, '{"type":"event_callback","event":null}', 'an event without an event'],
  [json, '{"type":"url_verification"}', 'a URL verification without a challenge'],
  ['text/plain', 'payload=null', 'plain text'],
  ['multipart/form-data; boundary=x', '--x--', 'multipart'],
  [undefined, 'payload=null', 'no content type'],
];

async function postSigned(url: string, contentType: string | undefined, body: string) {
  const headers = signRequest(signingSecret, body).headers;
  if (contentType === undefined) delete headers['content-type'];
  else headers['content-type'] = contentType;
  const res = await fetch(url, { method: 'POST', headers, body });
  await res.arrayBuffer();
  return res.status;
}

describe('malformed bodies, validly signed, to the bot in this process', () => {
  let h: BotHarness;

  beforeAll(async () => {
    h = await BotHarness.start();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('answers each with an HTTP status, runs nothing, and keeps answering', async () => {
    const atlasBefore = h.sim.requests.length;
    for (const [contentType, body, what] of malformed) {
      const status = await postSigned(h.url, contentType, body);
      expect([400, 404, 415, 200, 500], `${what}: ${status}`).toContain(status);
      if (contentType === 'text/plain' || contentType === undefined || contentType.startsWith('multipart'))
        expect(status, what).toBe(415);
    }
    for (const [, body, what] of malformed.slice(0, 10))
      expect(await postSigned(h.url, form, body), what).toBe(400);
    await h.bot.idle();
    expect(h.sim.requests.length).toBe(atlasBefore);

    const res = await h.command('help');
    expect(res.status).toBe(200);
    expect(blockText(res.json?.blocks)).toContain('/atlas restore cancel');
  });
});

describe('the built bot and a signed payload=null', () => {
  let slack: FakeSlack;
  let bot: BotProcess;
  let dir: string;

  beforeAll(async () => {
    ensureBuilt();
    slack = await FakeSlack.start();
    dir = mkdtempSync(join(tmpdir(), 'slackbot-malformed-'));
    bot = new BotProcess(botEnv(slack, { ATLAS_BOT_DB: join(dir, 'bot.sqlite') }));
  });
  afterAll(async () => {
    await bot?.stop();
    await slack?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses it with 400 and goes on serving signed commands', async () => {
    const url = await bot.url();
    for (const [contentType, body] of malformed) await postSigned(url, contentType, body);
    expect(await postSigned(url, form, 'payload=null')).toBe(400);
    const res = await postSignedCommand(url, slack, 'help');
    expect(res.status).toBe(200);
    expect(blockText(res.json?.blocks)).toContain('/atlas restore cancel');
    expect(bot.running).toBe(true);
    expect(bot.output).not.toContain(botToken);
    expect(bot.output).not.toContain(signingSecret);
  });
});

describe('the last resort', () => {
  it('logs an uncaught exception and an unhandled rejection without secrets, and the process goes on', () => {
    const child = resolve(import.meta.dirname, '..', 'support', 'slack', 'last-resort-child.ts');
    const run = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', child], {
      cwd: resolve(import.meta.dirname, '..', '..'),
      encoding: 'utf8',
      timeout: 30_000,
    });
    const output = `${run.stdout}\n${run.stderr}`;
    expect(run.status, output).toBe(0);
    expect(output).toContain('still serving after both');
    expect(output).toMatch(/Unexpected error \(the bot keeps running\): Error: boom in a timer/);
    expect(output).toMatch(/Unhandled rejection \(the bot keeps running\): TypeError: rejected/);
    expect(output).not.toContain('xoxb-child-secret-token');
    expect(output).not.toContain('child-signing-secret');
  });
});
