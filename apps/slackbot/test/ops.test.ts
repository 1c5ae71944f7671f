import type { AddressInfo } from 'node:net';
import { AtlasApiError, openDatabase, toSql } from '@atlas-backups/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Lifecycle } from '../src/ops/lifecycle.js';
import { Readiness } from '../src/ops/readiness.js';
import { opsRoutes } from '../src/ops/routes.js';
import { ShutdownSteps } from '../src/ops/shutdown.js';
import { approvalsByState, storeReadiness } from '../src/ops/store-probes.js';
import { openBotDatabase } from '../src/state/db.js';
import { createHttpServer } from '../src/slack/http-server.js';
import { createLogger } from '../src/slack/logger.js';
import { LogLevel } from '@slack/bolt';

const logger = createLogger(LogLevel.ERROR);

describe('readiness checks', () => {
  it('is ready when every check passes, and names the ones that fail', async () => {
    const readiness = new Readiness();
    readiness.add('database', () => ({ ok: true, detail: 'sqlite' }));
    readiness.add('slack', () => true);
    expect(await readiness.report()).toEqual({
      ready: true,
      checks: [
        { name: 'database', ok: true, detail: 'sqlite' },
        { name: 'slack', ok: true },
      ],
    });
    const remove = readiness.add('atlas', () =>
      Promise.reject(
        new AtlasApiError('oauthToken', 401, {
          error: 401,
          errorCode: 'INVALID_CLIENT',
          detail: 'secret abc is wrong',
        }),
      ),
    );
    const failing = await readiness.report();
    expect(failing.ready).toBe(false);
    // Only the code: the endpoint may be public.
    expect(failing.checks.find((c) => c.name === 'atlas')).toEqual({
      name: 'atlas',
      ok: false,
      detail: 'ATLAS_UNAUTHORIZED',
    });
    remove();
    expect((await readiness.report()).ready).toBe(true);
  });

  it('reads a check that hangs as not ready', async () => {
    const readiness = new Readiness(20);
    readiness.add('store', () => new Promise<boolean>(() => undefined));
    expect(await readiness.report()).toEqual({
      ready: false,
      checks: [{ name: 'store', ok: false, detail: 'timed out' }],
    });
  });

  it('is not ready once stopping, whatever the checks say', async () => {
    const readiness = new Readiness();
    readiness.add('database', () => true);
    readiness.stop();
    expect(await readiness.report()).toEqual({
      ready: false,
      checks: [{ name: 'accepting work', ok: false, detail: 'shutting down' }],
    });
  });
});

describe('the store probes', () => {
  it('reads a migrated store as ready, one missing the bot’s schema or closed as not', async () => {
    const bot = openBotDatabase(':memory:');
    expect(await storeReadiness(toSql(bot))()).toEqual({ ok: true, detail: 'sqlite' });
    expect(await approvalsByState(toSql(bot))()).toEqual({});
    const coreOnly = openDatabase(':memory:');
    expect(await storeReadiness(toSql(coreOnly))()).toEqual({ ok: false, detail: 'not migrated' });
    coreOnly.close();
    const readiness = new Readiness();
    readiness.add('database', storeReadiness(toSql(bot)));
    bot.close();
    expect((await readiness.report()).checks).toEqual([{ name: 'database', ok: false, detail: 'INTERNAL' }]);
  });
});

describe('the operator routes over HTTP', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  it('answers 200 and then 503 with the failing check', async () => {
    const readiness = new Readiness();
    let up = true;
    readiness.add('slack', () => up);
    const server = createHttpServer(opsRoutes({ readiness }), { logger });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    close = () => new Promise((resolve) => server.close(() => resolve()));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    let res = await fetch(`${origin}/readyz`);
    expect([res.status, await res.json()]).toEqual([
      200,
      { status: 'ready', checks: [{ name: 'slack', ok: true }] },
    ]);
    expect(res.headers.get('cache-control')).toBe('no-store');
    up = false;
    res = await fetch(`${origin}/readyz`);
    expect([res.status, await res.json()]).toEqual([
      503,
      { status: 'not ready', checks: [{ name: 'slack', ok: false }] },
    ]);
    // Without metrics, /metrics is not served.
    expect((await fetch(`${origin}/metrics`)).status).toBe(404);
  });
});

describe('shutdown', () => {
  it('runs steps phase by phase, and on past a step that fails', async () => {
    const steps = new ShutdownSteps();
    const ran: string[] = [];
    steps.add('close', 'database', () => {
      ran.push('database');
    });
    steps.add('drain', 'requests', async () => {
      await Promise.resolve();
      ran.push('requests');
    });
    steps.add('release', 'leases', () => {
      ran.push('leases');
      throw new Error('lease store gone');
    });
    steps.add('drain', 'bot', () => {
      ran.push('bot');
    });
    await Promise.all([steps.run(logger), steps.run(logger)]);
    expect(ran).toEqual(['requests', 'bot', 'leases', 'database']);
  });

  it('turns readiness off first and exits with the code given once the steps are done', async () => {
    const exits: number[] = [];
    const lifecycle = new Lifecycle({ logger, shutdownSeconds: 10, exit: (code) => exits.push(code) });
    let readyDuringStep: boolean | undefined;
    lifecycle.steps.add('drain', 'look', async () => {
      readyDuringStep = (await lifecycle.readiness.report()).ready;
    });
    await lifecycle.stop(0);
    await lifecycle.stop(1);
    expect(readyDuringStep).toBe(false);
    expect(exits).toEqual([0]);
  });

  it('exits within ATLAS_BOT_SHUTDOWN_SECONDS when a step hangs', async () => {
    vi.useFakeTimers();
    try {
      const exits: number[] = [];
      const lifecycle = new Lifecycle({ logger, shutdownSeconds: 3, exit: (code) => exits.push(code) });
      lifecycle.steps.add('drain', 'hangs', () => new Promise(() => undefined));
      const stopped = lifecycle.stop(0);
      await vi.advanceTimersByTimeAsync(2_999);
      expect(exits).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      await stopped;
      expect(exits).toEqual([0]);
    } finally {
      vi.useRealTimers();
    }
  });
});
