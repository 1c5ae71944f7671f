import type { Logger } from '@slack/bolt';

/**
 * When a step runs: `drain` stops taking work and finishes (or hands over) what is in flight;
 * `release` gives up what other replicas may take over (job leases); `close` closes connections
 * and stores. Phases run in that order; steps within one in the order they were added.
 */
export type ShutdownPhase = 'drain' | 'release' | 'close';
const phases: readonly ShutdownPhase[] = ['drain', 'release', 'close'];

interface Step {
  phase: ShutdownPhase;
  name: string;
  run: () => void | Promise<void>;
}

/**
 * The steps a clean stop runs, registered by whatever opened something (the PostgreSQL store and
 * the job leases plug in the same way as the SQLite file). A step that fails is logged and the
 * others still run: a stop must finish.
 */
export class ShutdownSteps {
  private readonly steps: Step[] = [];
  private running: Promise<void> | undefined;

  add(phase: ShutdownPhase, name: string, run: () => void | Promise<void>): void {
    this.steps.push({ phase, name, run });
  }

  /** Runs every step once; later calls get the same run. */
  run(logger: Logger): Promise<void> {
    this.running ??= this.runAll(logger);
    return this.running;
  }

  private async runAll(logger: Logger): Promise<void> {
    for (const phase of phases)
      for (const step of this.steps.filter((s) => s.phase === phase)) {
        const started = performance.now();
        try {
          await step.run();
          logger.debug(`Shutdown: ${step.name} done in ${Math.round(performance.now() - started)} ms`);
        } catch (error) {
          logger.warn(
            `Shutdown: ${step.name} failed: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
      }
  }
}
