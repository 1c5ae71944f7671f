import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '@slack/bolt';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/**
 * What the bot answers over HTTP: exact path → method → handler. Anything else is refused here
 * (404 for an unknown path, 405 with `Allow` for a known path asked the wrong way), so a health
 * probe, a port scanner or a stray browser never reaches Bolt and can never end the process.
 */
export type RouteTable = Record<string, Partial<Record<string, RouteHandler>>>;

export interface HttpServerOptions {
  logger: Logger;
  /** A client must send its request line and headers within this (slow-header attacks). */
  headersTimeoutMs?: number;
  /** A whole request must arrive within this; route handlers time their bodies out sooner. */
  requestTimeoutMs?: number;
}

/** Defaults generous for Slack (which sends in milliseconds) and short for a stalled client. */
export const httpServerDefaults = { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000 } as const;

/** The path of a request target (`/a/b?x` → `/a/b`; absolute form allowed), undefined if unusable. */
export function requestPath(target: string | undefined): string | undefined {
  if (!target) return undefined;
  if (target.startsWith('/')) {
    const end = target.search(/[?#]/);
    return end === -1 ? target : target.slice(0, end);
  }
  if (!/^https?:\/\//i.test(target)) return undefined;
  try {
    return new URL(target).pathname;
  } catch {
    return undefined;
  }
}

/** How long a refused request's unread body is still read (and dropped) before the connection closes. */
const lingerMs = 2_000;

/**
 * Answers a request without a body of its own. When the client announced a body that was not
 * (fully) read, what it still sends is read and dropped for a moment, then the connection is
 * closed: closing at once while data still arrives makes TCP reset the connection, and the
 * client loses the answer with it. `close: 'now'` is for a client that has stopped sending.
 */
export function answer(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  headers: Record<string, string> = {},
  options: { close?: 'now' | 'linger' } = {},
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const unreadBody =
    !req.readableEnded &&
    (req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0);
  if (unreadBody && options.close === 'now') {
    res.writeHead(status, { ...headers, connection: 'close' }).end();
    return;
  }
  res.writeHead(status, headers).end();
  if (!unreadBody) return;
  const socket = req.socket;
  const timer = setTimeout(() => socket.destroy(), lingerMs);
  timer.unref();
  const done = () => clearTimeout(timer);
  req.once('end', done);
  socket.once('close', done);
  req.resume();
}

/** An HTTP server that routes through `routes` and never lets a request's failure escape. */
export function createHttpServer(routes: RouteTable, options: HttpServerOptions): Server {
  const table = new Map(Object.entries(routes));
  const headersTimeout = options.headersTimeoutMs ?? httpServerDefaults.headersTimeoutMs;
  const requestTimeout = Math.max(
    headersTimeout,
    options.requestTimeoutMs ?? httpServerDefaults.requestTimeoutMs,
  );
  const server = createServer(
    {
      headersTimeout,
      requestTimeout,
      // How often Node looks for connections past those timeouts (its default is 30 s).
      connectionsCheckingInterval: Math.min(1_000, headersTimeout),
    },
    (req, res) => {
      const path = requestPath(req.url);
      const route = path === undefined ? undefined : table.get(path);
      if (!route) {
        answer(req, res, 404);
        return;
      }
      const handler = route[req.method ?? ''];
      if (!handler) {
        answer(req, res, 405, { allow: Object.keys(route).join(', ') });
        return;
      }
      const failed = (error: unknown) => {
        options.logger.error(
          `HTTP ${req.method ?? '?'} ${path ?? '?'} failed: ${error instanceof Error ? error.message : String(error)}`,
        );
        answer(req, res, 500);
      };
      try {
        const result = handler(req, res);
        if (result) result.catch(failed);
      } catch (error) {
        failed(error);
      }
    },
  );
  // Malformed requests and header timeouts never reach the handler: Node answers them (400,
  // 408, 431) and closes the connection.
  return server;
}
