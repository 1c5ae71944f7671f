import { randomBytes } from 'node:crypto';

/** Slack's rule: a trigger id opens one view within three seconds of the interaction. */
export const triggerLifetimeMs = 3_000;

interface Trigger {
  user: string;
  expiresAt: number;
  used: boolean;
}

export type TriggerCheck =
  | { ok: true; user: string | undefined }
  | { ok: false; error: 'invalid_trigger_id' | 'expired_trigger_id' | 'exchanged_trigger_id' };

/**
 * The trigger ids handed out with commands and interactions. Strict: only ids issued here are
 * accepted, once, within their lifetime. Lenient (for tests that make up their own ids): any
 * other id is accepted and opens a view for nobody in particular.
 */
export class Triggers {
  private readonly issued = new Map<string, Trigger>();

  constructor(
    private readonly now: () => number,
    private readonly strict: boolean,
  ) {}

  issue(user: string): string {
    this.prune();
    const id = `${Math.floor(this.now() / 1000)}.${randomBytes(6).toString('hex')}.trigger`;
    this.issued.set(id, { user, expiresAt: this.now() + triggerLifetimeMs, used: false });
    return id;
  }

  /** Takes a trigger id for one view. */
  use(id: unknown): TriggerCheck {
    const trigger = typeof id === 'string' ? this.issued.get(id) : undefined;
    if (!trigger)
      return this.strict ? { ok: false, error: 'invalid_trigger_id' } : { ok: true, user: undefined };
    if (this.now() > trigger.expiresAt) return { ok: false, error: 'expired_trigger_id' };
    if (trigger.used) return { ok: false, error: 'exchanged_trigger_id' };
    trigger.used = true;
    return { ok: true, user: trigger.user };
  }

  private prune(): void {
    if (this.issued.size < 1000) return;
    const cutoff = this.now() - 60_000;
    for (const [id, t] of this.issued) if (t.expiresAt < cutoff) this.issued.delete(id);
  }
}
