import type { AnyMiddlewareArgs, Logger } from '@slack/bolt';
import { rec } from './request-facts.js';

/** What people are told when they reach a bot that is stopping. */
export const restartingText =
  'The Atlas bot is restarting and did not take this. Please try again in a few seconds.';

/**
 * Whether the bot takes new Slack requests, and how many it is handling. Closed at the start
 * of a shutdown: requests still arriving get a polite answer instead of being started, and
 * `settled()` says when those already taken have been handled (acknowledged, their listeners
 * returned; the work they started after the ack is waited for by the bot's stop()).
 */
export class Intake {
  private closed = false;
  private handling = 0;
  private waiters: (() => void)[] = [];

  get open(): boolean {
    return !this.closed;
  }

  get inFlight(): number {
    return this.handling;
  }

  close(): void {
    this.closed = true;
  }

  /** Runs one request's handling, counted. */
  async take<T>(handle: () => Promise<T>): Promise<T> {
    this.handling += 1;
    try {
      return await handle();
    } finally {
      this.handling -= 1;
      if (this.handling === 0) for (const resolve of this.waiters.splice(0)) resolve();
    }
  }

  settled(): Promise<void> {
    if (this.handling === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}

/**
 * Answers a request the bot will not start, as each kind allows: a command in its ack (only the
 * sender sees it); a click with an ephemeral reply where Slack gave a response_url; a form with
 * the text under its first field, so the form stays open to be submitted again; option loads
 * with no options.
 */
export async function refuseWhileStopping(args: AnyMiddlewareArgs, logger: Logger): Promise<void> {
  if (!('ack' in args) || typeof args.ack !== 'function') return;
  const body = rec(args.body);
  const ack = args.ack as (response?: unknown) => Promise<void>;
  if (typeof body.command === 'string') {
    await ack({ response_type: 'ephemeral', text: restartingText });
    return;
  }
  if (body.type === 'view_submission') {
    const blocks = Array.isArray(rec(body.view).blocks) ? (rec(body.view).blocks as unknown[]) : [];
    const input = blocks.map(rec).find((b) => b.type === 'input' && typeof b.block_id === 'string');
    await ack(
      input
        ? { response_action: 'errors', errors: { [input.block_id as string]: restartingText } }
        : undefined,
    );
    return;
  }
  if (body.type === 'block_suggestion') {
    await ack({ options: [] });
    return;
  }
  await ack();
  if ('respond' in args && typeof args.respond === 'function')
    await (args.respond as (message: unknown) => Promise<unknown>)({
      response_type: 'ephemeral',
      replace_original: false,
      text: restartingText,
    }).catch((error: unknown) =>
      logger.warn(`Could not tell a click that the bot is restarting: ${String(error)}`),
    );
}
