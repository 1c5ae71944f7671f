import type { AnyMiddlewareArgs, Logger, Middleware } from '@slack/bolt';
import type { ProcessedRequests } from '../state/processed-requests.js';
import { requestKey } from './request-key.js';

/**
 * Bolt middleware: a request Slack delivers again (X-Slack-Retry-Num, or a Socket Mode
 * redelivery) is acknowledged again but reaches no listener; the first delivery claimed it.
 * A retry this process never saw may have gone first to another replica: the database decides.
 */
export function ignoreRedeliveries(
  processed: ProcessedRequests,
  logger: Logger,
): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const key = requestKey(args.body);
    const retry = (args.context.retryNum ?? 0) > 0;
    if (key !== undefined && (!processed.claim(key) || (retry && !(await processed.claimShared(key))))) {
      logger.info(`ignored a repeated delivery of a Slack request (retry ${args.context.retryNum ?? 0})`);
      if ('ack' in args && typeof args.ack === 'function') await args.ack();
      return;
    }
    await args.next();
  };
}
