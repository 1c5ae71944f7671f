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
import { completedSnapshot } from '../support/slack/approvals.js';
import {
  blockText,
  buttons,
  postSignedClick,
  postSignedCommand,
  signingSecret,
  slashCommandFields,
} from '../support/slack/harness.js';
import { signRequest, slashCommandBody } from '../support/slack/sign.js';

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
      ATLAS_BOT_DATABASE_URL: schema.url,
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
  const posts = (suffix: string) =>
    sim.requests.filter(
      (r) => r.method === 'POST' && r.path.endsWith(suffix) && r.status >= 200 && r.status < 300,
    ).length;

  /** Posts a signed body as it is, as Slack delivers (and, with `retryNum`, redelivers) a command. */
  async function post(url: string, body: string, retryNum?: number): Promise<number> {
    const signed = signRequest(signingSecret, body, retryNum === undefined ? {} : { retryNum });
    const res = await fetch(url, { method: 'POST', headers: signed.headers, body });
    await res.text();
    return res.status;
  }

  /** `user` presses `button` on a message in the channel, through the replica at `url`. */
  async function click(url: string, user: string, button: { action_id: string; value: string }) {
    return (await postSignedClick(url, slack, button, { user, userName: user, channel })).status;
  }

  const current = (m: ShownMessage) =>
    [...slack.messages.values()].find((x) => x.channel === m.channel && x.ts === m.ts);
  const topLevel = (needle: string): ShownMessage[] =>
    [...slack.messages.values()].filter(
      (m) => m.threadTs === undefined && blockText(m.blocks).includes(needle),
    );

  it('runs one restore for 50 Approve clicks spread across both replicas', async () => {
    const before = posts('/backup/restoreJobs');
    const snap = completedSnapshot(sim, staging().id, 'orders-staging');
    const command = await postSignedCommand(
      urls[0] as string,
      slack,
      `restore orders-staging ${snap.id} --to orders-staging --project Staging`,
      { user: requester, channel },
    );
    expect(command.status).toBe(200);
    const confirmation = await waitFor(() => slack.postsTo(command.responseUrl)[0], 'the confirmation');
    const confirm = buttons(confirmation.body.blocks).find((b) => b.action_id === 'atlas_confirm');
    if (!confirm) throw new Error(`no Confirm button: ${blockText(confirmation.body.blocks)}`);
    // Confirmed on the other replica than the one that explained it.
    expect(await click(urls[1] as string, requester, confirm)).toBe(200);
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
      approvers.map((user, i) => click(urls[i % 2] as string, user, approve)),
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
    const command = await postSignedCommand(first.url, slack, 'snapshot take reporting --project Analytics', {
      user: requester,
      channel,
    });
    expect(command.status).toBe(200);
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
    // (The previous test's job message may land late: only messages about this cluster count.)
    const again = [...slack.messages.values()].filter(
      (m) =>
        m.channel === channel &&
        m.threadTs === undefined &&
        !known.has(`${m.channel}:${m.ts}`) &&
        blockText(m.blocks).includes('reporting'),
    );
    expect(again).toHaveLength(1);
    expect(second.bot.running).toBe(true);
    // The lease passed on, and was handed back once the job ended.
    const [row] = await schema.query<{ state: string; lease_owner: string | null }>(
      "SELECT state, lease_owner FROM followed_jobs WHERE watcher = 'slack' AND cluster_name = 'reporting'",
    );
    expect(row).toEqual({ state: 'done', lease_owner: null });
  }, 60_000);

  it('settles once, at another replica, a request whose replica died while sending it to Atlas', async () => {
    const [, survivor] = replicas;
    if (!survivor) throw new Error('the surviving replica is missing');
    const third = await startReplica();
    const analytics = sim.seed.projects.find((x) => x.name === 'Analytics');
    if (!analytics) throw new Error('no Analytics project');
    const snap = completedSnapshot(sim, analytics.id, 'reporting');
    const restorePosts = () =>
      sim.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/backup/restoreJobs')).length;
    const before = restorePosts();

    const command = await postSignedCommand(
      third.url,
      slack,
      `restore reporting ${snap.id} --to reporting --project Analytics`,
      { user: requester, channel },
    );
    expect(command.status).toBe(200);
    const confirmation = await waitFor(() => slack.postsTo(command.responseUrl)[0], 'the confirmation');
    const confirm = buttons(confirmation.body.blocks).find((b) => b.action_id === 'atlas_confirm');
    if (!confirm) throw new Error('no Confirm button');
    expect(await click(third.url, requester, confirm)).toBe(200);
    const message = await waitFor(
      () =>
        topLevel('reporting').find((m) =>
          buttons(m.blocks).some((b) => b.action_id === 'atlas_approval_approve'),
        ),
      'the approval request',
    );
    const approve = buttons(message.blocks).find((b) => b.action_id === 'atlas_approval_approve');
    if (!approve) throw new Error('no Approve button');

    // Atlas is slow to answer the create; the replica that approved it dies meanwhile.
    const firedBefore = sim.faults.fired;
    sim.faults.inject({ kind: 'delay', ms: 300, method: 'POST', path: '/backup/restoreJobs' });
    expect(await click(third.url, approvers[0] as string, approve)).toBe(200);
    await waitFor(() => sim.faults.fired > firedBefore, 'the create to reach Atlas');
    await third.bot.stop('SIGKILL');

    // The survivor settles it once its hold lapses: from Atlas, never by sending it again.
    const settled = await waitFor(
      async () => {
        const [row] = await schema.query<{ state: string }>(
          "SELECT state FROM approval_requests WHERE action = 'restore.automated' AND cluster_name = 'reporting'",
        );
        return row && (row.state === 'executed' || row.state === 'failed') ? row.state : undefined;
      },
      'the request to be settled by the surviving replica',
      30_000,
    );
    expect(restorePosts() - before).toBe(1);
    const created = sim.store.listRestoreJobs(analytics.id, 'reporting').length;
    expect(settled).toBe(created > 0 ? 'executed' : 'failed');
    expect(survivor.bot.running).toBe(true);
  }, 90_000);
});
