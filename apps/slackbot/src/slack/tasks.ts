import type { Logger } from '@slack/bolt';
import type { AckFirstGate } from './ack-first.js';

/**
 * Work that continues after Slack has been acknowledged. Failures are logged, never thrown into
 * Bolt (the request is long answered); `idle()` lets shutdown and tests wait for it all.
 */
export class BackgroundTasks {
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly logger: Logger,
    private readonly gate?: AckFirstGate,
  ) {}

  /**
   * Starts `work` once the acks in flight are out. `urgent` work starts at once: opening a form
   * must use its trigger id within Slack's three seconds.
   */
  run(name: string, work: () => Promise<void>, options: { urgent?: boolean } = {}): void {
    const task: Promise<void> = (this.gate && !options.urgent ? this.gate.quiet() : Promise.resolve())
      .then(work)
      .catch((error: unknown) => {
        this.logger.error(`${name} failed: ${error instanceof Error ? error.message : String(error)}`);
      })
      .finally(() => this.running.delete(task));
    this.running.add(task);
  }

  get size(): number {
    return this.running.size;
  }

  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}
