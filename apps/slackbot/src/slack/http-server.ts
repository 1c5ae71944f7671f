import { createServer, type RequestListener, type Server } from 'node:http';
import type { AckFirstGate } from './ack-first.js';

/**
 * Wraps Bolt's request listener. Bolt refuses stale timestamps and bad signatures; this also
 * refuses timestamps more than five minutes in the future, so the window holds both ways.
 */
export function createSlackHttpServer(
  listener: RequestListener,
  options: { now?: () => number; maxSkewSeconds?: number; gate?: AckFirstGate } = {},
): Server {
  const now = options.now ?? Date.now;
  const maxSkew = options.maxSkewSeconds ?? 300;
  return createServer((req, res) => {
    const header = req.headers['x-slack-request-timestamp'];
    const value = Array.isArray(header) ? header[0] : header;
    if (value !== undefined) {
      const ts = Number(value);
      if (!Number.isFinite(ts) || ts - now() / 1000 > maxSkew) {
        req.resume();
        res.writeHead(401).end();
        return;
      }
    }
    const gate = options.gate;
    if (gate) {
      gate.enter();
      let left = false;
      const leave = () => {
        if (left) return;
        left = true;
        gate.leave();
      };
      res.once('finish', leave);
      res.once('close', leave);
    }
    listener(req, res);
  });
}
