/**
 * The bot under test for the Approve-click benchmark, in its own process (forked by
 * approve-ack.ts): createSlackBot in HTTP mode with the approval stack main wires
 * (createSlackApprovalStack, built-in policy: a download needs one approver other than the
 * requester), on the simulator given in the environment. It opens approval requests through
 * the ActionService on demand and reports their ids.
 */
import { AtlasClient, type Actor } from '@atlas-backups/core';
import { LogLevel } from '@slack/bolt';
import { createSlackBot } from '../src/app.js';
import { createSlackApprovalStack } from '../src/approvals/setup.js';
import { createLogger } from '../src/slack/logger.js';
import { openBotDatabase, openRequestLog } from '../src/state/db.js';

export type ServerMessage =
  | { type: 'ready'; url: string }
  | { type: 'opened'; ids: string[] }
  | { type: 'idle'; executed: number; restoreJobsCreated: number };

const env = process.env;
const logger = createLogger(LogLevel.ERROR);
const dbPath = env.BENCH_DB_PATH ?? ':memory:';
const cluster = 'orders-prod';

const atlas = new AtlasClient({
  baseUrl: env.MONGODB_ATLAS_BASE_URL ?? '',
  credentials: {
    kind: 'serviceAccount',
    clientId: env.MONGODB_ATLAS_CLIENT_ID ?? '',
    clientSecret: env.MONGODB_ATLAS_CLIENT_SECRET ?? '',
  },
});
const db = openBotDatabase(dbPath);
const requestLog = openRequestLog(dbPath);
const clientOptions = { slackApiUrl: env.BENCH_SLACK_API_URL ?? '', retryConfig: { retries: 0 } };
const stack = createSlackApprovalStack({
  db,
  client: atlas,
  botToken: env.BENCH_BOT_TOKEN ?? '',
  clientOptions,
  logger,
  env: {},
});
const bot = createSlackBot({
  atlas,
  actions: stack.actions,
  approvalStack: stack,
  db,
  requestLog,
  botToken: env.BENCH_BOT_TOKEN ?? '',
  signingSecret: env.BENCH_SIGNING_SECRET ?? '',
  clientOptions,
  logger,
  follow: { pollIntervalMs: 60_000 },
});
const { port } = await bot.start(0, '127.0.0.1');

let projectId = '';
for await (const p of atlas.iterateProjects()) if (p.name === 'Production') projectId = p.id;
const requester: Actor = { id: 'U0BENCHREQ', displayName: 'bench', source: 'slack', channel: 'C0BENCH001' };
const snapshots = await atlas.listSnapshots(projectId, cluster, { itemsPerPage: 10 });
const snapshotId = snapshots.results.find((s) => s.status === 'completed')?.id ?? '';

async function open(count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const outcome = await stack.actions.request(
      requester,
      'restore.download',
      { groupId: projectId, clusterName: cluster, snapshotId },
      { confirmation: { confirmed: true }, reason: 'bench' },
    );
    if (outcome.status !== 'pending_approval') throw new Error('the policy did not ask for approval');
    ids.push(outcome.approval.id);
  }
  return ids;
}

const send = (message: ServerMessage) => process.send?.(message);

process.on('message', (message: { type: string; count?: number }) => {
  void (async () => {
    if (message.type === 'open') send({ type: 'opened', ids: await open(message.count ?? 1) });
    else if (message.type === 'idle') {
      await stack.approvals.drain();
      await bot.idle();
      const executed =
        db
          .prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM approval_requests WHERE state = 'executed'")
          .get()?.n ?? 0;
      const jobs = await atlas.listRestoreJobs(projectId, cluster, { itemsPerPage: 1, includeCount: true });
      send({ type: 'idle', executed, restoreJobsCreated: jobs.totalCount ?? 0 });
    } else if (message.type === 'stop') {
      await bot.stop();
      requestLog.close();
      db.close();
      await atlas.close();
      process.exit(0);
    }
  })();
});

send({ type: 'ready', url: `http://127.0.0.1:${port}/slack/events` });
