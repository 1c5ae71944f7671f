import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  postgresUnavailable,
  testDatabaseUrl,
  testSchema,
} from '../../packages/core/test/support/postgres.js';
import { BotProcess, botEnv, ensureBuilt } from '../support/slack/bot-process.js';
import { FakeSlack } from '../support/slack/fake-slack.js';
import { blockText, postSignedCommand } from '../support/slack/harness.js';

const root = resolve(import.meta.dirname, '..', '..');
const dist = join(root, 'apps', 'slackbot', 'dist');

/** Packages used only while installing (fetching a prebuilt binary), never when running. */
const installOnly = new Set(['prebuild-install']);

/**
 * Copies an installed package and what it needs at run time into `nodeModules`, as `npm install`
 * would lay them out, from the workspace's own install (so the test needs no network).
 */
function copyInstalled(name: string, from: string, nodeModules: string, done = new Set<string>()): void {
  if (done.has(name) || installOnly.has(name)) return;
  done.add(name);
  const manifest = realpathSync(createRequire(join(from, 'package.json')).resolve(`${name}/package.json`));
  const dir = dirname(manifest);
  cpSync(dir, join(nodeModules, name), { recursive: true, dereference: true });
  const deps = (JSON.parse(readFileSync(manifest, 'utf8')) as { dependencies?: Record<string, string> })
    .dependencies;
  for (const dep of Object.keys(deps ?? {})) copyInstalled(dep, dir, nodeModules, done);
}

const unavailable = await postgresUnavailable();
if (unavailable)
  console.log(
    `PostgreSQL is not reachable at ${testDatabaseUrl} (${unavailable}): skipping the deployed bot on PostgreSQL.`,
  );

/** A copy of dist in a new directory outside the workspace, its native dependencies beside it. */
function deploy(): string {
  ensureBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'slackbot-deployed-'));
  cpSync(dist, dir, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  mkdirSync(join(dir, 'node_modules'));
  for (const name of Object.keys(manifest.dependencies))
    copyInstalled(name, join(root, 'apps', 'slackbot'), join(dir, 'node_modules'));
  return dir;
}

/**
 * The deployable build: apps/slackbot/dist copied to a directory outside the workspace, with only
 * the native dependencies its package.json lists installed beside it, runs as a service would.
 */
describe('the Slack bot’s dist, deployed on its own', () => {
  let slack: FakeSlack;
  let bot: BotProcess;
  let dir: string;
  let url: string;

  beforeAll(async () => {
    dir = deploy();
    slack = await FakeSlack.start();
    bot = new BotProcess(botEnv(slack, { ATLAS_BOT_DB: join(dir, 'data', 'bot.sqlite') }), {
      script: join(dir, 'main.js'),
      cwd: dir,
    });
    url = await bot.url();
  }, 60_000);
  afterAll(async () => {
    await bot?.stop('SIGKILL');
    await slack?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('lists only native modules as dependencies', () => {
    const manifest = JSON.parse(readFileSync(join(dist, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest).toMatchObject({ type: 'module', main: 'main.js', private: true });
    expect(Object.keys(manifest.dependencies as object)).toEqual(['better-sqlite3']);
    // What the copy has beside the bundle: the native module and what it loads, nothing else.
    expect(readdirSync(join(dir, 'node_modules')).sort()).toEqual([
      'better-sqlite3',
      'bindings',
      'file-uri-to-path',
    ]);
    expect(dir.startsWith(root)).toBe(false);
  });

  it('starts from the copy, answers health, readiness and a signed command, and stops cleanly', async () => {
    const origin = new URL(url).origin;
    expect((await fetch(`${origin}/healthz`)).status).toBe(200);
    const ready = await fetch(`${origin}/readyz`);
    expect(ready.status).toBe(200);
    const help = await postSignedCommand(url, slack, 'help');
    expect(help.status).toBe(200);
    expect(blockText(help.json?.blocks)).toContain('/atlas restore');
    expect(existsSync(join(dir, 'data', 'bot.sqlite'))).toBe(true);
    await bot.stop('SIGTERM');
    expect(await bot.exited).toBe(0);
  });
});

/** The same copy on PostgreSQL: the driver is inlined in the bundle, nothing more is installed. */
describe.skipIf(unavailable !== undefined)('the Slack bot’s dist, deployed on its own, on PostgreSQL', () => {
  let slack: FakeSlack;
  let bot: BotProcess;
  let dir: string;
  let schema: ReturnType<typeof testSchema>;

  beforeAll(async () => {
    dir = deploy();
    schema = testSchema('deployed');
    await schema.create();
    slack = await FakeSlack.start();
    bot = new BotProcess(botEnv(slack, { ATLAS_BOT_DATABASE_URL: schema.url }), {
      script: join(dir, 'main.js'),
      cwd: dir,
    });
  }, 60_000);
  afterAll(async () => {
    await bot?.stop('SIGKILL');
    await slack?.close();
    await schema?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('migrates the database, is ready on it, answers a command and stops cleanly', async () => {
    const url = await bot.url();
    const ready = await fetch(`${new URL(url).origin}/readyz`);
    expect(ready.status).toBe(200);
    const report = (await ready.json()) as { checks: { name: string; detail?: string }[] };
    expect(report.checks.find((c) => c.name === 'database')?.detail).toBe('postgres');
    expect((await postSignedCommand(url, slack, 'help')).status).toBe(200);
    expect(await schema.query('SELECT component FROM schema_migrations')).not.toEqual([]);
    await bot.stop('SIGTERM');
    expect(await bot.exited).toBe(0);
  });
});
