import type { BotDatabase } from './db.js';

/**
 * Keys of the Slack deliveries already taken in. Slack redelivers a request it thinks was lost
 * (`X-Slack-Retry-Num`); claiming its key first makes every later delivery a no-op.
 *
 * Claiming happens before each acknowledgement, so it is a memory lookup; the keys are written
 * to SQLite in batches a few milliseconds later (one transaction each) and read back at start,
 * so a restarted bot still recognises retries of what it took in before.
 */
export class ProcessedRequests {
  private readonly seen = new Map<string, number>();
  private pending: [string, number][] = [];
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly insertMany;
  private readonly pruneStmt;

  constructor(
    private readonly db: BotDatabase,
    private readonly now: () => number = Date.now,
    /** Slack retries within minutes; a day is ample. */
    private readonly keepMs = 24 * 3_600_000,
    private readonly flushAfterMs = 20,
  ) {
    const insert = db.prepare(
      'INSERT OR IGNORE INTO bot_processed_requests (request_key, received_at) VALUES (?, ?)',
    );
    this.insertMany = db.transaction((rows: [string, number][]) => {
      for (const [key, at] of rows) insert.run(key, at);
    });
    this.pruneStmt = db.prepare('DELETE FROM bot_processed_requests WHERE received_at < ?');
    const recent = db
      .prepare<[number], { request_key: string; received_at: number }>(
        'SELECT request_key, received_at FROM bot_processed_requests WHERE received_at >= ?',
      )
      .all(this.now() - keepMs);
    for (const row of recent) this.seen.set(row.request_key, row.received_at);
  }

  /** True the first time a key is seen, false for every later delivery of it. */
  claim(key: string): boolean {
    if (this.seen.has(key)) return false;
    const at = this.now();
    this.seen.set(key, at);
    this.pending.push([key, at]);
    this.flushTimer ??= setTimeout(() => this.flush(), this.flushAfterMs);
    return true;
  }

  /** Writes the keys claimed since the last flush. */
  flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.pending.length === 0 || !this.db.open) return;
    const rows = this.pending;
    this.pending = [];
    this.insertMany(rows);
  }

  /** Forgets keys older than the retention, in memory and on disk. */
  prune(): number {
    const cutoff = this.now() - this.keepMs;
    for (const [key, at] of this.seen) if (at < cutoff) this.seen.delete(key);
    this.flush();
    return this.db.open ? this.pruneStmt.run(cutoff).changes : 0;
  }
}
