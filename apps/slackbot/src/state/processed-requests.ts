import { LogLevel, type Logger } from '@slack/bolt';
import { createLogger } from '../slack/logger.js';
import type { BotDatabase } from './db.js';
import { isStorageError, WriteHealth } from './write-health.js';

export interface ProcessedRequestsOptions {
  health?: WriteHealth;
  logger?: Logger;
  now?: () => number;
  /** Slack retries within minutes; a day is ample. */
  keepMs?: number;
  flushAfterMs?: number;
  maxRetryDelayMs?: number;
}

const saving = 'saving handled request keys';

/**
 * Keys of the Slack deliveries already taken in. Slack redelivers a request it thinks was lost
 * (`X-Slack-Retry-Num`); claiming its key first makes every later delivery a no-op.
 *
 * Claiming happens before each acknowledgement, so it is a memory lookup; the keys are written
 * to SQLite in batches a few milliseconds later (one transaction each) and read back at start,
 * so a restarted bot still recognises retries of what it took in before. When the database
 * cannot take them (another process holds its write lock), the keys stay in memory, where this
 * process still recognises retries, and the write is tried again after a growing pause.
 */
export class ProcessedRequests {
  private readonly seen = new Map<string, number>();
  private pending: [string, number][] = [];
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private retryDelayMs: number;
  private readonly insertMany;
  private readonly pruneStmt;
  private readonly logger: Logger;
  private readonly health: WriteHealth;
  private readonly now: () => number;
  private readonly keepMs: number;
  private readonly flushAfterMs: number;
  private readonly maxRetryDelayMs: number;

  constructor(
    private readonly db: BotDatabase,
    options: ProcessedRequestsOptions = {},
  ) {
    this.logger = options.logger ?? createLogger(LogLevel.WARN);
    this.health = options.health ?? new WriteHealth(this.logger);
    this.now = options.now ?? Date.now;
    this.keepMs = options.keepMs ?? 24 * 3_600_000;
    this.flushAfterMs = options.flushAfterMs ?? 20;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 5_000;
    this.retryDelayMs = this.flushAfterMs;
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
      .all(this.now() - this.keepMs);
    for (const row of recent) this.seen.set(row.request_key, row.received_at);
  }

  /** True the first time a key is seen, false for every later delivery of it. */
  claim(key: string): boolean {
    if (this.seen.has(key)) return false;
    const at = this.now();
    this.seen.set(key, at);
    this.pending.push([key, at]);
    this.schedule(this.flushAfterMs);
    return true;
  }

  /** Keys claimed but not yet stored. */
  get unsaved(): number {
    return this.pending.length;
  }

  /**
   * Writes the keys claimed since the last flush; true when none are left unsaved. A failure
   * leaves them queued and schedules another try; it never throws.
   */
  flush(): boolean {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.pending.length === 0) return true;
    if (!this.db.open) return false;
    const rows = this.pending;
    try {
      this.insertMany(rows);
    } catch (error) {
      if (!isStorageError(error)) this.logger.error(`${saving} failed: ${String(error)}`);
      this.health.failed(saving, error);
      this.schedule(this.retryDelayMs);
      this.retryDelayMs = Math.min(this.retryDelayMs * 2, this.maxRetryDelayMs);
      return false;
    }
    this.pending = [];
    this.retryDelayMs = this.flushAfterMs;
    this.health.succeeded(saving);
    return this.pending.length === 0;
  }

  /** Forgets keys older than the retention, in memory and on disk (when it can write). */
  prune(): number {
    const cutoff = this.now() - this.keepMs;
    for (const [key, at] of this.seen) if (at < cutoff) this.seen.delete(key);
    if (!this.flush() || !this.db.open) return 0;
    try {
      return this.pruneStmt.run(cutoff).changes;
    } catch (error) {
      // Old keys are only clutter: the next hourly prune removes them.
      this.logger.warn(`pruning handled request keys failed: ${String(error)}`);
      return 0;
    }
  }

  /** Stops retrying; says how many keys could not be saved. */
  close(): void {
    if (!this.flush() && this.pending.length > 0)
      this.logger.warn(
        `${this.pending.length} handled request keys could not be saved; a Slack retry of those requests after a restart would run them again.`,
      );
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
  }

  private schedule(ms: number): void {
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => this.flush(), ms);
    this.flushTimer.unref();
  }
}
