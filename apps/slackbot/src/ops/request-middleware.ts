import { randomUUID } from 'node:crypto';
import type { AnyMiddlewareArgs, Logger, Middleware } from '@slack/bolt';
import { ackTimingOf } from './ack-timing.js';
import { refuseWhileStopping, type Intake } from './intake.js';
import type { BotMetrics, RequestOutcome } from './metrics.js';
import { requestContext } from './request-context.js';
import { requestFacts } from './request-facts.js';

export interface RequestMiddlewareOptions {
  logger: Logger;
  intake: Intake;
  metrics?: BotMetrics | undefined;
}

/**
 * The first global middleware: gives each Slack request an id and its context (every log line
 * and Atlas call it causes carries them), refuses it politely while the bot stops, and when it
 * has been handled writes its one log line and counts it (kind, name, outcome, ack latency).
 */
export function requestMiddleware(options: RequestMiddlewareOptions): Middleware<AnyMiddlewareArgs> {
  const { logger, intake, metrics } = options;
  return async (args) => {
    const facts = requestFacts(args.body as unknown as Record<string, unknown>);
    const timing = ackTimingOf(args.context);
    const started = performance.now();
    const context = {
      requestId: randomUUID().slice(0, 8),
      user: facts.user,
      action: `${facts.kind}:${facts.name}`,
    };
    let outcome: RequestOutcome = 'ok';
    try {
      await requestContext.run(context, async () => {
        if (!intake.open) {
          outcome = 'restarting';
          await refuseWhileStopping(args, logger);
          return;
        }
        await intake.take(() => args.next());
      });
    } catch (error) {
      outcome = 'error';
      throw error;
    } finally {
      const acked = timing?.ackedAt;
      if (outcome === 'ok' && timing && acked === undefined && facts.kind !== 'event') outcome = 'unanswered';
      const ackMs = acked === undefined || !timing ? undefined : acked - timing.receivedAt;
      metrics?.request(facts.kind, facts.name, outcome, ackMs);
      requestContext.run(context, () =>
        logger.info({
          event: 'slack_request',
          kind: facts.kind,
          name: facts.name,
          outcome,
          ...(ackMs === undefined ? {} : { ackMs: Math.round(ackMs * 10) / 10 }),
          durationMs: Math.round((performance.now() - started) * 10) / 10,
        }),
      );
    }
  };
}
