import type { AtlasCall } from '@atlas-backups/core';
import type { AnyMiddlewareArgs, Logger, Middleware } from '@slack/bolt';
import type { RouteTable } from '../slack/http-server.js';
import { Intake } from './intake.js';
import { Lifecycle } from './lifecycle.js';
import { BotMetrics } from './metrics.js';
import { requestMiddleware } from './request-middleware.js';
import { opsRoutes } from './routes.js';

/**
 * Everything that makes the bot operable, built once by main: readiness and shutdown steps
 * (lifecycle), the intake closed at shutdown, metrics, the operator's routes, the middleware
 * every Slack request passes, and the observer of Atlas calls.
 */
export interface Operations {
  lifecycle: Lifecycle;
  intake: Intake;
  metrics: BotMetrics;
  routes: RouteTable;
  middleware: Middleware<AnyMiddlewareArgs>[];
  atlasObserver: (call: AtlasCall) => void;
}

export function createOperations(options: { logger: Logger; shutdownSeconds: number }): Operations {
  const { logger } = options;
  const lifecycle = new Lifecycle({ logger, shutdownSeconds: options.shutdownSeconds });
  const intake = new Intake();
  const metrics = new BotMetrics();
  return {
    lifecycle,
    intake,
    metrics,
    routes: opsRoutes({ readiness: lifecycle.readiness, metrics }),
    middleware: [requestMiddleware({ logger, intake, metrics })],
    atlasObserver: (call) => {
      metrics.atlasCall(call);
      logAtlasCall(logger, call);
    },
  };
}

/**
 * One line per Atlas exchange, tied to the Slack request that caused it when there is one.
 * Reads that succeed are debug (a followed job polls every few seconds); changes, refusals,
 * 429s and failures are info.
 */
function logAtlasCall(logger: Logger, call: AtlasCall): void {
  const fields = {
    event: 'atlas_call',
    operation: call.operationId,
    method: call.method,
    atlasStatus: call.status,
    attempt: call.attempt,
    durationMs: Math.round(call.durationMs * 10) / 10,
  };
  const quiet = call.method === 'GET' && typeof call.status === 'number' && call.status < 400;
  const message = `Atlas ${call.operationId}: ${call.status}`;
  if (quiet) logger.debug(fields, message);
  else logger.info(fields, message);
}
