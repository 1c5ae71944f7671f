/**
 * Lets work that follows an acknowledgement wait until the requests still waiting for theirs
 * have been answered. Slack gives an ack three seconds; the answer that follows may take far
 * longer. So during a burst (an incident, fifty people typing at once) every ack goes out
 * first, and the Atlas calls and replies start once the burst has passed: when no request has
 * been waiting for `quietMs`, or after `maxWaitMs` at the latest, so a steady stream of
 * requests cannot hold the work back for long. Released work starts a few at a time, each
 * batch in its own turn of the event loop, so an ack arriving meanwhile is not queued behind it.
 */
export class AckFirstGate {
  private inFlight = 0;
  private lastActivity = 0;
  private waiters: { release: () => void; timer: ReturnType<typeof setTimeout> }[] = [];
  private checkTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly options: { quietMs?: number; maxWaitMs?: number; batch?: number } = {},
    private readonly now: () => number = () => performance.now(),
  ) {}

  private get quietMs(): number {
    return this.options.quietMs ?? 50;
  }

  /** A request arrived and is not yet acknowledged. */
  enter(): void {
    this.inFlight += 1;
    this.lastActivity = this.now();
  }

  /** Its acknowledgement (or refusal) has been sent. */
  leave(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    this.lastActivity = this.now();
    if (this.inFlight === 0) this.scheduleCheck(this.quietMs);
  }

  get pending(): number {
    return this.inFlight;
  }

  /** Resolves once the burst has passed, or after `maxWaitMs`. */
  quiet(): Promise<void> {
    if (this.inFlight === 0 && this.now() - this.lastActivity >= this.quietMs && this.waiters.length === 0)
      return Promise.resolve();
    return new Promise((resolve) => {
      const waiter = {
        release: () => {
          clearTimeout(waiter.timer);
          resolve();
        },
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          resolve();
        }, this.options.maxWaitMs ?? 1_000),
      };
      this.waiters.push(waiter);
      if (this.inFlight === 0) this.scheduleCheck(this.quietMs);
    });
  }

  private scheduleCheck(ms: number): void {
    if (this.checkTimer || this.waiters.length === 0) return;
    this.checkTimer = setTimeout(() => {
      this.checkTimer = undefined;
      this.release();
    }, ms);
  }

  private release(): void {
    if (this.waiters.length === 0) return;
    const idleFor = this.now() - this.lastActivity;
    if (this.inFlight > 0) return; // leave() schedules the next check
    if (idleFor < this.quietMs) {
      this.scheduleCheck(this.quietMs - idleFor);
      return;
    }
    const batch = this.waiters.splice(0, this.options.batch ?? 8);
    for (const w of batch) w.release();
    if (this.waiters.length > 0) setImmediate(() => this.release());
  }
}
