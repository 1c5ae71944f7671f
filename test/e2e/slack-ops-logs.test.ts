import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type RunningSimulator } from '@atlas-backups/atlas-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completedSnapshot } from '../support/slack/approvals.js';
import { BotProcess, botEnv, ensureBuilt } from '../support/slack/bot-process.js';
import { FakeSlack, waitFor, type ShownMessage } from '../support/slack/fake-slack.js';
import {
  blockText,
  botToken,
  buttons,
  postSignedClick,
  postSignedCommand,
  signingSecret,
} from '../support/slack/harness.js';

const HOUR = 3_600_000;
const requester = 'U0ONCALL1';
const lead = 'U0LEAD0001';

/** Credentials only this test uses, so finding any of them in a log line means it leaked. */
const atlas = {
  clientId: 'mdb_sa_id_0ps1e55c0ffee0000000042',
  clientSecret: 'mdb_sa_sk_redaction-probe-S3CRET-4242',
  publicKey: 'opsprobe',
  privateKey: 'c0ffee00-ops0-4000-8000-PRIVATE00042',
};
const secrets = { botToken, signingSecret, ...atlas };
delete (secrets as Partial<typeof secrets>).clientId;
delete (secrets as Partial<typeof secrets>).publicKey;
/** An OAuth access token as Atlas (and the simulator) issues them: a JWT. */
const jwtShape = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/;

const policy = `
version: 1
rules:
  - name: restores need the lead
    actions: [restore.automated, restore.pointInTime, restore.download]
    approval:
      required: 1
      approvers: { users: [${lead}] }
      ttl: 2h
  - name: everything else is open
    actions: [read, snapshot, export, restore.cancel]
`;

/**
 * The built bot, on Atlas credentials and Slack secrets of the test's own, through a whole
 * change: a command, its confirmation, the approval and the job followed to its end. Every line
 * it writes is JSON, carries the request it belongs to, and holds none of the secrets; the
 * metrics count what happened.
 */
