import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AckFirstGate } from '../src/slack/ack-first.js';
import { ChannelDefaults } from '../src/state/channel-defaults.js';
import { Confirmations } from '../src/state/confirmations.js';
import { openBotDatabase, openRequestLog } from '../src/state/db.js';
import { ProcessedRequests } from '../src/state/processed-requests.js';
import { retryWrite, WriteHealth, WriteUnavailableError } from '../src/state/write-health.js';
import { createLogger } from '../src/slack/logger.js';
import { LogLevel } from '@slack/bolt';
import type { ActionPreview } from '@atlas-backups/core';

const dirs: string[] = [];
function tempDb(): string {
  const dir = mkdtempSync(join(tmpdir(), 'slackbot-state-'));
  dirs.push(dir);
  return join(dir, 'bot.sqlite');
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const preview: ActionPreview = {
  action: 'restore.automated',
  title: 'Restore',
  lines: [],
  warnings: [],
  risk: 'destructive',
  projectId: 'a'.repeat(24),
  production: false,
};

describe('bot state in SQLite', () => {
  it('remembers handled requests across a restart', async () => {
    const path = tempDb();
    const first = openRequestLog(path);
    const before = new ProcessedRequests(first);
    expect(before.claim('command:abc')).toBe(true);
    expect(before.claim('command:abc')).toBe(false);
    await before.flush();
    first.close();

    const again = openRequestLog(path);
    const after = new ProcessedRequests(again);
    await after.ready;
    expect(after.claim('command:abc')).toBe(false);
    expect(after.claim('command:def')).toBe(true);
    again.close();
  });

  it('forgets handled requests after a day', async () => {
    let now = 1_000_000;
    const db = openBotDatabase(tempDb());
    const log = new ProcessedRequests(db, { now: () => now });
    log.claim('k');
    now += 25 * 3_600_000;
    await log.prune();
    expect(log.claim('k')).toBe(true);
    db.close();
  });

  it('keeps channel defaults in the shared file, beside core tables', async () => {
    const path = tempDb();
    const db = openBotDatabase(path);
    await new ChannelDefaults(db).set('C1', { projectId: 'p', projectName: 'P', setBy: 'U1', setAt: 1 });
    const tables = db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .all()
      .map((r) => r.name);
    expect(tables).toEqual(
      expect.arrayContaining(['approval_requests', 'followed_jobs', 'bot_channel_defaults']),
    );
    expect(tables.filter((t) => !t.startsWith('bot_') && !t.startsWith('sqlite_'))).not.toContain(
      'channel_defaults',
    );
    db.close();
    const reopened = openBotDatabase(path);
    expect(await new ChannelDefaults(reopened).get('C1')).toMatchObject({ projectId: 'p', projectName: 'P' });
    reopened.close();
  });

  it('lets a confirmation be claimed once, by its requester, before it expires', async () => {
    let now = 0;
    const db = openBotDatabase(tempDb());
    const store = new Confirmations(db, () => now, 1_000);
    const c = await store.create({
      userId: 'U1',
      channelId: 'C1',
      action: 'restore.automated',
      params: {},
      preview,
      responseUrl: undefined,
    });
    expect(await store.claim(c.id, 'U2', 'confirmed')).toEqual({ ok: false, reason: 'not_yours' });
    expect(await store.claim(c.id, 'U1', 'confirmed')).toMatchObject({ ok: true });
    expect(await store.claim(c.id, 'U1', 'confirmed')).toEqual({ ok: false, reason: 'done' });
    const late = await store.create({
      userId: 'U1',
      channelId: 'C1',
      action: 'restore.automated',
      params: {},
      preview,
      responseUrl: undefined,
    });
    now += 1_000;
    expect(await store.claim(late.id, 'U1', 'confirmed')).toEqual({ ok: false, reason: 'expired' });
    expect(await store.claim('nope', 'U1', 'cancelled')).toEqual({ ok: false, reason: 'unknown' });
    db.close();
  });
});

describe('writes while another connection holds the write lock', () => {
  it('retries a write until the lock is gone, then gives up at its deadline, degraded meanwhile', async () => {
    const path = tempDb();
    const db = openBotDatabase(path, { busyTimeoutMs: 0 });
    const other = openBotDatabase(path);
    const health = new WriteHealth(createLogger(LogLevel.ERROR));
    const insert = db.prepare(
      "INSERT INTO bot_channel_defaults VALUES (?, 'p', 'P', 'U1', 1) ON CONFLICT DO NOTHING",
    );
    other.exec('BEGIN IMMEDIATE');
    const refused = await retryWrite(health, 'save a default', () => insert.run('C1'), {
      deadlineMs: 50,
    }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(WriteUnavailableError);
    expect(health.degraded?.reason).toBe('save a default: SQLITE_BUSY');

    const waiting = retryWrite(health, 'save a default', () => insert.run('C2'), { deadlineMs: 60_000 });
    other.exec('COMMIT');
    expect((await waiting).changes).toBe(1);
    expect(health.degraded).toBeUndefined();

    // A write that is wrong in itself is not the database's fault: thrown as it is.
    const wrong = db.prepare('INSERT INTO bot_channel_defaults (channel_id) VALUES (?)');
    const error = await retryWrite(health, 'bad', () => wrong.run('C3')).catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe('SQLITE_CONSTRAINT_NOTNULL');
    expect(health.degraded).toBeUndefined();
    db.close();
    other.close();
  });

  it('keeps claimed request keys queued while the lock is held and stores them once it is gone', async () => {
    const path = tempDb();
    const log = openRequestLog(path);
    const other = openBotDatabase(path);
    const health = new WriteHealth(createLogger(LogLevel.ERROR));
    const keys = new ProcessedRequests(log, { health, flushAfterMs: 1, maxRetryDelayMs: 5 });
    other.exec('BEGIN IMMEDIATE');
    expect(keys.claim('command:locked')).toBe(true);
    expect(await keys.flush()).toBe(false);
    expect(keys.claim('command:locked')).toBe(false);
    expect(health.degraded?.reason).toContain('SQLITE_BUSY');
    other.exec('COMMIT');
    await waitFor(() => keys.unsaved === 0);
    expect(health.degraded).toBeUndefined();
    const reread = new ProcessedRequests(other);
    await reread.ready;
    expect(reread.claim('command:locked')).toBe(false);
    await keys.close();
    log.close();
    other.close();
  });
});

async function waitFor(done: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('AckFirstGate', () => {
  it('lets follow-up work start at once when nothing waits for an ack', async () => {
    const gate = new AckFirstGate({ quietMs: 0 });
    await gate.quiet();
  });

  it('holds follow-up work until the waiting requests are acknowledged', async () => {
    const gate = new AckFirstGate({ quietMs: 1, maxWaitMs: 60_000 });
    gate.enter();
    gate.enter();
    let started = false;
    const work = gate.quiet().then(() => {
      started = true;
    });
    gate.leave();
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toBe(false);
    gate.leave();
    await work;
    expect(started).toBe(true);
  });

  it('does not hold work back longer than maxWaitMs', async () => {
    const gate = new AckFirstGate({ quietMs: 1, maxWaitMs: 5 });
    gate.enter();
    await gate.quiet();
    expect(gate.pending).toBe(1);
  });
});
