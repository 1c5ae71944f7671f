import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotProcess, botEnv, ensureBuilt } from '../support/slack/bot-process.js';
import { FakeSlack, FakeSocketMode, waitFor } from '../support/slack/fake-slack.js';
import { appToken, botToken } from '../support/slack/harness.js';

interface Report {
  status: string;
  checks: { name: string; ok: boolean; detail?: string }[];
}

/**
 * The built bot in Socket Mode has no HTTP front: HEALTH_PORT gives it a small listener for
 * /healthz, /readyz and /metrics. Readiness follows the Slack connection.
 */
describe('the built bot in Socket Mode serves health, readiness and metrics on HEALTH_PORT', () => {
  let slack: FakeSlack;
  let socket: FakeSocketMode;
  let bot: BotProcess;
  let dir: string;
  let origin: string;

  beforeAll(async () => {
    ensureBuilt();
    slack = await FakeSlack.start({ botToken, appToken });
    socket = await FakeSocketMode.start(slack);
    dir = mkdtempSync(join(tmpdir(), 'slackbot-ops-socket-'));
    const env = botEnv(slack, {
      SLACK_APP_TOKEN: appToken,
      HEALTH_PORT: '0',
      ATLAS_BOT_DB: join(dir, 'bot.sqlite'),
    });
    delete env.SLACK_SIGNING_SECRET;
    bot = new BotProcess(env);
    const port = await bot.port(/readiness and metrics on port \d+/, 'the health listener');
    origin = `http://127.0.0.1:${port}`;
    await socket.connected;
  });
  afterAll(async () => {
    await bot?.stop();
    await socket?.close();
    await slack?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const readiness = async () => {
    const res = await fetch(`${origin}/readyz`);
    return { status: res.status, report: (await res.json()) as Report };
  };

  it('is alive, ready once connected, and counts what it serves', async () => {
    expect((await fetch(`${origin}/healthz`)).status).toBe(200);
    const ready = await waitFor(async () => {
      const r = await readiness();
      return r.status === 200 && r;
    }, 'the bot to be ready');
    expect(ready.report.checks.find((c) => c.name === 'slack')).toEqual({
      name: 'slack',
      ok: true,
      detail: 'socket mode',
    });
    const ack = await socket.send('slash_commands', {
      command: '/atlas',
      text: 'help',
      user_id: 'U0ONCALL1',
      user_name: 'oncall',
      channel_id: 'C0INCIDENT',
      team_id: 'T0000001',
      api_app_id: 'A0000001',
      trigger_id: '1.2.trigger',
      response_url: slack.newResponseUrl(),
    });
    expect(JSON.stringify(ack.payload)).toContain('/atlas restore');
    const metrics = await (await fetch(`${origin}/metrics`)).text();
    expect(metrics).toMatch(/atlas_bot_slack_requests_total\{kind="command",name="help",outcome="ok"\} 1/);
    expect(metrics).toMatch(/atlas_bot_slack_ack_seconds_count\{kind="command"\} 1/);
    expect((await fetch(`${origin}/slack/events`, { method: 'POST' })).status).toBe(404);
  });

  it('is not ready while the Slack connection is down', async () => {
    await socket.close();
    const down = await waitFor(async () => {
      const r = await readiness();
      return r.status === 503 && r;
    }, 'readiness to fail');
    expect(down.report.status).toBe('not ready');
    expect(down.report.checks.find((c) => c.name === 'slack')?.ok).toBe(false);
    expect(down.report.checks.find((c) => c.name === 'database')?.ok).toBe(true);
    expect((await fetch(`${origin}/healthz`)).status).toBe(200);
    expect(bot.running).toBe(true);
  });

  it('stops on SIGTERM within its bound and exits 0', async () => {
    await bot.stop('SIGTERM');
    expect(await bot.exited).toBe(0);
    expect(bot.output).toContain('Stopped cleanly');
  });
});
