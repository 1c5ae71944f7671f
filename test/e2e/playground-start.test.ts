import { spawnSync } from 'node:child_process';
import { request } from 'node:http';
import { join, resolve } from 'node:path';
import { startPlayground, type Playground } from '@atlas-backups/playground';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensurePageBuilt } from '../support/browser/chromium.js';
import { BotProcess, ensureBuilt } from '../support/slack/bot-process.js';
import { waitFor } from '../support/slack/fake-slack.js';

const root = resolve(import.meta.dirname, '..', '..');
const plainEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' };

describe('starting the playground', { timeout: 60_000 }, () => {
  beforeAll(() => {
    ensureBuilt();
    ensurePageBuilt();
  }, 120_000);

  it('is what `pnpm slackbot` starts when no Slack token is set, and says so', async () => {
    const bot = new BotProcess({ ...plainEnv, PLAYGROUND_PORT: '0' });
    try {
      await waitFor(
        () => bot.lines.some((l) => l.includes('Ctrl-C stops it')) || (!bot.running && 'exited'),
        'the playground to say where it is',
        30_000,
      );
      const line = bot.lines.find((l) => /open http:\/\/127\.0\.0\.1:\d+ in a browser/.test(l)) ?? '';
      expect(bot.output).toContain(
        'No Slack tokens are set (SLACK_BOT_TOKEN, SLACK_APP_TOKEN, SLACK_SIGNING_SECRET)',
      );
      expect(bot.output).toContain('SIMULATED Atlas');
      const url = /http:\/\/127\.0\.0\.1:\d+/.exec(line)?.[0] ?? '';
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(await page.text()).toContain('<div id="app"');
      const script = await fetch(`${url}/assets/app.js`);
      expect(script.status).toBe(200);
      expect(script.headers.get('content-type')).toContain('javascript');
    } finally {
      await bot.stop();
    }
    expect(await bot.exited).toBe(0);
  });

  it('refuses a bad PLAYGROUND_PORT, naming it', () => {
    const run = spawnSync(process.execPath, [join(root, 'apps/playground/dist/main.js')], {
      env: { ...plainEnv, PLAYGROUND_PORT: 'eighty' },
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Configuration error: PLAYGROUND_PORT: must be a port number');
  });
});

/** A raw GET with the Host header a test chooses (fetch sets its own). */
function getWithHost(url: string, host: string): Promise<number> {
  return new Promise((done, fail) => {
    const req = request(url, { headers: { host } }, (res) => {
      res.resume();
      done(res.statusCode ?? 0);
    });
    req.once('error', fail);
    req.end();
  });
}

describe("the playground page's own requests", () => {
  let pg: Playground;
  beforeAll(async () => {
    pg = await startPlayground({ port: 0, simulator: { clock: 'manual' } });
  });
  afterAll(async () => {
    await pg?.close();
  });

  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${pg.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });

  it('answers only requests naming it as their host (no DNS rebinding)', async () => {
    const port = new URL(pg.url).port;
    expect(await getWithHost(`${pg.url}/play/state?as=U0REQUESTER`, `127.0.0.1:${port}`)).toBe(200);
    expect(await getWithHost(`${pg.url}/play/state?as=U0REQUESTER`, `localhost:${port}`)).toBe(200);
    expect(await getWithHost(`${pg.url}/play/state?as=U0REQUESTER`, `evil.example:${port}`)).toBe(421);
  });

  it('takes changes only as JSON from its own page, and says what is wrong with a bad one', async () => {
    const message = JSON.stringify({ as: 'U0REQUESTER', channel: 'C0INCIDENT', text: 'hello' });
    expect((await post('/play/message', message, { origin: 'https://evil.example' })).status).toBe(403);
    const form = await fetch(`${pg.url}/play/message`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: message,
    });
    expect(form.status).toBe(403);
    expect((await post('/play/message', '{not json')).status).toBe(400);
    const stranger = await post(
      '/play/message',
      JSON.stringify({ as: 'U0MALLORY', channel: 'C0INCIDENT', text: 'x' }),
    );
    expect(await stranger.json()).toEqual({
      ok: false,
      error: 'invalid_request',
      detail: 'as: is not one of the playground people',
    });
    expect(pg.slack.channelMessages('C0INCIDENT')).toEqual([]);

    expect(await (await post('/play/message', message)).json()).toEqual({ ok: true });
    expect(pg.slack.channelMessages('C0INCIDENT').map((m) => [m.user, m.text])).toEqual([
      ['U0REQUESTER', 'hello'],
    ]);
  });
});
