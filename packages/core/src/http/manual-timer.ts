import type { SchedulerClock } from './scheduler.js';

interface Waiter {
  at: number;
  seq: number;
  resolve: () => void;
}

/**
 * Waits that end when a manual clock is moved past them, for deterministic tests: give
 * `clock` to the scheduler (or a poller), then `advance()` time. It drives an outside clock
 * (the simulator's manual clock) so Atlas and its client agree on the time.
 */
export class ManualTimer {
  private waiters: Waiter[] = [];
  private seq = 0;

  /**
   * `busy` says whether work started by an ended wait is still under way (requests in flight):
   * time only moves on once it is done, as it would on a real clock with a fast Atlas.
   */
  constructor(
    private readonly time: { now(): number; advance(ms: number): void },
    private readonly busy: () => boolean = () => false,
  ) {}

  readonly clock: SchedulerClock = {
    now: () => this.time.now(),
    wait: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) {
          reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
          return;
        }
        const waiter: Waiter = { at: this.time.now() + Math.max(0, ms), seq: this.seq++, resolve };
        waiter.resolve = () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        const onAbort = () => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        this.waiters.push(waiter);
      }),
  };

  /** Waits not yet over. */
  get pending(): number {
    return this.waiters.length;
  }

  /** When the earliest wait ends, if any. */
  get nextAt(): number | undefined {
    return this.waiters.reduce<number | undefined>(
      (m, w) => (m === undefined || w.at < m ? w.at : m),
      undefined,
    );
  }

  /**
   * Moves time on by `ms`, ending each wait as its moment comes, in order, and letting the
   * awakened code run (promise jobs and I/O callbacks) before moving on.
   */
  async advance(ms: number): Promise<void> {
    const end = this.time.now() + ms;
    for (;;) {
      await this.settle();
      const next = this.nextAt;
      if (next === undefined || next > end) break;
      if (next > this.time.now()) this.time.advance(next - this.time.now());
      const due = this.waiters
        .filter((w) => w.at <= this.time.now())
        .sort((a, b) => a.at - b.at || a.seq - b.seq);
      this.waiters = this.waiters.filter((w) => !due.includes(w));
      for (const w of due) w.resolve();
    }
    if (end > this.time.now()) this.time.advance(end - this.time.now());
    await this.settle();
  }

  /** Lets awakened code run: until nothing is busy (bounded), then a few more turns. */
  async settle(): Promise<void> {
    const giveUpAt = Date.now() + 5_000;
    // Quiet means not busy for a few turns in a row: between a retry's attempts, or between an
    // answer and the wait that follows it, nothing is in flight for a moment.
    for (let quiet = 0; quiet < 3 && Date.now() < giveUpAt;) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      quiet = this.busy() ? 0 : quiet + 1;
    }
  }
}
