import { randomBytes } from 'node:crypto';
import type { ActionName, ActionPreview } from '@atlas-backups/core';
import type { BotDatabase } from './db.js';
import { retryWrite, type WriteHealth } from './write-health.js';

/** A change that was explained to its requester and waits for their Confirm or Cancel. */
export interface PendingConfirmation {
  id: string;
  userId: string;
  channelId: string;
  action: ActionName;
  params: Record<string, unknown>;
  preview: ActionPreview;
  responseUrl: string | undefined;
  /** Why the requester wants it, shown to approvers; absent when none was given. */
  reason?: string | undefined;
  /** `--break-glass`: run at once if the rule allows this person, instead of asking for approval. */
  breakGlass?: boolean | undefined;
  createdAt: number;
  expiresAt: number;
}

export type ClaimResult =
  | { ok: true; confirmation: PendingConfirmation }
  | { ok: false; reason: 'unknown' | 'expired' | 'done' | 'not_yours' };

interface Row {
  id: string;
  user_id: string;
  channel_id: string;
  action: string;
  params: string;
  preview: string;
  response_url: string | null;
  reason: string | null;
  break_glass: number;
  created_at: number;
  expires_at: number;
  state: string;
}

/**
 * Confirmations in SQLite. Claiming one is a single conditional update, so a double click, a
 * retried delivery or two bot processes still run the change once. Both writes run after the
 * ack, and wait out another process's write lock (retryWrite) without holding the event loop.
 */
export class Confirmations {
  private readonly insertStmt;
  private readonly getStmt;
  private readonly claimStmt;

  constructor(
    db: BotDatabase,
    private readonly now: () => number = Date.now,
    readonly ttlMs = 15 * 60_000,
    private readonly health?: WriteHealth,
  ) {
    this.insertStmt = db.prepare(
      `INSERT INTO bot_confirmations (id, user_id, channel_id, action, params, preview, response_url, reason, break_glass, created_at, expires_at)
       VALUES (@id, @userId, @channelId, @action, @params, @preview, @responseUrl, @reason, @breakGlass, @createdAt, @expiresAt)`,
    );
    this.getStmt = db.prepare<[string], Row>('SELECT * FROM bot_confirmations WHERE id = ?');
    this.claimStmt = db.prepare(
      "UPDATE bot_confirmations SET state = @state WHERE id = @id AND state = 'open' AND expires_at > @now",
    );
  }

  async create(
    input: Omit<PendingConfirmation, 'id' | 'createdAt' | 'expiresAt'>,
  ): Promise<PendingConfirmation> {
    const createdAt = this.now();
    const confirmation: PendingConfirmation = {
      ...input,
      id: randomBytes(8).toString('hex'),
      createdAt,
      expiresAt: createdAt + this.ttlMs,
    };
    const row = {
      ...confirmation,
      params: JSON.stringify(confirmation.params),
      preview: JSON.stringify(confirmation.preview),
      responseUrl: confirmation.responseUrl ?? null,
      reason: confirmation.reason ?? null,
      breakGlass: confirmation.breakGlass ? 1 : 0,
    };
    await this.write('save a confirmation', () => this.insertStmt.run(row));
    return confirmation;
  }

  /** The confirmation if it is still open and belongs to `userId`; does not claim it. */
  check(id: string, userId: string): ClaimResult {
    const row = this.getStmt.get(id);
    if (!row) return { ok: false, reason: 'unknown' };
    if (row.user_id !== userId) return { ok: false, reason: 'not_yours' };
    if (row.state !== 'open') return { ok: false, reason: 'done' };
    if (row.expires_at <= this.now()) return { ok: false, reason: 'expired' };
    return { ok: true, confirmation: fromRow(row) };
  }

  /** Marks the confirmation used (`confirmed`) or dropped (`cancelled`); only one caller wins. */
  async claim(id: string, userId: string, state: 'confirmed' | 'cancelled'): Promise<ClaimResult> {
    const checked = this.check(id, userId);
    if (!checked.ok) return checked;
    const changed = await this.write(
      'record a confirmation answer',
      () => this.claimStmt.run({ id, state, now: this.now() }).changes,
    );
    return changed === 1 ? checked : { ok: false, reason: 'done' };
  }

  private write<T>(what: string, write: () => T): Promise<T> {
    return this.health ? retryWrite(this.health, what, write) : Promise.resolve().then(write);
  }
}

function fromRow(row: Row): PendingConfirmation {
  return {
    id: row.id,
    userId: row.user_id,
    channelId: row.channel_id,
    action: row.action as ActionName,
    params: JSON.parse(row.params) as Record<string, unknown>,
    preview: JSON.parse(row.preview) as ActionPreview,
    responseUrl: row.response_url ?? undefined,
    reason: row.reason ?? undefined,
    breakGlass: row.break_glass === 1,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}
