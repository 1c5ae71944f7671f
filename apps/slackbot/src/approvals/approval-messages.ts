import type { BotDatabase } from '../state/db.js';

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
  final: r.final === 1,
});

/**
 * The coordinates (channel, ts) of every message the bot posted about an approval request, in
 * the bot's own table, so a restarted bot can still edit them; with the version each one shows,
 * so messages left behind by a crash are brought up to date at start.
 */
export class ApprovalMessages {
  private readonly s;

  constructor(
    db: BotDatabase,
    private readonly now: () => number = Date.now,
  ) {
    this.s = {
      add: db.prepare(
        `INSERT INTO bot_approval_messages (channel_id, ts, request_id, role, rendered, created_at)
         VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (channel_id, ts) DO NOTHING`,
      ),
      forRequest: db.prepare<[string], Row>(
        'SELECT * FROM bot_approval_messages WHERE request_id = ? ORDER BY created_at, rowid',
      ),
      shown: db.prepare(
        'UPDATE bot_approval_messages SET rendered = ?, final = ? WHERE channel_id = ? AND ts = ?',
      ),
      notFinal: db.prepare<[], { request_id: string }>(
        'SELECT DISTINCT request_id FROM bot_approval_messages WHERE final = 0',
      ),
      any: db.prepare<[string], { n: number }>(
        'SELECT COUNT(*) AS n FROM bot_approval_messages WHERE request_id = ?',
      ),
    };
  }

  add(ref: Omit<ApprovalMessageRef, 'final'>): void {
    this.s.add.run(ref.channelId, ref.ts, ref.requestId, ref.role, ref.rendered, this.now());
  }

  forRequest(requestId: string): ApprovalMessageRef[] {
    return this.s.forRequest.all(requestId).map(fromRow);
  }

  /** The message was edited to show `rendered`. */
  shown(ref: Pick<ApprovalMessageRef, 'channelId' | 'ts'>, rendered: string, final: boolean): void {
    this.s.shown.run(rendered, final ? 1 : 0, ref.channelId, ref.ts);
  }

  /** Requests with a message that may still change. */
  requestsNotFinal(): string[] {
    return this.s.notFinal.all().map((r) => r.request_id);
  }

  hasAny(requestId: string): boolean {
    return (this.s.any.get(requestId)?.n ?? 0) > 0;
  }
}
