import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type RunningSimulator } from '@atlas-backups/atlas-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  postgresUnavailable,
  testDatabaseUrl,
  testSchema,
} from '../../packages/core/test/support/postgres.js';
import { BotProcess, botEnv, ensureBuilt } from '../support/slack/bot-process.js';
import { FakeSlack, waitFor, type ShownMessage } from '../support/slack/fake-slack.js';
import { blockText, buttons, signingSecret, slashCommandFields } from '../support/slack/harness.js';
import { interactionBody, signRequest, slashCommandBody } from '../support/slack/sign.js';

/**
 * Two bot processes (replicas) on one PostgreSQL database, one Atlas simulator and one Slack:
 * requests and clicks are spread across both, and replicas die mid-way.
 */
const unavailable = await postgresUnavailable();
if (unavailable)
  console.log(
    `PostgreSQL is not reachable at ${testDatabaseUrl} (${unavailable}): skipping the two-replica tests.`,
  );

const approvers = Array.from({ length: 50 }, (_, i) => `U0APPR${String(i).padStart(4, '0')}`);
const requester = 'U0ONCALL1';
const channel = 'C0INCIDENT';
const policy = `
version: 1
rules:
  - name: restores need one approver
    actions: [restore.automated]
    approval:
      required: 1
      approvers: { users: [${approvers.join(', ')}] }
      ttl: 1h
  - name: everything else is open
    actions: [read, snapshot, export, restore.cancel, restore.download]
`;

const leaseSeconds = 2;

