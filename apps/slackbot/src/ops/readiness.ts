import { toErrorInfo } from '@atlas-backups/core';

/** A check's answer: true/false, or with a short reason that is safe to show anyone. */
export type CheckOutcome = boolean | { ok: boolean; detail?: string | undefined };
export type ReadinessCheck = () => CheckOutcome | Promise<CheckOutcome>;

export interface CheckResult {
  name: string;
  ok: boolean;
  detail?: string;
}

export interface ReadinessReport {
  ready: boolean;
  checks: CheckResult[];
}

/**
 * What `/readyz` asks: named checks registered by whatever the bot depends on (its store, Atlas,
 * the Slack connection; the PostgreSQL store and its migrations plug in the same way). Each runs
 * with a time limit, so a hung dependency reads as not ready instead of hanging the probe. Once
 * shutdown has begun the bot is not ready, whatever the checks say, so a load balancer stops
 * sending it work before it stops taking any.
 */
export class Readiness {
  private readonly checks = new Map<string, ReadinessCheck>();
  private stopping = false;

  constructor(private readonly timeoutMs = 2_000) {}

  /** Registers (or replaces) the check called `name`; returns a function that removes it. */
  add(name: string, check: ReadinessCheck): () => void {
    this.checks.set(name, check);
    return () => {
      if (this.checks.get(name) === check) this.checks.delete(name);
    };
  }

  /** Shutdown has begun: from now on every report says not ready. */
  stop(): void {
    this.stopping = true;
  }

  async report(): Promise<ReadinessReport> {
    if (this.stopping)
      return { ready: false, checks: [{ name: 'accepting work', ok: false, detail: 'shutting down' }] };
    const checks = await Promise.all([...this.checks].map(([name, check]) => this.run(name, check)));
    return { ready: checks.every((c) => c.ok), checks };
  }

  private async run(name: string, check: ReadinessCheck): Promise<CheckResult> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<CheckOutcome>((resolve) => {
      timer = setTimeout(() => resolve({ ok: false, detail: 'timed out' }), this.timeoutMs);
    });
    try {
      const outcome = await Promise.race([Promise.resolve().then(check), timeout]);
      const { ok, detail } = typeof outcome === 'boolean' ? { ok: outcome, detail: undefined } : outcome;
      return detail === undefined ? { name, ok } : { name, ok, detail };
    } catch (error) {
      // Only the stable code: the endpoint may be public, and messages can name hosts or files.
      return { name, ok: false, detail: toErrorInfo(error).code };
    } finally {
      clearTimeout(timer);
    }
  }
}
