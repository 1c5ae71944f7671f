import type { Logger } from '@slack/bolt';
import { Readiness } from './readiness.js';
import { ShutdownSteps } from './shutdown.js';

export interface LifecycleOptions {
  logger: Logger;
  /** ATLAS_BOT_SHUTDOWN_SECONDS: the longest a stop may take. */
  shutdownSeconds: number;
  exit?: (code: number) => void;
}

/**
 * The bot's life as an operator sees it: readiness (what /readyz reports) and the steps a stop
 * runs. On SIGTERM or SIGINT readiness turns 503 first, then the shutdown steps run phase by
 * phase (see ShutdownSteps), and the process exits 0; if they have not finished within
 * `shutdownSeconds` it exits 0 anyway, saying so, since a service manager would kill it next.
 */
export class Lifecycle {
  readonly readiness = new Readiness();
  readonly steps = new ShutdownSteps();
  private stopping: Promise<void> | undefined;
  private readonly exit: (code: number) => void;

  constructor(private readonly options: LifecycleOptions) {
    this.exit = options.exit ?? ((code) => process.exit(code));
  }

  /** Stops on SIGTERM and SIGINT (a second signal of the same kind ends the process at once). */
  handleSignals(target: NodeJS.Process = process): void {
    for (const signal of ['SIGTERM', 'SIGINT'] as const)
      target.once(signal, () => {
        this.options.logger.info(
          `${signal}: stopping (readiness is now 503; at most ${this.options.shutdownSeconds} s)`,
        );
        void this.stop(0);
      });
  }

  /** Runs the shutdown steps once, then exits with `code`. */
  stop(code: number): Promise<void> {
    this.stopping ??= this.run(code);
    return this.stopping;
  }

  private async run(code: number): Promise<void> {
    this.readiness.stop();
    const { logger, shutdownSeconds } = this.options;
    const started = performance.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), shutdownSeconds * 1000);
    });
    const finished = await Promise.race([this.steps.run(logger).then(() => 'done' as const), deadline]);
    clearTimeout(timer);
    if (finished === 'late')
      logger.warn(
        `Shutdown did not finish within ${shutdownSeconds} s (ATLAS_BOT_SHUTDOWN_SECONDS): exiting anyway; followed jobs are resumed by the next start.`,
      );
    else if (code === 0) logger.info(`Stopped cleanly in ${Math.round(performance.now() - started)} ms.`);
    else logger.info('Stopped: what had been opened is closed.');
    this.exit(code);
  }
}