describe.skipIf(unavailable !== undefined)('two replicas on one PostgreSQL database', () => {
  let slack: FakeSlack;
  let sim: RunningSimulator;
  let dir: string;
  let schema: ReturnType<typeof testSchema>;
  let env: Record<string, string>;
  const bots: BotProcess[] = [];
  let replicas: { bot: BotProcess; url: string }[] = [];
  let urls: string[] = [];

  async function startReplica(): Promise<{ bot: BotProcess; url: string }> {
    const bot = new BotProcess(env);
    bots.push(bot);
    return { bot, url: await bot.url() };
  }

  beforeAll(async () => {
    ensureBuilt();
    schema = testSchema('replicas');
    await schema.create();
    slack = await FakeSlack.start();
    sim = await startSimulator({ clock: 'manual' });
    dir = mkdtempSync(join(tmpdir(), 'slack-replicas-'));
    writeFileSync(join(dir, 'policy.yaml'), policy);
    env = botEnv(slack, {
      ATLAS_BOT_DATABASE_URL: `${testDatabaseUrl}?options=${encodeURIComponent(`-c search_path=${schema.name}`)}`,
      ATLAS_BOT_LEASE_SECONDS: String(leaseSeconds),
      ATLAS_POLICY_FILE: join(dir, 'policy.yaml'),
      MONGODB_ATLAS_BASE_URL: sim.url,
      MONGODB_ATLAS_CLIENT_ID: sim.credentials.clientId,
      MONGODB_ATLAS_CLIENT_SECRET: sim.credentials.clientSecret,
    });
    // Two replicas starting together: both migrate the empty schema, under the advisory lock, once.
    replicas = await Promise.all([startReplica(), startReplica()]);
    urls = replicas.map((s) => s.url);
  }, 60_000);

  afterAll(async () => {
    for (const bot of bots) await bot.stop('SIGKILL');
    await slack?.close();
    await sim?.close();
    await schema?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const staging = () => {
    const p = sim.seed.projects.find((x) => x.name === 'Staging');
    if (!p) throw new Error('no Staging project');
    return p;
  };
  const completedSnapshot = () => {
    const now = sim.clock.now();
    const s = sim.store
      .listSnapshots(staging().id, 'orders-staging')
      .find((x) => x.doneAt <= now && x.outcome === 'succeeded');
    if (!s) throw new Error('no completed snapshot');
    return s;
  };
  const posts = (suffix: string) =>
    sim.requests.filter(
      (r) => r.method === 'POST' && r.path.endsWith(suffix) && r.status >= 200 && r.status < 300,
    ).length;

  async function post(url: string, body: string, retryNum?: number): Promise<number> {
    const signed = signRequest(signingSecret, body, retryNum === undefined ? {} : { retryNum });
    const res = await fetch(url, { method: 'POST', headers: signed.headers, body });
    await res.text();
    return res.status;
  }

  function clickBody(user: string, button: { action_id: string; value: string }): string {
    return interactionBody({
      type: 'block_actions',
      team: { id: 'T0000001', domain: 'example' },
      user: { id: user, username: user, name: user, team_id: 'T0000001' },
      api_app_id: 'A0000001',
      token: 'deprecated-verification-token',
      trigger_id: `${Date.now()}.${Math.random()}.trigger`,
      container: { type: 'message', message_ts: '1700000000.000001', channel_id: channel },
      channel: { id: channel, name: 'incident' },
      response_url: slack.newResponseUrl(),
      actions: [
        {
          type: 'button',
          action_id: button.action_id,
          block_id: 'atlas',
          value: button.value,
          text: { type: 'plain_text', text: 'Press' },
          action_ts: `${Date.now() / 1000}`,
        },
      ],
    });
  }

  const current = (m: ShownMessage) =>
    [...slack.messages.values()].find((x) => x.channel === m.channel && x.ts === m.ts);
  const topLevel = (needle: string): ShownMessage[] =>
    [...slack.messages.values()].filter(
      (m) => m.threadTs === undefined && blockText(m.blocks).includes(needle),
    );

  it('runs one restore for 50 Approve clicks spread across both replicas', async () => {
    const before = posts('/backup/restoreJobs');
    const snap = completedSnapshot();
    const fields = slashCommandFields(
      slack,
      `restore orders-staging ${snap.id} --to orders-staging --project Staging`,
      { user: requester, channel },
    );
    expect(await post(urls[0] as string, slashCommandBody(fields))).toBe(200);
    const confirmation = await waitFor(() => slack.postsTo(fields.response_url)[0], 'the confirmation');
    const confirm = buttons(confirmation.body.blocks).find((b) => b.action_id === 'atlas_confirm');
    if (!confirm) throw new Error(`no Confirm button: ${blockText(confirmation.body.blocks)}`);
    // Confirmed on the other replica than the one that explained it.
    expect(await post(urls[1] as string, clickBody(requester, confirm))).toBe(200);
    const message = await waitFor(
      () =>
        topLevel('Approve').find((m) =>
          buttons(m.blocks).some((b) => b.action_id === 'atlas_approval_approve'),
        ),
      'the approval request',
    );
    const approve = buttons(message.blocks).find((b) => b.action_id === 'atlas_approval_approve');
    if (!approve) throw new Error('no Approve button');

    const statuses = await Promise.all(
      approvers.map((user, i) => post(urls[i % 2] as string, clickBody(user, approve))),
    );
    expect(statuses.every((s) => s === 200)).toBe(true);
    await waitFor(
      () => blockText(current(message)?.blocks).includes('Executed'),
      'the request to be executed',
      20_000,
    );
    expect(posts('/backup/restoreJobs') - before).toBe(1);
  });

  it('runs a command once when Slack retries it at the other replica', async () => {
    const before = posts('/backup/snapshots');
    const fields = slashCommandFields(slack, 'snapshot take orders-staging --project Staging', {
      user: requester,
      channel,
    });
    const body = slashCommandBody(fields);
    expect(await post(urls[0] as string, body)).toBe(200);
    await waitFor(() => posts('/backup/snapshots') > before, 'the snapshot to be asked for');
    // Slack did not see the ack in time and delivers it again, this time to the other replica.
    expect(await post(urls[1] as string, body, 1)).toBe(200);
    expect(await post(urls[1] as string, body, 2)).toBe(200);
    // The other replica recognised both retries (by the key the first one stored) and ran nothing.
    await waitFor(
      () => replicas[1]?.bot.lines.filter((l) => l.includes('ignored a repeated delivery')).length === 2,
      'the other replica to ignore both retries',
    );
    expect(posts('/backup/snapshots') - before).toBe(1);
  });

  it('finishes a job message at the other replica when the one following it is killed', async () => {
    const [first, second] = replicas;
    if (!first || !second) throw new Error('two replicas expected');
    const known = new Set([...slack.messages.values()].map((m) => `${m.channel}:${m.ts}`));
    // Another cluster than the one the previous test left a snapshot running on.
    const fields = slashCommandFields(slack, 'snapshot take reporting --project Analytics', {
      user: requester,
      channel,
    });
    expect(await post(first.url, slashCommandBody(fields))).toBe(200);
    // The replica that took the command follows the job, under its lease, from its own message.
    const followed = await waitFor(async () => {
      const rows = await schema.query<{ context_json: string; lease_owner: string | null }>(
        "SELECT context_json, lease_owner FROM followed_jobs WHERE watcher = 'slack' AND cluster_name = 'reporting'",
      );
      const row = rows[0];
      const ts = row ? (JSON.parse(row.context_json) as { messageTs?: string }).messageTs : undefined;
      return row?.lease_owner && ts ? { owner: row.lease_owner, ts } : undefined;
    }, 'the job to be followed');
    const job = await waitFor(
      () => [...slack.messages.values()].find((m) => m.channel === channel && m.ts === followed.ts),
      'the job message',
    );
    // The replica that posted it, and follows it, dies without a word (its leases stay behind).
    await first.bot.stop('SIGKILL');
    // Atlas finishes the snapshot; only the surviving replica can notice, once the lease lapses.
    sim.clock.advance(6 * 3_600_000);
    const replies = await waitFor(
      () => {
        const thread = [...slack.messages.values()].filter((m) => m.threadTs === job.ts);
        return thread.length > 0 ? thread : undefined;
      },
      'the thread reply from the other replica',
      30_000,
    );
    expect(replies).toHaveLength(1);
    expect(current(job)?.updates ?? 0).toBeGreaterThan(0);
    // Still one message for the job: the other replica edited it, it did not post another.
    const again = [...slack.messages.values()].filter(
      (m) => m.channel === channel && m.threadTs === undefined && !known.has(`${m.channel}:${m.ts}`),
    );
    expect(again).toHaveLength(1);
    expect(second.bot.running).toBe(true);
    // The lease passed on, and was handed back once the job ended.
    const [row] = await schema.query<{ state: string; lease_owner: string | null }>(
      "SELECT state, lease_owner FROM followed_jobs WHERE watcher = 'slack' AND cluster_name = 'reporting'",
    );
    expect(row).toEqual({ state: 'done', lease_owner: null });
  }, 60_000);
});
