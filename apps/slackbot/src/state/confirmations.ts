import { randomBytes } from 'node:crypto';
import { toSql, type ActionName, type ActionPreview, type Sql } from '@atlas-backups/core';
import type { BotStore } from './db.js';
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
 * Confirmations in the bot's database. Claiming one is a single conditional update, so a double click, a
 * retried delivery or two bot processes still run the change once. Both writes run after the
 * ack, and wait out another process's write lock (retryWrite) without holding the event loop.
 */
export class Confirmations {
  private readonly sql: Sql;

  constructor(
    db: BotStore,
    private readonly now: () => number = Date.now,
    readonly ttlMs = 15 * 60_000,
    private readonly health?: WriteHealth,
  ) {
    this.sql = toSql(db);
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
    const row = [
      confirmation.id,
      confirmation.userId,
      confirmation.channelId,
      confirmation.action,
      JSON.stringify(confirmation.params),
      JSON.stringify(confirmation.preview),
      confirmation.responseUrl ?? null,
      confirmation.reason ?? null,
      confirmation.breakGlass ? 1 : 0,
      confirmation.createdAt,
      confirmation.expiresAt,
    ];
    await this.write('save a confirmation', () =>
      this.sql.run(
        `INSERT INTO bot_confirmations (id, user_id, channel_id, action, params, preview, response_url, reason, break_glass, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        row,
      ),
    );
    return confirmation;
  }

  /** The confirmation if it is still open and belongs to `userId`; does not claim it. */
  async check(id: string, userId: string): Promise<ClaimResult> {
    const row = await this.sql.get<Row>('SELECT * FROM bot_confirmations WHERE id = ?', [id]);
    if (!row) return { ok: false, reason: 'unknown' };
    if (row.user_id !== userId) return { ok: false, reason: 'not_yours' };
    if (row.state !== 'open') return { ok: false, reason: 'done' };
    if (Number(row.expires_at) <= this.now()) return { ok: false, reason: 'expired' };
    return { ok: true, confirmation: fromRow(row) };
  }

  /** Marks the confirmation used (`confirmed`) or dropped (`cancelled`); only one caller wins. */
  async claim(id: string, userId: string, state: 'confirmed' | 'cancelled'): Promise<ClaimResult> {
    const checked = await this.check(id, userId);
    if (!checked.ok) return checked;
    const changed = await this.write(
      'record a confirmation answer',
      async () =>
        (
          await this.sql.run(
            "UPDATE bot_confirmations SET state = ? WHERE id = ? AND state = 'open' AND expires_at > ?",
            [state, id, this.now()],
          )
        ).changes,
    );
    return changed === 1 ? checked : { ok: false, reason: 'done' };
  }

  private write<T>(what: string, write: () => Promise<T>): Promise<T> {
    return this.health ? retryWrite(this.health, what, write) : write();
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
    breakGlass: Number(row.break_glass) === 1,
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
  };
}
