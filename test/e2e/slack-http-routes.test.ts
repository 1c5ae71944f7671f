import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxSlackBodyBytes } from '@atlas-backups/slackbot';
import { BotProcess, botEnv, ensureBuilt } from '../support/slack/bot-process.js';
import { FakeSlack } from '../support/slack/fake-slack.js';
import { blockText, botToken, postSignedCommand, signingSecret } from '../support/slack/harness.js';
import { rawRequest } from '../support/slack/raw-http.js';
import { signRequest } from '../support/slack/sign.js';

const methods = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];

/**
 * The built bot (dist/main.js, HTTP mode) receiving what the internet sends: health probes,
 * scanners, browsers. None of it is signed; none of it may end the process.
 */
describe('the built bot answers requests it has no route for, and keeps running', () => {
  let slack: FakeSlack;
  let bot: BotProcess;
  let url: string;
  let origin: string;
  let dir: string;

  beforeAll(async () => {
    ensureBuilt();
    slack = await FakeSlack.start();
    dir = mkdtempSync(join(tmpdir(), 'slackbot-routes-'));
    bot = new BotProcess(botEnv(slack, { ATLAS_BOT_DB: join(dir, 'bot.sqlite') }));
    url = await bot.url();
    origin = new URL(url).origin;
  });
  afterAll(async () => {
    await bot?.stop();
    await slack?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('answers 404 to every method on paths it does not serve', async () => {
    const paths = ['/', '/healthz/', '/health', '/nope', '/slack', '/slack/events/', '/slack/events/x'];
    paths.push(`/${'deep/'.repeat(400)}end`, '/%E2%98%83/%F0%9F%92%A5', '/..%2F..%2Fetc%2Fpasswd');
    for (const path of paths)
      for (const method of methods) {
        const withBody = !['GET', 'HEAD'].includes(method);
        const res = await fetch(origin + path, {
          method,
          ...(withBody
            ? { body: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }
            : {}),
        });
        await res.arrayBuffer();
        expect(res.status, `${method} ${path}`).toBe(404);
      }
    expect(bot.running).toBe(true);
  });

  it('serves /healthz, /readyz and /metrics to GET and HEAD, and 405 to other methods', async () => {
    const health = await fetch(`${origin}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${origin}/readyz`);
    expect(ready.status).toBe(200);
    const report = (await ready.json()) as { status: string; checks: { name: string; ok: boolean }[] };
    expect(report.status).toBe('ready');
    expect(report.checks.map((c) => [c.name, c.ok])).toEqual([
      ['atlas', true],
      ['database', true],
      ['slack', true],
    ]);
    const metrics = await fetch(`${origin}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    expect(await metrics.text()).toContain('# TYPE atlas_bot_slack_requests_total counter');
    for (const path of ['/healthz', '/readyz', '/metrics']) {
      const head = await fetch(origin + path, { method: 'HEAD' });
      expect(head.status, `HEAD ${path}`).toBe(200);
      for (const method of ['POST', 'PUT', 'DELETE']) {
        const res = await fetch(origin + path, { method, body: 'a=1' });
        await res.arrayBuffer();
        expect(res.status, `${method} ${path}`).toBe(405);
        expect(res.headers.get('allow')).toBe('GET, HEAD');
      }
    }
    expect(bot.running).toBe(true);
  });

  it('answers 405 with Allow: POST to every other method on /slack/events', async () => {
    for (const method of methods.filter((m) => m !== 'POST')) {
      const res = await fetch(url, { method });
      await res.arrayBuffer();
      expect(res.status, method).toBe(405);
      expect(res.headers.get('allow'), method).toBe('POST');
    }
    const unsigned = await fetch(url, {
      method: 'POST',
      body: 'text=help',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(unsigned.status).toBe(401);
    expect(bot.running).toBe(true);
  });

  it('answers odd request targets and unknown methods', async () => {
    const cases: [string, string, number][] = [
      ['OPTIONS', '*', 404],
      ['GET', '//', 404],
      ['GET', '/%zz', 404],
      ['GET', '/?', 404],
      ['GET', 'http://elsewhere.example/slack/events', 405],
      ['GET', 'nonsense', 400],
      ['GET', `/${'x'.repeat(20_000)}`, 431],
      ['BREW', '/', 400],
    ];
    for (const [method, target, status] of cases) {
      const res = await rawRequest(url, method, target);
      expect(res?.status, `${method} ${target.slice(0, 40)}`).toBe(status);
    }
    expect(bot.running).toBe(true);
  });

  it('refuses a body over its 1 MiB limit with 413 before reading it', async () => {
    const headers = {
      ...signRequest(signingSecret, '').headers,
      'content-length': String(maxSlackBodyBytes + 1),
    };
    expect((await rawRequest(url, 'POST', '/slack/events', headers))?.status).toBe(413);
    expect(maxSlackBodyBytes).toBe(1024 * 1024);
  });

  it('still runs a signed command after all of that', async () => {
    const res = await postSignedCommand(url, slack, 'help');
    expect(res.status).toBe(200);
    expect(blockText(res.json?.blocks)).toContain('/atlas restore cancel');
    expect(bot.running).toBe(true);
    expect(bot.output).not.toContain(botToken);
    expect(bot.output).not.toContain(signingSecret);
  });
});
