import type { RequestScheduler } from '@atlas-backups/core';

/** However long the terminal sits idle, lists still refresh at least this often. */
const idleCeilingMs = 60_000;
/** A 429 seen this recently still slows refreshes down. */
const rateLimitMemoryMs = 120_000;

/**
 * How often lists refresh on their own: the configured period while someone is at the keyboard,
 * stretching while the terminal sits idle (to about a quarter of the idle time, up to a minute),
 * and four times slower (or until Atlas's `Retry-After` ends) while Atlas answers 429.
 */
export class RefreshPace {
  private lastInputAt: number;
  private lastRateLimited = 0;
  private rateLimitedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly scheduler: RequestScheduler | undefined,
    private readonly now: () => number = Date.now,
  ) {
    this.lastInputAt = now();
  }

  /** A key was pressed. */
  touch(): void {
    this.lastInputAt = this.now();
  }

  delay = (periodMs: number): number => {
    const now = this.now();
    const idleMs = now - this.lastInputAt;
    let delay = Math.max(periodMs, Math.min(Math.max(periodMs, idleCeilingMs), idleMs / 4));
    if (this.scheduler) {
      const state = this.scheduler.state();
      const limited = state.rateLimited.interactive + state.rateLimited.background;
      if (limited > this.lastRateLimited) {
        this.lastRateLimited = limited;
        this.rateLimitedAt = now;
      }
      if (now - this.rateLimitedAt < rateLimitMemoryMs) delay *= 4;
      const holdUntil = this.scheduler.holdUntil();
      if (holdUntil > 0) delay = Math.max(delay, holdUntil - now);
    }
    return Math.round(delay);
  };
}
