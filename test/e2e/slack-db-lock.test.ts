import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBotDatabase, openRequestLog, type BotDatabase } from '@atlas-backups/slackbot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/slack/fake-slack.js';
import { BotHarness, blockText, buttons } from '../support/slack/harness.js';

/**
 * Another process holds a write lock on ATLAS_BOT_DB (a second better-sqlite3 connection in
 * `BEGIN IMMEDIATE`) while commands arrive. The bot is wired as main wires it: its main
 * connection, and the request log on a connection of its own.
 */
describe('the bot while another process holds the database write lock', () => {
  let dir: string;
  let requestLog: BotDatabase;
  let other: BotDatabase;
  let h: BotHarness;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'slackbot-lock-'));
    const dbPath = join(dir, 'bot.sqlite');
    requestLog = openRequestLog(dbPath);
    h = await BotHarness.start({ dbPath, bot: { requestLog } });
    other = openBotDatabase(dbPath);
  });
  afterAll(async () => {
    if (other?.inTransaction) other.exec('ROLLBACK');
    await h?.close();
    requestLog?.close();
    other?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const keysStored = () =>
    other.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM bot_processed_requests').get()?.n ?? 0;

  it('acknowledges every command while locked, says it is degraded, and loses nothing', async () => {
    const staging = h.sim.seed.projects.find((p) => p.name === 'Staging');
    const snap = h.sim.store
      .listSnapshots(staging?.id ?? '', 'orders-staging')
      .find((s) => s.outcome === 'succeeded' && s.doneAt <= h.sim.clock.now());
    const storedBefore = keysStored();

    other.exec('BEGIN IMMEDIATE');
    // A change whose confirmation must be written, a channel default, and plain help.
    const change = await h.command(`restore orders-staging ${snap?.id} --download --project Staging`);
    const use = await h.command('use Staging', { channel: 'C0LOCKED' });
    expect([change.status, use.status]).toEqual([200, 200]);

    // Writing the first requests' keys fails; every later ack still comes, and help says why.
    const degradedHelp = await waitFor(async () => {
      const res = await h.command('help');
      expect(res.status).toBe(200);
      const text = blockText(res.json?.blocks);
      return text.includes('degraded') ? text : undefined;
    }, 'help to say the bot is degraded');
    expect(degradedHelp).toContain('ATLAS_BOT_DB');
    expect(h.bot.health.degraded?.reason).toContain('SQLITE_BUSY');

    // Still locked: nothing that needs a write has been answered yet, and no key is stored.
    expect(other.inTransaction).toBe(true);
    expect(h.slack.postsTo(change.responseUrl)).toHaveLength(0);
    expect(keysStored()).toBe(storedBefore);

    other.exec('COMMIT');

    // Once the lock is gone, the retried writes land: the confirmation, the default, the keys.
    const confirmation = await h.responseTo(change.responseUrl, 1, 'the confirmation');
    expect(buttons(confirmation.body.blocks).map((b) => b.text)).toContain('Confirm');
    await waitFor(
      () => h.slack.channelMessages('C0LOCKED').length > 0 || h.slack.postsTo(use.responseUrl)[0],
      'the channel default to be set',
    );
    await waitFor(() => h.bot.health.degraded === undefined, 'the bot to recover');
    await waitFor(() => keysStored() >= storedBefore + 3, 'the request keys to be stored');
    const help = await h.command('help');
    expect(blockText(help.json?.blocks)).not.toContain('degraded');
    expect(
      other
        .prepare<[string], { project_name: string }>(
          'SELECT project_name FROM bot_channel_defaults WHERE channel_id = ?',
        )
        .get('C0LOCKED')?.project_name,
    ).toBe('Staging');
  });

  it('still recognises a retried delivery while its key cannot be stored', async () => {
    other.exec('BEGIN IMMEDIATE');
    try {
      const first = await h.command('projects');
      const retry = await h.command('', { rawBody: first.body, retryNum: 1 });
      expect([first.status, retry.status]).toEqual([200, 200]);
      await h.bot.idle();
      expect(h.slack.postsTo(first.responseUrl)).toHaveLength(1);
    } finally {
      other.exec('COMMIT');
    }
  });
});
