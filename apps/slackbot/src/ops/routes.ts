import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RouteHandler, RouteTable } from '../slack/http-server.js';
import type { Readiness } from './readiness.js';

/** What `/metrics` serves: Prometheus' text format and its content type. */
export interface MetricsSource {
  contentType: string;
  text(): Promise<string>;
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
}

const json = (res: ServerResponse, status: number, body: unknown) =>
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));

/** GET and HEAD alike (Node sends no body for HEAD). */
const readOnly = (handler: RouteHandler) => ({ GET: handler, HEAD: handler });

/**
 * The operator's endpoints: `/healthz` (the process answers), `/readyz` (200 when every
 * readiness check passes, 503 with the failing ones otherwise) and `/metrics`. Served on the
 * bot's HTTP front in HTTP mode and on HEALTH_PORT in Socket Mode. Nothing here reads a body.
 */
export function opsRoutes(options: {
  readiness: Readiness;
  metrics?: MetricsSource | undefined;
}): RouteTable {
  const routes: RouteTable = {
    '/healthz': readOnly((_req: IncomingMessage, res) => json(res, 200, { status: 'ok' })),
    '/readyz': readOnly(async (_req, res) => {
      const report = await options.readiness.report();
      json(res, report.ready ? 200 : 503, {
        status: report.ready ? 'ready' : 'not ready',
        checks: report.checks,
      });
    }),
  };
  const metrics = options.metrics;
  if (metrics)
    routes['/metrics'] = readOnly(async (_req, res) => {
      send(res, 200, metrics.contentType, await metrics.text());
    });
  return routes;
}
