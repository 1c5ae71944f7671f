import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { AppDelivery, DeliveryOutcome, SlackSim } from '@atlas-backups/slack-sim';
import type { Logger } from '@slack/bolt';
import type { PageAnswer } from './page-protocol.js';
import { isPerson, parsePageRequest, type PageRequestKind, type Parsed } from './page-requests.js';
import { pageState } from './page-state.js';

export interface PageServerOptions {
  slack: SlackSim;
  delivery: AppDelivery;
  port: number;
  /** The package folder: the page is `web/`, its script `dist/web/`. */
  packageDir: string;
  banner: string;
  logger: Logger;
}

export interface PageServer {
  url: string;
  close(): Promise<void>;
}

const maxBodyBytes = 1024 * 1024;

/** Only this page's own files and requests: no other origin, no inline script, no framing. */
const securityHeaders = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

const assets: Record<string, { file: (dir: string) => string; type: string }> = {
  '/': { file: (dir) => join(dir, 'web', 'index.html'), type: 'text/html; charset=utf-8' },
  '/assets/style.css': { file: (dir) => join(dir, 'web', 'style.css'), type: 'text/css; charset=utf-8' },
  '/assets/app.js': {
    file: (dir) => join(dir, 'dist', 'web', 'app.js'),
    type: 'text/javascript; charset=utf-8',
  },
  '/assets/app.js.map': {
    file: (dir) => join(dir, 'dist', 'web', 'app.js.map'),
    type: 'application/json; charset=utf-8',
  },
};

/**
 * The page and what it asks of the local Slack: the workspace as one person sees it, a stream
 * saying when it changed, and what that person does (write, press, pick, submit, close). Only
 * 127.0.0.1 is served, and only requests naming this server as their host (so a web page
 * elsewhere cannot drive it through DNS rebinding or a cross-site form).
 */
