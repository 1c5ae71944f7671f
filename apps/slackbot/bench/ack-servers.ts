/**
 * The servers under test for the ack benchmark, in their own process (forked by ack-latency.ts)
 * so the load generator's work does not share their thread: the bot (createSlackBot in HTTP
 * mode, on the simulator given in the environment) and a bare Bolt app that only acks.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ActionService, AtlasClient, MemoryAuditLog, localOperatorPolicy } from '@atlas-backups/core';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { createSlackBot } from '../src/app.js';
import { createLogger } from '../src/slack/logger.js';
import { openBotStores } from '../src/state/db.js';

export interface ServersReady {
  type: 'ready';
  ours: string;
  bare: string;
  /** The seeded project the commands name (`Production`, where orders-prod is). */
  projectId: string;
}

/** What the servers answer the bench with. */
export type ServersMessage = ServersReady | { type: 'idle' };

const env = process.env;
const signingSecret = env.BENCH_SIGNING_SECRET ?? '';
const botToken = env.BENCH_BOT_TOKEN ?? '';
const slackApiUrl = env.BENCH_SLACK_API_URL ?? '';
const dbPath = env.BENCH_DB_PATH ?? ':memory:';
const logger = createLogger(LogLevel.ERROR);

const atlas = new AtlasClient({
  baseUrl: env.MONGODB_ATLAS_BASE_URL ?? '',
  credentials: {
    kind: 'serviceAccount',
    clientId: env.MONGODB_ATLAS_CLIENT_ID ?? '',
    clientSecret: env.MONGODB_ATLAS_CLIENT_SECRET ?? '',
  },
});
// BENCH_DATABASE_URL: PostgreSQL shared by several of these processes (replicas).
const stores = await openBotStores({ dbPath, databaseUrl: env.BENCH_DATABASE_URL || undefined });
const { store: db, requestLog } = stores;
const bot = createSlackBot({
  atlas,
  actions: new ActionService({ client: atlas, policy: localOperatorPolicy, audit: new MemoryAuditLog() }),
  db,
  requestLog,
  botToken,
  signingSecret,
  clientOptions: { slackApiUrl, retryConfig: { retries: 0 } },
  logger,
});
const { port } = await bot.start(0, '127.0.0.1');

let projectId = '';
for await (const p of atlas.iterateProjects()) if (p.name === 'Production') projectId = p.id;

const receiver = new HTTPReceiver({ signingSecret, processBeforeResponse: false, logger });
const bare = new App({
  token: botToken,
  receiver,
  clientOptions: { slackApiUrl },
  logger,
  deferInitialization: true,
});
bare.command('/atlas', async ({ ack }) => {
  await ack();
});
await bare.init();
const bareServer = createServer(receiver.requestListener);
bareServer.listen(0, '127.0.0.1');
await once(bareServer, 'listening');

process.on('message', (message: { type: string }) => {
  if (message.type === 'idle') {
    void bot.idle().then(() => process.send?.({ type: 'idle' }));
  } else if (message.type === 'stop') {
    void (async () => {
      await bot.stop();
      await stores.close();
      await atlas.close();
      bareServer.closeAllConnections();
      bareServer.close();
      process.exit(0);
    })();
  }
});

const ready: ServersReady = {
  type: 'ready',
  ours: `http://127.0.0.1:${port}/slack/events`,
  bare: `http://127.0.0.1:${(bareServer.address() as AddressInfo).port}/slack/events`,
  projectId,
};
process.send?.(ready);
