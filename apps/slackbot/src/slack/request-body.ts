import type { IncomingMessage } from 'node:http';

/**
 * How many body bytes all requests together may hold while they are still arriving. With each
 * request capped too, a crowd of slow or stalled clients costs at most this much memory.
 */
export class BodyBudget {
  private used = 0;

  constructor(readonly maxBytes: number) {}

  /** Bytes held right now by bodies still being read. */
  get inUse(): number {
    return this.used;
  }

  take(bytes: number): boolean {
    if (this.used + bytes > this.maxBytes) return false;
    this.used += bytes;
    return true;
  }

  give(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }
}

export type BodyResult =
  { ok: true; body: Buffer } | { ok: false; reason: 'too_large' | 'timeout' | 'busy' | 'aborted' };

/**
 * Reads a request body of at most `limit` bytes within `timeoutMs`. It stops at the first byte
 * past the limit, when the budget is spent, when the time is up or when the client goes away;
 * the caller answers (413, 503, 408) and the connection is closed rather than drained.
 */
export function readBody(
  req: IncomingMessage,
  options: { limit: number; timeoutMs: number; budget: BodyBudget },
): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let held = 0;
    let done = false;
    const finish = (result: BodyResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onGone);
      req.off('close', onGone);
      options.budget.give(held);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > options.limit) return finish({ ok: false, reason: 'too_large' });
      if (!options.budget.take(chunk.length)) return finish({ ok: false, reason: 'busy' });
      held += chunk.length;
      chunks.push(chunk);
    };
    const onEnd = () => finish({ ok: true, body: Buffer.concat(chunks, size) });
    const onGone = () => finish({ ok: false, reason: 'aborted' });
    const timer = setTimeout(() => finish({ ok: false, reason: 'timeout' }), options.timeoutMs);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onGone);
    req.on('close', onGone);
  });
}