export async function startPageServer(options: PageServerOptions): Promise<PageServer> {
  const { slack, delivery, logger } = options;
  let version = 0;
  const streams = new Set<ServerResponse>();
  let pending: ReturnType<typeof setTimeout> | undefined;
  const stopListening = slack.onChange(() => {
    version += 1;
    // Many changes come at once (a message and its Web API call): tell the pages once for them.
    pending ??= setTimeout(() => {
      pending = undefined;
      for (const res of streams) res.write(`data: ${version}\n\n`);
    }, 15);
  });
  const heartbeat = setInterval(() => {
    for (const res of streams) res.write(': still here\n\n');
  }, 15_000);
  heartbeat.unref();

  let port = 0;
  const server: Server = createServer((req, res) => {
    void route(req, res).catch((error: unknown) => {
      logger.error(`playground page: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) json(res, 500, { ok: false, error: 'internal_error' });
      else res.end();
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = req.headers.host ?? '';
    if (![`127.0.0.1:${port}`, `localhost:${port}`].includes(host)) {
      res
        .writeHead(421, { 'content-type': 'text/plain' })
        .end('This playground answers only on its own address.');
      return;
    }
    const url = new URL(req.url ?? '/', `http://${host}`);
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204, securityHeaders).end();
      return;
    }
    const asset = assets[url.pathname];
    if (asset && req.method === 'GET') return serveFile(res, asset.file(options.packageDir), asset.type);
    if (url.pathname === '/play/state' && req.method === 'GET') {
      const you = url.searchParams.get('as');
      if (!isPerson(you))
        return json(res, 400, { ok: false, detail: 'as: is not one of the playground people' });
      return json(res, 200, pageState(slack, delivery, you, version, options.banner));
    }
    if (url.pathname === '/play/events' && req.method === 'GET') {
      res.writeHead(200, { ...securityHeaders, 'content-type': 'text/event-stream' });
      res.write(`data: ${version}\n\n`);
      streams.add(res);
      req.once('close', () => streams.delete(res));
      return;
    }
    const kind = postRoutes[url.pathname];
    if (kind && req.method === 'POST') {
      const origin = req.headers.origin;
      if (
        !req.headers['content-type']?.startsWith('application/json') ||
        (origin && origin !== `http://${host}`)
      )
        return json(res, 403, { ok: false, detail: 'only the playground page may ask this' });
      const body = await readJson(req);
      if (body === undefined)
        return json(res, 400, { ok: false, detail: 'the body is not JSON (at most 1 MiB)' });
      return json(res, 200, await handle(kind, body));
    }
    res.writeHead(404, { ...securityHeaders, 'content-type': 'text/plain' }).end('Not found');
  }

  async function handle(kind: PostKind, body: unknown): Promise<PageAnswer> {
    switch (kind) {
      case 'message': {
        const parsed = parsePageRequest('message', body);
        if (!parsed.ok) return refused(parsed);
        const { as, channel, text, threadTs } = parsed.request;
        const command = /^\/(\S*)\s*([\s\S]*)$/.exec(text.trim());
        if (!command) {
          slack.postAs(as, channel, text, threadTs);
          return { ok: true };
        }
        if (command[1] !== 'atlas') {
          slack.slackbotNotice(
            as,
            channel,
            `/${command[1] ?? ''} is not a valid command. In Slack, all messages that start with the "/" character are interpreted as commands; here only /atlas is installed.`,
          );
          return { ok: true };
        }
        return answer(await delivery.slashCommand(as, channel, command[2] ?? ''));
      }
      case 'action': {
        const parsed = parsePageRequest('action', body);
        if (!parsed.ok) return refused(parsed);
        const r = parsed.request;
        return answer(
          await delivery.blockAction(
            r.as,
            r.source,
            { blockId: r.blockId, actionId: r.actionId },
            { value: r.value, option: r.option, values: r.values },
            r.state ?? {},
          ),
        );
      }
      case 'submit':
      case 'close': {
        const parsed = parsePageRequest('view', body);
        if (!parsed.ok) return refused(parsed);
        const { as, viewId, state } = parsed.request;
        return answer(
          kind === 'submit'
            ? await delivery.submitView(as, viewId, state)
            : await delivery.closeView(as, viewId, state),
        );
      }
      case 'suggest': {
        const parsed = parsePageRequest('suggest', body);
        if (!parsed.ok) return refused(parsed);
        const r = parsed.request;
        const outcome = await delivery.suggest(
          r.as,
          r.source,
          { blockId: r.blockId, actionId: r.actionId },
          r.value,
        );
        if (!outcome.ok) return answer(outcome);
        const found = outcome.body !== null && typeof outcome.body === 'object' ? outcome.body : {};
        return { ok: true, ...(found as Pick<PageAnswer, 'options' | 'option_groups'>) };
      }
    }
  }

  server.listen(options.port, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      stopListening();
      clearInterval(heartbeat);
      if (pending) clearTimeout(pending);
      for (const res of streams) res.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

type PostKind = 'message' | 'action' | 'submit' | 'close' | 'suggest';
const postRoutes: Record<string, PostKind> = {
  '/play/message': 'message',
  '/play/action': 'action',
  '/play/submit': 'submit',
  '/play/close': 'close',
  '/play/suggest': 'suggest',
};

function refused(parsed: Extract<Parsed<PageRequestKind>, { ok: false }>): PageAnswer {
  return { ok: false, error: 'invalid_request', detail: parsed.problem };
}

function answer(outcome: DeliveryOutcome): PageAnswer {
  return outcome.ok
    ? { ok: true }
    : { ok: false, error: outcome.error, ...(outcome.detail ? { detail: outcome.detail } : {}) };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { ...securityHeaders, 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

async function serveFile(res: ServerResponse, path: string, type: string): Promise<void> {
  let content: Buffer;
  try {
    content = await readFile(path);
  } catch {
    const missing = path.includes('dist')
      ? 'The page script is not built yet: run `pnpm run build` (pnpm playground does it for you).'
      : 'Not found';
    res.writeHead(404, { ...securityHeaders, 'content-type': 'text/plain; charset=utf-8' }).end(missing);
    return;
  }
  res.writeHead(200, { ...securityHeaders, 'content-type': type }).end(content);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) return undefined;
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
