import { toSql, type Sql } from '@atlas-backups/core';
import type { BotStore } from '../state/db.js';

/** Where a message about an approval request was posted: the requester's channel, or the approvals channel. */
export type ApprovalMessageRole = 'origin' | 'approvals';

export interface ApprovalMessageRef {
  requestId: string;
  channelId: string;
  ts: string;
  role: ApprovalMessageRole;
  /** The request version the message shows (see `renderedVersion`). */
  rendered: string;
  /** The message shows a final state and will not change again. */
  final: boolean;
}

interface Row {
  request_id: string;
  channel_id: string;
  ts: string;
  role: ApprovalMessageRole;
  rendered: string;
  final: number;
}

const fromRow = (r: Row): ApprovalMessageRef => ({
  requestId: r.request_id,
  channelId: r.channel_id,
  ts: r.ts,
  role: r.role,
  rendered: r.rendered,
  final: Number(r.final) === 1,
});

/**
 * The coordinates (channel, ts) of every message the bot posted about an approval request, in
 * the bot's own table, so a restarted bot can still edit them; with the version each one shows,
 * so messages left behind by a crash are brought up to date at start.
 */
export class ApprovalMessages {
  private readonly sql: Sql;

  constructor(
    db: BotStore,
    private readonly now: () => number = Date.now,
  ) {
    this.sql = toSql(db);
  }

  async add(ref: Omit<ApprovalMessageRef, 'final'>): Promise<void> {
    await this.sql.run(
      `INSERT INTO bot_approval_messages (channel_id, ts, request_id, role, rendered, created_at)
       VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (channel_id, ts) DO NOTHING`,
      [ref.channelId, ref.ts, ref.requestId, ref.role, ref.rendered, this.now()],
    );
  }

  async forRequest(requestId: string): Promise<ApprovalMessageRef[]> {
    // rowid keeps messages posted in the same millisecond in order (SQLite); Slack's ts does elsewhere.
    const order = this.sql.dialect === 'sqlite' ? 'created_at, rowid' : 'created_at, ts';
    const rows = await this.sql.all<Row>(
      `SELECT * FROM bot_approval_messages WHERE request_id = ? ORDER BY ${order}`,
      [requestId],
    );
    return rows.map(fromRow);
  }

  /** The message was edited to show `rendered`. */
  async shown(
    ref: Pick<ApprovalMessageRef, 'channelId' | 'ts'>,
    rendered: string,
    final: boolean,
  ): Promise<void> {
    await this.sql.run(
      'UPDATE bot_approval_messages SET rendered = ?, final = ? WHERE channel_id = ? AND ts = ?',
      [rendered, final ? 1 : 0, ref.channelId, ref.ts],
    );
  }

  /** Requests with a message that may still change. */
  async requestsNotFinal(): Promise<string[]> {
    const rows = await this.sql.all<{ request_id: string }>(
      'SELECT DISTINCT request_id FROM bot_approval_messages WHERE final = 0',
    );
    return rows.map((r) => r.request_id);
  }

  async hasAny(requestId: string): Promise<boolean> {
    const row = await this.sql.get<{ n: number }>(
      'SELECT COUNT(*) AS n FROM bot_approval_messages WHERE request_id = ?',
      [requestId],
    );
    return Number(row?.n ?? 0) > 0;
  }
}
