import type { Logger } from '@slack/bolt';

const sqliteCode = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
};

/** PostgreSQL's SQLSTATE (five characters), or a socket error code on the way to it. */
const postgresCode = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (/^[0-9A-Z]{5}$/.test(code) || /^E[A-Z]+$/.test(code))
    ? code
    : undefined;
};

/** The database's answer when another connection holds the lock a write needs (or a deadlock broke). */
export function isLockError(error: unknown): boolean {
  const code = sqliteCode(error);
  if (code !== undefined) return code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED');
  const pg = postgresCode(error);
  return pg === '55P03' || pg === '40001' || pg === '40P01';
}

/**
 * The database cannot take writes (locked, read-only, disk full, I/O error, damaged), as
 * opposed to a write that is wrong in itself (a constraint), which is a bug to report as is.
 */
export function isStorageError(error: unknown): boolean {
  const code = sqliteCode(error);
  if (code !== undefined)
    return /^SQLITE_(BUSY|LOCKED|READONLY|IOERR|FULL|CANTOPEN|CORRUPT|NOTADB|PROTOCOL)/.test(code);
  // PostgreSQL: unreachable, restarting, out of room, read-only, or a lock conflict.
  const pg = postgresCode(error);
  return (
    pg !== undefined &&
    (/^E(CONNREFUSED|CONNRESET|PIPE|TIMEDOUT|HOSTUNREACH|NOTFOUND)$/.test(pg) ||
      /^(08|53|57)/.test(pg) ||
      pg === '25006' ||
      isLockError(error))
  );
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.name : 'unknown error';
}

export interface DegradedState {
  since: number;
  /** What failed and why, e.g. `saving handled request keys: SQLITE_BUSY`. */
  reason: string;
}

/**
 * Whether the bot can write its database (ATLAS_BOT_DB) right now. Writes report here; while
 * one keeps failing the bot is degraded: the log says so once (and again when it recovers) and
 * `/atlas help` tells people. Nothing is thrown from here.
 */
export class WriteHealth {
  private readonly failing = new Map<string, DegradedState>();

  constructor(
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  failed(what: string, error: unknown): void {
    const reason = `${what}: ${errorCode(error)}`;
    const known = this.failing.get(what);
    if (known?.reason === reason) return;
    this.failing.set(what, { since: known?.since ?? this.now(), reason });
    const hint = isLockError(error) ? ' (another process holds a write lock on ATLAS_BOT_DB)' : '';
    this.logger.warn(`Degraded: could not write the bot's database: ${reason}${hint}; retrying.`);
  }

  succeeded(what: string): void {
    const known = this.failing.get(what);
    if (!known) return;
    this.failing.delete(what);
    this.logger.info(
      `Recovered: ${what} works again (it failed for ${Math.round((this.now() - known.since) / 1000)} s).`,
    );
  }

  /** The oldest write still failing, or undefined when all is well. */
  get degraded(): DegradedState | undefined {
    let oldest: DegradedState | undefined;
    for (const state of this.failing.values()) if (!oldest || state.since < oldest.since) oldest = state;
    return oldest;
  }
}

/** A write that could not be made before its deadline; nothing of it was stored. */
export class WriteUnavailableError extends Error {
  constructor(
    readonly what: string,
    cause: unknown,
  ) {
    super(`could not ${what}: the bot's database is not writable right now (${errorCode(cause)})`, {
      cause,
    });
    this.name = 'WriteUnavailableError';
  }
}

export interface RetryOptions {
  /** Give up after this long (the person waiting is told); default 30 s. */
  deadlineMs?: number;
  firstDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * Runs a write, and while the database says it is locked, runs it again after a
 * growing pause (the event loop, and with it every ack, stays free in between). Other storage
 * errors, and a lock that outlasts the deadline, become a WriteUnavailableError; any other error
 * is the write's own and is thrown as it is.
 */
export async function retryWrite<T>(
  health: WriteHealth,
  what: string,
  write: () => T | Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const deadline = performance.now() + (options.deadlineMs ?? 30_000);
  let delay = options.firstDelayMs ?? 20;
  for (;;) {
    try {
      const result = await write();
      health.succeeded(what);
      return result;
    } catch (error) {
      if (!isStorageError(error)) throw error;
      health.failed(what, error);
      if (!isLockError(error) || performance.now() + delay > deadline)
        throw new WriteUnavailableError(what, error);
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, options.maxDelayMs ?? 1_000);
  }
}
