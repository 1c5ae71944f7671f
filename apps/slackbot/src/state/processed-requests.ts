import type { BotDatabase } from './db.js';

/**
 * Keys of the Slack deliveries already taken in. Slack redelivers a request it thinks was lost
 * (`X-Slack-Retry-Num`); claiming its key first makes the second delivery a no-op.
 */
export class ProcessedRequests {
  private readonly claimStmt;
  private readonly pruneStmt;

  constructor(
    db: BotDatabase,
    private readonly now: () => number = Date.now,
    /** Slack retries within minutes; a day is ample. */
    private readonly keepMs = 24 * 3_600_000,
  ) {
    this.claimStmt = db.prepare(
      'INSERT OR IGNORE INTO bot_processed_requests (request_key, received_at) VALUES (?, ?)',
    );
    this.pruneStmt = db.prepare('DELETE FROM bot_processed_requests WHERE received_at < ?');
  }

  /** True the first time a key is seen, false for every later delivery of it. */
  claim(key: string): boolean {
    return this.claimStmt.run(key, this.now()).changes === 1;
  }

  prune(): number {
    return this.pruneStmt.run(this.now() - this.keepMs).changes;
  }
}
