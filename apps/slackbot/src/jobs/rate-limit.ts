export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** Resolves after `ms`, or at once when `signal` aborts. */
export const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve) => {
    if (signal?.aborted || ms <= 0) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

/**
 * At most `limit` calls per sliding `windowMs`, shared by every job message. Slack rates
 * `chat.update` at Tier 3 (about 50 a minute per workspace); the default stays under it.
 */
export class SlidingWindowLimiter {
  private readonly stamps: number[] = [];

  constructor(
    readonly limit: number,
    readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
    private readonly sleep: Sleep = realSleep,
  ) {
    if (!(limit >= 1)) throw new RangeError('limit must be at least 1');
  }

  /** Waits for a free slot and takes it. Returns false if `signal` aborted first. */
  async acquire(signal?: AbortSignal): Promise<boolean> {
    for (;;) {
      if (signal?.aborted) return false;
      const t = this.now();
      while (this.stamps.length > 0 && (this.stamps[0] as number) <= t - this.windowMs) this.stamps.shift();
      if (this.stamps.length < this.limit) {
        this.stamps.push(t);
        return true;
      }
      await this.sleep((this.stamps[0] as number) + this.windowMs - t, signal);
    }
  }
}

export interface CoalescingSenderOptions<T> {
  send: (value: T) => Promise<void>;
  /** Least time between two sends of this sender. */
  minIntervalMs: number;
  limiter?: SlidingWindowLimiter | undefined;
  onError?: (error: unknown) => void;
  /**
   * How long to wait before sending a failed value again (when nothing newer came meanwhile),
   * or undefined to drop it. Called with the error and the attempt number (1 for the first retry).
   */
  retryDelayMs?: (error: unknown, attempt: number) => number | undefined;
  now?: () => number;
  sleep?: Sleep;
  signal?: AbortSignal | undefined;
}

/**
 * Sends the latest of the values pushed to it, no more often than `minIntervalMs`: values that
 * arrive while it waits replace each other, so a burst of changes costs one call, and the last
 * value is always sent.
 */
export class CoalescingSender<T> {
  private latest: { value: T } | undefined;
  private loop: Promise<void> | undefined;
  private lastSentAt = Number.NEGATIVE_INFINITY;
  /** Values actually sent; for diagnostics and tests. */
  sent = 0;

  constructor(private readonly options: CoalescingSenderOptions<T>) {}

  push(value: T): void {
    this.latest = { value };
    this.loop ??= this.run().finally(() => {
      this.loop = undefined;
    });
  }

  /** Resolves once every value pushed so far has been sent (or sending was aborted). */
  async flush(): Promise<void> {
    while (this.loop) await this.loop;
  }

  private async run(): Promise<void> {
    const now = this.options.now ?? Date.now;
    const sleep = this.options.sleep ?? realSleep;
    const signal = this.options.signal;
    while (this.latest && !signal?.aborted) {
      const wait = this.lastSentAt + this.options.minIntervalMs - now();
      if (wait > 0) await sleep(wait, signal);
      if (this.options.limiter && !(await this.options.limiter.acquire(signal))) return;
      const next = this.latest;
      this.latest = undefined;
      if (!next) return;
      try {
        await this.options.send(next.value);
        this.sent += 1;
        this.failures = 0;
      } catch (error) {
        this.options.onError?.(error);
        this.failures += 1;
        const delay = this.options.retryDelayMs?.(error, this.failures);
        if (delay !== undefined && this.latest === undefined) {
          // Nothing newer to send: this value is still the one to show.
          this.latest = next;
          await sleep(delay, signal);
        } else {
          this.failures = 0;
        }
      }
      this.lastSentAt = now();
    }
  }

  private failures = 0;
}
