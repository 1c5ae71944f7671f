import { LogLevel, type Logger } from '@slack/bolt';
import { createLogger } from '../slack/logger.js';
import { toSql, type Sql } from '@atlas-backups/core';
import type { BotStore } from './db.js';
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
 * to the database in batches a few milliseconds later (one transaction each) and read back at
 * start (`ready`), so a restarted bot still recognises retries of what it took in before. A
 * retry this process has not seen may have reached another replica: `claimShared` asks the
 * database (one unique-key insert), so across replicas only one delivery runs. When the database
 * cannot take them (another process holds its write lock), the keys stay in memory, where this
 * process still recognises retries, and the write is tried again after a growing pause.
 */
export class ProcessedRequests {
  private readonly seen = new Map<string, number>();
  private pending: [string, number][] = [];
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private retryDelayMs: number;
  private readonly sql: Sql;
  private flushing: Promise<boolean> | undefined;
  /** Settles once the keys stored by earlier runs are known. */
  readonly ready: Promise<void>;
  private readonly logger: Logger;
  private readonly health: WriteHealth;
  private readonly now: () => number;
  private readonly keepMs: number;
  private readonly flushAfterMs: number;
  private readonly maxRetryDelayMs: number;

  constructor(db: BotStore, options: ProcessedRequestsOptions = {}) {
    this.logger = options.logger ?? createLogger(LogLevel.WARN);
    this.health = options.health ?? new WriteHealth(this.logger);
    this.now = options.now ?? Date.now;
    this.keepMs = options.keepMs ?? 24 * 3_600_000;
    this.flushAfterMs = options.flushAfterMs ?? 20;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 5_000;
    this.retryDelayMs = this.flushAfterMs;
    this.sql = toSql(db);
    this.ready = this.sql
      .all<{ request_key: string; received_at: number }>(
        'SELECT request_key, received_at FROM bot_processed_requests WHERE received_at >= ?',
        [this.now() - this.keepMs],
      )
      .then(
        (recent) => {
          for (const row of recent)
            if (!this.seen.has(row.request_key)) this.seen.set(row.request_key, Number(row.received_at));
        },
        (error: unknown) => this.logger.warn(`reading handled request keys failed: ${String(error)}`),
      );
  }

  /**
   * For a delivery this process has not seen before but Slack says is a retry: claims its key in
   * the database, where another replica may have stored it. True when this call is the first;
   * when the database cannot answer, the local claim stands (better once than never).
   */
  async claimShared(key: string): Promise<boolean> {
    const at = this.seen.get(key) ?? this.now();
    try {
      const { changes } = await this.sql.run(
        'INSERT INTO bot_processed_requests (request_key, received_at) VALUES (?, ?) ON CONFLICT (request_key) DO NOTHING',
        [key, at],
      );
      if (changes === 1) this.pending = this.pending.filter(([k]) => k !== key);
      return changes === 1;
    } catch (error) {
      this.logger.warn(`checking a retried request's key failed: ${String(error)}`);
      return true;
    }
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
  async flush(): Promise<boolean> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    while (this.flushing) await this.flushing;
    if (this.pending.length === 0) return true;
    if (!this.sql.isOpen) return false;
    const run = this.write();
    this.flushing = run;
    try {
      return await run;
    } finally {
      this.flushing = undefined;
    }
  }

  private async write(): Promise<boolean> {
    const rows = this.pending;
    this.pending = [];
    try {
      await this.sql.transaction(async (tx) => {
        for (const [key, at] of rows)
          await tx.run(
            'INSERT INTO bot_processed_requests (request_key, received_at) VALUES (?, ?) ON CONFLICT (request_key) DO NOTHING',
            [key, at],
          );
      });
    } catch (error) {
      this.pending = [...rows, ...this.pending];
      if (!isStorageError(error)) this.logger.error(`${saving} failed: ${String(error)}`);
      this.health.failed(saving, error);
      this.schedule(this.retryDelayMs);
      this.retryDelayMs = Math.min(this.retryDelayMs * 2, this.maxRetryDelayMs);
      return false;
    }
    this.retryDelayMs = this.flushAfterMs;
    this.health.succeeded(saving);
    return this.pending.length === 0;
  }

  /** Forgets keys older than the retention, in memory and on disk (when it can write). */
  async prune(): Promise<number> {
    const cutoff = this.now() - this.keepMs;
    for (const [key, at] of this.seen) if (at < cutoff) this.seen.delete(key);
    if (!(await this.flush()) || !this.sql.isOpen) return 0;
    try {
      return (await this.sql.run('DELETE FROM bot_processed_requests WHERE received_at < ?', [cutoff]))
        .changes;
    } catch (error) {
      // Old keys are only clutter: the next hourly prune removes them.
      this.logger.warn(`pruning handled request keys failed: ${String(error)}`);
      return 0;
    }
  }

  /** Stops retrying; says how many keys could not be saved. */
  async close(): Promise<void> {
    if (!(await this.flush()) && this.pending.length > 0)
      this.logger.warn(
        `${this.pending.length} handled request keys could not be saved; a Slack retry of those requests after a restart would run them again.`,
      );
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
  }

  private schedule(ms: number): void {
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => void this.flush(), ms);
    this.flushTimer.unref();
  }
}
