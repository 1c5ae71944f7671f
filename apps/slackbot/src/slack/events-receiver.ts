import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  ReceiverMultipleAckError,
  type AckFn,
  type App,
  type Logger,
  type Receiver,
  type ReceiverEvent,
} from '@slack/bolt';
import type { AckFirstGate } from './ack-first.js';
import { answer, type RouteHandler } from './http-server.js';
import { BodyBudget, readBody } from './request-body.js';
import { parseSlackBody, slackContentType } from './slack-body.js';

/**
 * The largest body taken from Slack: 1 MiB. A slash command is a few kilobytes; an interaction
 * carries the message or form it came from (at most 50 or 100 blocks), a few hundred kilobytes
 * in the worst case. Larger bodies are refused with 413 before they are read.
 */
export const maxSlackBodyBytes = 1024 * 1024;

export interface SlackEventsOptions {
  signingSecret: string;
  logger: Logger;
  now?: () => number;
  /** How far a request's timestamp may be from now, either way (Slack's rule: five minutes). */
  maxSkewSeconds?: number;
  maxBodyBytes?: number;
  /** A body must arrive within this after the headers (408 and the connection closed). */
  bodyTimeoutMs?: number;
  /** Body bytes all requests still arriving may hold together (503 beyond it). */
  maxBufferedBytes?: number;
  /** Told when each request arrives and when it has been answered. */
  gate?: AckFirstGate;
}

const signaturePattern = /^v0=[0-9a-f]{64}$/;
const timestampPattern = /^[0-9]{1,12}$/;
/** Slack's SSL check (`ssl_check=1&token=…`) may come unsigned; it is answered, never dispatched. */
const sslCheckMaxBytes = 256;

const header = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
};

/**
 * `POST /slack/events` for Bolt, in place of Bolt's HTTPReceiver (which buffered 4 MB before
 * checking anything, and let a signed `payload=null` crash the process). In order: the headers
 * (content type, signature and a timestamp within five minutes either way, declared length),
 * then a bounded, timed read of the body, the signature, the body's shape, and only then Bolt.
 * Every refusal is an HTTP status; nothing a client sends can throw out of here.
 */
export class SlackEventsReceiver implements Receiver {
  private app: App | undefined;
  private readonly now: () => number;
  private readonly maxBodyBytes: number;
  readonly budget: BodyBudget;

  constructor(private readonly options: SlackEventsOptions) {
    this.now = options.now ?? Date.now;
    this.maxBodyBytes = options.maxBodyBytes ?? maxSlackBodyBytes;
    this.budget = new BodyBudget(options.maxBufferedBytes ?? 32 * this.maxBodyBytes);
  }

  init(app: App): void {
    this.app = app;
  }

  /** The bot's HTTP server routes to `handle`; there is nothing of its own to start. */
  start(): Promise<void> {
    return Promise.resolve();
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }

  readonly handle: RouteHandler = async (req, res) => {
    const gate = this.options.gate;
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
    await this.receive(req, res);
  };

  private async receive(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { logger } = this.options;
    const kind = slackContentType(req.headers['content-type']);
    if (!kind) return answer(req, res, 415);
    const declared = req.headers['content-length'];
    if (declared !== undefined && !(Number(declared) <= this.maxBodyBytes)) return answer(req, res, 413);

    const signature = header(req, 'x-slack-signature');
    const timestamp = header(req, 'x-slack-request-timestamp');
    if (signature === undefined && timestamp === undefined && kind === 'form') return this.sslCheck(req, res);
    if (!signature || !signaturePattern.test(signature) || !timestamp || !timestampPattern.test(timestamp))
      return answer(req, res, 401);
    const skew = Math.abs(Number(timestamp) - this.now() / 1000);
    if (!(skew <= (this.options.maxSkewSeconds ?? 300))) return answer(req, res, 401);

    const read = await readBody(req, {
      limit: this.maxBodyBytes,
      timeoutMs: this.options.bodyTimeoutMs ?? 10_000,
      budget: this.budget,
    });
    if (!read.ok) {
      if (read.reason === 'aborted') return;
      logger.warn(`Slack request refused: ${bodyProblem[read.reason]}`);
      const close = read.reason === 'timeout' ? 'now' : 'linger';
      return answer(req, res, bodyStatus[read.reason], {}, { close });
    }
    const raw = read.body.toString('utf8');
    if (!signatureMatches(this.options.signingSecret, timestamp, raw, signature)) {
      logger.debug('Slack request refused: the signature does not match');
      return answer(req, res, 401);
    }
    const parsed = parseSlackBody(kind, raw);
    if (!parsed.ok) {
      logger.warn(`Slack request refused (400): ${parsed.problem}`);
      return answer(req, res, 400);
    }
    const body = parsed.body;
    if (body.ssl_check === '1') return answer(req, res, 200);
    if (body.type === 'url_verification' && typeof body.challenge === 'string') {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ challenge: body.challenge }));
      return;
    }
    await this.dispatch(req, res, body);
  }

  private async sslCheck(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!(Number(req.headers['content-length']) <= sslCheckMaxBytes)) return answer(req, res, 401);
    const read = await readBody(req, { limit: sslCheckMaxBytes, timeoutMs: 5_000, budget: this.budget });
    if (!read.ok) return read.reason === 'aborted' ? undefined : answer(req, res, 401);
    const fields = new URLSearchParams(read.body.toString('utf8'));
    answer(req, res, fields.get('ssl_check') === '1' ? 200 : 401);
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>) {
    let acked = false;
    const ack: AckFn<unknown> = async (response) => {
      if (acked) throw new ReceiverMultipleAckError();
      acked = true;
      if (res.headersSent) return;
      if (response === undefined || response === '') res.writeHead(200).end();
      else if (typeof response === 'string')
        res.writeHead(200, { 'content-type': 'text/plain' }).end(response);
      else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(response));
    };
    const retry = header(req, 'x-slack-retry-num');
    const event: ReceiverEvent = {
      body,
      ack,
      retryNum: retry !== undefined && /^[0-9]{1,4}$/.test(retry) ? Number(retry) : undefined,
      retryReason: header(req, 'x-slack-retry-reason'),
      customProperties: {},
    };
    try {
      if (!this.app) throw new Error('the receiver is not attached to an app');
      await this.app.processEvent(event);
    } catch (error) {
      this.options.logger.error(
        `Slack request failed while handled: ${error instanceof Error ? error.message : String(error)}`,
      );
      if (!acked) {
        acked = true;
        answer(req, res, 500);
      }
      return;
    }
    // Bolt has run every listener: one that did not acknowledge never will.
    if (!acked) {
      acked = true;
      answer(req, res, 404);
    }
  }
}

const bodyStatus = { too_large: 413, timeout: 408, busy: 503 } as const;
const bodyProblem = {
  too_large: 'the body is larger than the limit',
  timeout: 'the body did not arrive in time',
  busy: 'too many bodies are arriving at once',
} as const;

function signatureMatches(secret: string, timestamp: string, body: string, signature: string): boolean {
  const expected = Buffer.from(
    `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`,
  );
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