describe('the built bot’s logs and metrics through a whole restore', () => {
  let sim: RunningSimulator;
  let slack: FakeSlack;
  let bot: BotProcess;
  let dir: string;
  let url: string;
  let origin: string;
  let metricsText = '';

  beforeAll(async () => {
    ensureBuilt();
    sim = await startSimulator({ clock: 'manual', credentials: atlas });
    slack = await FakeSlack.start();
    dir = mkdtempSync(join(tmpdir(), 'slackbot-ops-logs-'));
    writeFileSync(join(dir, 'policy.yaml'), policy);
    bot = new BotProcess(
      botEnv(slack, {
        MONGODB_ATLAS_BASE_URL: sim.url,
        MONGODB_ATLAS_CLIENT_ID: atlas.clientId,
        MONGODB_ATLAS_CLIENT_SECRET: atlas.clientSecret,
        MONGODB_ATLAS_PUBLIC_API_KEY: atlas.publicKey,
        MONGODB_ATLAS_PRIVATE_API_KEY: atlas.privateKey,
        ATLAS_POLICY_FILE: join(dir, 'policy.yaml'),
        ATLAS_APPROVALS_CHANNEL: 'C0APPROVALS',
        ATLAS_AUDIT_CHANNEL: 'C0AUDITLOG',
        ATLAS_BOT_DB: join(dir, 'bot.sqlite'),
        LOG_LEVEL: 'debug',
      }),
    );
    url = await bot.url();
    origin = new URL(url).origin;
  }, 60_000);
  afterAll(async () => {
    await bot?.stop('SIGKILL');
    await slack?.close();
    await sim?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs the restore: command, confirmation, approval, job followed to its end', async () => {
    const staging = sim.seed.projects.find((p) => p.name === 'Staging');
    if (!staging) throw new Error('no Staging project in the seed');
    const snapshot = completedSnapshot(sim, staging.id, 'orders-staging');
    // One refusal from Atlas on the way: the client retries it, the metrics count it.
    sim.faults.inject({ status: 429, path: /\/clusters\/orders-staging$/, retryAfterSeconds: 0 });

    const command = await postSignedCommand(
      url,
      slack,
      `restore orders-staging ${snapshot.id} --to orders-staging --project Staging --reason "INC-7 ${botToken}"`,
      { user: requester },
    );
    expect(command.status).toBe(200);
    const confirmation = await waitFor(() => slack.postsTo(command.responseUrl)[0], 'the confirmation');
    const confirm = buttons(confirmation.body.blocks).find((b) => b.action_id === 'atlas_confirm');
    if (!confirm) throw new Error(`no Confirm button: ${blockText(confirmation.body.blocks)}`);
    expect((await postSignedClick(url, slack, confirm, { user: requester })).status).toBe(200);

    const request = await waitFor(
      () =>
        [...slack.messages.values()].find(
          (m: ShownMessage) =>
            m.channel === 'C0APPROVALS' &&
            buttons(m.blocks).some((b) => b.action_id === 'atlas_approval_approve'),
        ),
      'the approval request',
    );
    const approve = buttons(request.blocks).find((b) => b.action_id === 'atlas_approval_approve');
    if (!approve) throw new Error('no Approve button');
    expect((await postSignedClick(url, slack, approve, { user: lead, channel: 'C0APPROVALS' })).status).toBe(
      200,
    );

    await waitFor(
      () =>
        sim.requests.some(
          (r) => r.method === 'POST' && r.path.endsWith('/backup/restoreJobs') && r.status < 300,
        ),
      'the restore job to be created',
      20_000,
    );
    sim.clock.advance(6 * HOUR);
    await waitFor(
      () => [...slack.messages.values()].find((m) => /: finished after/.test(blockText(m.blocks))),
      'the job to be followed to its end',
      30_000,
    );
    metricsText = await (await fetch(`${origin}/metrics`)).text();
  }, 90_000);

  it('counts commands and clicks, acks, Atlas calls with their statuses, approvals by state', () => {
    expect(metricsText).toMatch(
      /atlas_bot_slack_requests_total\{kind="command",name="restore",outcome="ok"\} 1\n/,
    );
    expect(metricsText).toMatch(
      /atlas_bot_slack_requests_total\{kind="click",name="atlas_confirm",outcome="ok"\} 1\n/,
    );
    expect(metricsText).toMatch(
      /atlas_bot_slack_requests_total\{kind="click",name="atlas_approval_approve",outcome="ok"\} 1\n/,
    );
    expect(metricsText).toMatch(/atlas_bot_slack_ack_seconds_count\{kind="click"\} 2\n/);
    expect(metricsText).toMatch(
      /atlas_bot_atlas_calls_total\{operation="createBackupRestoreJob",status="200"\} 1\n/,
    );
    expect(metricsText).toMatch(/atlas_bot_atlas_calls_total\{operation="getCluster",status="429"\} 1\n/);
    expect(metricsText).toMatch(/atlas_bot_approval_requests\{state="executed"\} 1\n/);
    expect(metricsText).toMatch(/atlas_bot_jobs_followed \d+\n/);
    expect(metricsText).toMatch(/atlas_bot_job_leases_held 0\n/);
    // The request scheduler's state: the budget, what waits, what it has left per bucket.
    expect(metricsText).toMatch(/atlas_bot_atlas_budget_requests_per_minute 30\n/);
    expect(metricsText).toMatch(/atlas_bot_atlas_requests_queued\{priority="interactive"\} 0\n/);
    expect(metricsText).toMatch(/atlas_bot_atlas_requests_held_back \d+\n/);
    expect(metricsText).toMatch(/atlas_bot_atlas_budget_left\{bucket="[^"]+\|[0-9a-f]{24}"\} -?\d+\n/);
    for (const [name, value] of Object.entries(secrets)) expect(metricsText, name).not.toContain(value);
  });

  it('writes JSON lines tied to their request, and none of the secrets, through to a clean stop', async () => {
    await bot.stop('SIGTERM');
    expect(await bot.exited).toBe(0);
    expect(bot.lines.length).toBeGreaterThan(20);
    const entries = bot.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const entry of entries) {
      expect(typeof entry.time).toBe('string');
      expect(['debug', 'info', 'warn', 'error']).toContain(entry.level);
    }
    const command = entries.find((e) => e.event === 'slack_request' && e.action === 'command:restore');
    expect(command).toMatchObject({ user: requester, outcome: 'ok', kind: 'command' });
    expect(typeof command?.requestId).toBe('string');
    expect(typeof command?.ackMs).toBe('number');
    const create = entries.find((e) => e.event === 'atlas_call' && e.operation === 'createBackupRestoreJob');
    expect(create).toMatchObject({ atlasStatus: 200, action: 'click:atlas_approval_approve', user: lead });
    expect(typeof create?.durationMs).toBe('number');
    expect(entries.some((e) => e.event === 'atlas_call' && e.atlasStatus === 429)).toBe(true);
    expect(entries.some((e) => e.level === 'debug')).toBe(true);

    for (const [i, line] of bot.lines.entries()) {
      for (const [name, value] of Object.entries(secrets))
        expect(line, `line ${i} holds ${name}`).not.toContain(value);
      expect(line, `line ${i} holds an access token`).not.toMatch(jwtShape);
    }
  });
});
