import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SlackSim } from '@atlas-backups/slack-sim';
import { WebSocketServer, type WebSocket } from 'ws';

export type { RecordedCall, ResponseUrlPost, ShownMessage } from '@atlas-backups/slack-sim';

/**
 * The tests' Slack: the Slack simulator (`@atlas-backups/slack-sim`, which the playground runs
 * too) with the test credentials, taking any channel, user and trigger id a test makes up.
 */
export type FakeSlack = SlackSim;

export interface FakeSlackOptions {
  botToken?: string;
  appToken?: string;
  botUserId?: string;
  teamId?: string;
  /** The Enterprise Grid organisation the workspace belongs to (none by default). */
  enterpriseId?: string;
  /** An org-wide install: auth.test says so, and the bot serves every workspace of `enterpriseId`. */
  enterpriseInstall?: boolean;
}

export const FakeSlack = {
  start: (options: FakeSlackOptions = {}): Promise<FakeSlack> =>
    SlackSim.start({
      botToken: 'xoxb-test-bot-token',
      appToken: 'xapp-test-app-token',
      botUserId: 'UBOT0001',
      teamId: 'T0000001',
      ...options,
    }),
};

/** An acknowledgement the app sent back over the socket for one envelope. */
export interface SocketAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

/**
 * Slack's Socket Mode end: a local WebSocket server that greets the app with `hello`, sends it
 * envelopes, and collects its acknowledgements.
 */
export class FakeSocketMode {
  private socket: WebSocket | undefined;
  private readonly acks = new Map<string, (ack: SocketAck) => void>();
  private envelopeSeq = 0;
  readonly connected: Promise<void>;

  private constructor(private readonly wss: WebSocketServer) {
    this.connected = new Promise((resolve) => {
      wss.on('connection', (ws) => {
        this.socket = ws;
        ws.on('message', (data) => {
          const message = JSON.parse(Buffer.from(data as Buffer).toString('utf8')) as SocketAck;
          this.acks.get(message.envelope_id)?.(message);
        });
        ws.send(
          JSON.stringify({
            type: 'hello',
            num_connections: 1,
            debug_info: { host: 'fake', approximate_connection_time: 18060 },
            connection_info: { app_id: 'A0000001' },
          }),
        );
        resolve();
      });
    });
  }

  /** Starts the WebSocket server and points the fake Web API's apps.connections.open at it. */
  static async start(slack: FakeSlack): Promise<FakeSocketMode> {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await once(wss, 'listening');
    slack.socketUrl = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/link`;
    return new FakeSocketMode(wss);
  }

  /** Sends one envelope and resolves with the app's acknowledgement. */
  send(type: 'slash_commands' | 'interactive', payload: unknown, retryAttempt = 0): Promise<SocketAck> {
    if (!this.socket) throw new Error('no Socket Mode connection yet');
    this.envelopeSeq += 1;
    const envelopeId = `env-${this.envelopeSeq}`;
    const acked = new Promise<SocketAck>((resolve) => this.acks.set(envelopeId, resolve));
    this.socket.send(
      JSON.stringify({
        envelope_id: envelopeId,
        type,
        payload,
        accepts_response_payload: type === 'slash_commands',
        retry_attempt: retryAttempt,
        retry_reason: retryAttempt > 0 ? 'timeout' : '',
      }),
    );
    return acked;
  }

  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}

/** Polls `probe` until it returns something other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(
  probe: () => T | undefined | false | null | Promise<T | undefined | false | null>,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false && value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs}ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
