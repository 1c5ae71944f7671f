import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@slack/bolt';
import { createHttpServer, type RouteTable } from '../slack/http-server.js';

export interface OpsServer {
  port: number;
  close(): Promise<void>;
}

/**
 * The small listener on HEALTH_PORT for Socket Mode, which has no HTTP front of its own: the
 * same routes, the same refusals (404/405) and timeouts as the bot's HTTP front.
 */
export async function startOpsServer(
  routes: RouteTable,
  options: { port: number; host?: string | undefined; logger: Logger },
): Promise<OpsServer> {
  const server: Server = createHttpServer(routes, { logger: options.logger });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
