import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBotDatabase } from '@atlas-backups/slackbot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotProcess, botEnv, ensureBuilt } from '../support/slack/bot-process.js';
import { FakeSlack } from '../support/slack/fake-slack.js';

const asRoot = process.getuid?.() === 0;

/**
 * Whether a file can be made unwritable for the bot: by its mode, or, for root (which writes
 * any file regardless of its mode), by making it immutable (chattr +i, where the file system
 * supports it).
 */
function canFreezeFiles(): boolean {
  if (!asRoot) return true;
  const probe = mkdtempSync(join(tmpdir(), 'slackbot-chattr-'));
  try {
    if (spawnSync('chattr', ['+i', probe]).status !== 0) return false;
    spawnSync('chattr', ['-i', probe]);
    return true;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}
const canFreeze = canFreezeFiles();
if (!canFreeze)
  console.log('slackbot-start-db: running as root where chattr +i is unavailable; read-only cases skipped');

/**
 * The built bot started with an ATLAS_BOT_DB it cannot use: it stops at once, as for any other
 * configuration error (exit code 1), with a message naming ATLAS_BOT_DB and what to do.
 */
describe('the built bot with an unusable ATLAS_BOT_DB', () => {
  let slack: FakeSlack;
  let dir: string;
  const frozen: string[] = [];

  beforeAll(async () => {
    ensureBuilt();
    slack = await FakeSlack.start();
    dir = mkdtempSync(join(tmpdir(), 'slackbot-start-db-'));
  });
  afterAll(async () => {
    for (const path of frozen) {
      if (asRoot) spawnSync('chattr', ['-i', path]);
      else chmodSync(path, 0o755);
    }
    await slack?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function start(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
    const bot = new BotProcess(botEnv(slack, env));
    // A start that hangs (as on /proc before) is killed, so the test fails instead of waiting.
    const timer = setTimeout(() => void bot.stop('SIGKILL'), 15_000);
    const code = await bot.exited;
    clearTimeout(timer);
    return { code, output: bot.output };
  }

  function freeze(path: string): void {
    if (asRoot) {
      const done = spawnSync('chattr', ['+i', path]);
      if (done.status !== 0) throw new Error(`chattr +i ${path} failed: ${done.stderr.toString()}`);
    } else chmodSync(path, 0o555);
    frozen.push(path);
  }

  it('stops like any configuration error', async () => {
    const port = await start({ PORT: 'eighty', ATLAS_BOT_DB: join(dir, 'fine.sqlite') });
    expect(port.code).toBe(1);
    expect(port.output).toContain('Configuration error: PORT');
  });

  it('names a file that is not a database', async () => {
    const path = join(dir, 'notes.sqlite');
    writeFileSync(path, 'These are somebody’s notes, not a SQLite database.\n'.repeat(20));
    const { code, output } = await start({ ATLAS_BOT_DB: path });
    expect(code).toBe(1);
    expect(output).toContain(`Configuration error: ATLAS_BOT_DB: ${path} is not a SQLite database`);
    expect(output).toContain('point ATLAS_BOT_DB at');
  });

  it('names a directory given as the file', async () => {
    const path = join(dir, 'a-directory');
    mkdirSync(path);
    const { code, output } = await start({ ATLAS_BOT_DB: path });
    expect(code).toBe(1);
    expect(output).toContain(`ATLAS_BOT_DB: ${path} is a directory; give the path of a file in it`);
  });

  it('names a directory that cannot be created because a file is in the way', async () => {
    writeFileSync(join(dir, 'plain-file'), 'x');
    const path = join(dir, 'plain-file', 'sub', 'bot.sqlite');
    const { code, output } = await start({ ATLAS_BOT_DB: path });
    expect(code).toBe(1);
    expect(output).toContain(`ATLAS_BOT_DB: cannot create the directory ${join(dir, 'plain-file', 'sub')}`);
  });

  it.skipIf(!existsSync('/proc/self'))(
    'names a directory that cannot be created under /proc (and does not hang)',
    async () => {
      const { code, output } = await start({ ATLAS_BOT_DB: '/proc/atlas-backups/deeper/bot.sqlite' });
      expect(code).toBe(1);
      expect(output).toContain('ATLAS_BOT_DB: cannot create the directory /proc/atlas-backups;');
    },
  );

  it.skipIf(!canFreeze)('names a database it may only read', async () => {
    const path = join(dir, 'read-only.sqlite');
    openBotDatabase(path).close();
    freeze(path);
    const { code, output } = await start({ ATLAS_BOT_DB: path });
    expect(code).toBe(1);
    expect(output).toContain(
      `ATLAS_BOT_DB: ${path} is read-only for the bot (attempt to write a readonly database)`,
    );
    expect(output).toContain('let the bot');
  });

  it.skipIf(!canFreeze)('names a directory it may not write', async () => {
    const locked = join(dir, 'locked');
    mkdirSync(locked);
    freeze(locked);
    const path = join(locked, 'bot.sqlite');
    const { code, output } = await start({ ATLAS_BOT_DB: path });
    expect(code).toBe(1);
    expect(output).toMatch(/Configuration error: ATLAS_BOT_DB: /);
    expect(output).toContain(locked);
  });
});
