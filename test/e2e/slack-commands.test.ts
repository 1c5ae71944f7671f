import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotHarness, blockText } from '../support/slack/harness.js';

/** Read-only subcommands, bad input, and Atlas failing: the real bot over HTTP, a simulator, a fake Slack. */
describe('/atlas read commands', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await BotHarness.start();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('answers /atlas help in the ack itself, listing every subcommand with examples', async () => {
    const res = await h.command('help');
    expect(res.status).toBe(200);
    expect(res.json?.response_type).toBe('ephemeral');
    const text = blockText(res.json?.blocks);
    for (const usage of [
      '/atlas projects',
      '/atlas clusters [project id|name]',
      '/atlas snapshots <cluster> [--project <id|name>] [--limit N]',
      '/atlas jobs <cluster>',
      '/atlas snapshot take <cluster> [--retention <days>] [--desc "<text>"]',
      '/atlas snapshot retain <cluster> <snapshotId> <value> <days|weeks|months|years>',
      '/atlas serverless snapshot <instance> <snapshotId>',
      '/atlas export <cluster> <snapshotId> --bucket <bucketId> [--data key=value ...]',
      '/atlas restore <cluster> <snapshotId> --to <targetCluster> [--target-project <id|name>]',
      '/atlas restore <cluster> --at <ISO-8601 time> --to <targetCluster>',
      '/atlas restore <cluster> --oplog <ts>:<inc> --to <targetCluster>',
      '/atlas restore <cluster> <snapshotId> --download',
      '/atlas restore cancel <cluster> <restoreJobId>',
      '/atlas use <project id|name>',
    ])
      expect(text).toContain(usage);
    expect(text).toContain('/atlas snapshot take Cluster0 --retention 7');
    expect(text).toContain('kept 1 to 36500 days (100 years); description up to 967 characters');
    expect(text).toContain('at most 100 years: 36500 days, 5200 weeks, 1200 months or 100 years');
    const topic = await h.command('help snapshot');
    expect(blockText(topic.json?.blocks)).toContain('/atlas snapshot retain');
    expect(blockText(topic.json?.blocks)).not.toContain('/atlas projects');
  });

  it('lists projects in the channel, marking production', async () => {
    const res = await h.command('projects');
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    const post = await h.responseTo(res.responseUrl);
    expect(post.body.response_type).toBe('in_channel');
    const text = blockText(post.body.blocks);
    expect(text).toMatch(/Production\s+[0-9a-f]{24}\s+4\s+production/);
    expect(text).toContain('Staging');
    expect(text).toContain('Analytics');
    expect(post.body.text).toContain('Atlas projects (3)');
  });

  it('lists clusters of a project given by name, of every kind', async () => {
    const res = await h.command('clusters Production');
    const text = blockText((await h.responseTo(res.responseUrl)).body.blocks);
    expect(text).toMatch(/orders-prod\s+replicaSet\s+IDLE/);
    expect(text).toMatch(/events-sharded\s+sharded/);
    expect(text).toMatch(/sandbox-flex\s+flex/);
    expect(text).toMatch(/metrics-serverless\s+serverless/);
  });

  it('lists snapshots with the TUI columns, newest first, limited', async () => {
    const res = await h.command(`snapshots orders-prod --project ${h.projectId} --limit 5`);
    const post = await h.responseTo(res.responseUrl);
    const text = blockText(post.body.blocks);
    expect(text).toMatch(/ID\s+TYPE\s+STATUS\s+CREATED\s+EXPIRES\s+SIZE\s+DESCRIPTION/);
    const rows = text.split('\n').filter((l) => /^[0-9a-f]{24}\s/.test(l));
    expect(rows).toHaveLength(5);
    const newest = h.sim.store.listSnapshots(h.projectId, 'orders-prod')[0];
    expect(rows[0]).toContain(newest?.id);
    expect(text).toMatch(/Snapshots of orders-prod\* in Production: 5 newest of \d+/);
    expect(text).toContain('--limit N');
  });

  it("shows a Flex cluster's snapshots from the Flex API", async () => {
    const res = await h.command('snapshots sandbox-flex --project Production');
    const text = blockText((await h.responseTo(res.responseUrl)).body.blocks);
    expect(text).toContain('sandbox-flex is a Flex cluster');
    expect(text).toMatch(/[0-9a-f]{24}\s+flex\s+COMPLETED/);
  });

  it("lists a retired serverless instance's snapshots from its Flex cluster, saying so", async () => {
    const res = await h.command('snapshots metrics-serverless --project Production');
    const post = await h.responseTo(res.responseUrl);
    const text = blockText(post.body.blocks);
    expect(text).toContain('Atlas retired the serverless backup API (410');
    expect(text).toMatch(/[0-9a-f]{24}\s+flex\s+COMPLETED/);
  });

  it('lists restore and export jobs of a cluster', async () => {
    const res = await h.command('jobs orders-prod --project Production');
    const text = blockText((await h.responseTo(res.responseUrl)).body.blocks);
    expect(text).toContain('Restore jobs');
    expect(text).toContain('Export jobs');
    const seededRestore = h.sim.store.listRestoreJobs(h.projectId, 'orders-prod')[0];
    if (seededRestore) expect(text).toContain(seededRestore.id);
  });

  it("lists a Flex cluster's restore jobs from the Flex API, as the terminal does", async () => {
    const seeded = h.sim.store.listFlexRestoreJobs(h.projectId, 'sandbox-flex')[0];
    expect(seeded).toBeDefined();
    const res = await h.command('jobs sandbox-flex --project Production');
    const text = blockText((await h.responseTo(res.responseUrl)).body.blocks);
    expect(text).toContain('*Restore jobs* (1)');
    expect(text).toMatch(new RegExp(`${seeded?.id}\\s+download\\s+ready`));
    expect(text).toContain('sandbox-flex is a Flex cluster');
    expect(text).not.toContain('Export jobs');
  });

  it('reads a serverless snapshot from Flex when Atlas answers 410, and says so', async () => {
    const snapshot = h.sim.store.listFlexSnapshots(h.projectId, 'sandbox-flex')[0];
    expect(snapshot).toBeDefined();
    const res = await h.command(`serverless snapshot sandbox-flex ${snapshot?.id} --project Production`);
    const text = blockText((await h.responseTo(res.responseUrl)).body.blocks);
    expect(text).toContain('Atlas retired the serverless backup API (410 VERSION_GONE)');
    expect(text).toContain('Flex cluster backup');
    expect(text).toContain(snapshot?.id);
    const gone = h.sim.requests.find((r) => r.path.includes('/serverless/sandbox-flex/backup/snapshots/'));
    expect(gone?.status).toBe(410);
  });

  it('sets the channel default with /atlas use, and keeps it across a restart', async () => {
    const use = await h.command('use Staging', { channel: 'C0STAGING' });
    const note = await h.responseTo(use.responseUrl);
    expect(blockText(note.body.blocks)).toMatch(/set this channel's default project to \*Staging\*/);

    await h.restart();
    const res = await h.command('clusters', { channel: 'C0STAGING' });
    const text = blockText((await h.responseTo(res.responseUrl)).body.blocks);
    expect(text).toContain('Clusters of Staging');
    expect(text).toContain('orders-staging');
    // Another channel has no default and there are several projects: it is told how to choose.
    const other = await h.command('clusters', { channel: 'C0ELSEWHERE' });
    const refusal = await h.responseTo(other.responseUrl);
    expect(refusal.body.response_type).toBe('ephemeral');
    expect(blockText(refusal.body.blocks)).toContain('No project chosen for this channel');
    expect(blockText(refusal.body.blocks)).toContain('/atlas use <project>');
  });

  it('refuses bad input with the correct usage, ephemerally, without calling Atlas or Slack', async () => {
    const atlasBefore = h.sim.requests.length;
    const slackBefore = h.slack.calls.length;
    const cases: [string, string, string][] = [
      ['snapshots', 'missing the cluster name', '/atlas snapshots <cluster>'],
      [
        'restore orders-prod 123 --to x',
        'the snapshot id `123` must be 24 hexadecimal digits',
        '/atlas restore <cluster> <snapshotId> --to',
      ],
      [
        'snapshot take orders-prod --retention soon',
        '`--retention` (days) must be a whole number',
        '/atlas snapshot take <cluster>',
      ],
      ['restroe orders-prod', '`restroe` is not an /atlas command. Did you mean `restore`?', '/atlas help'],
      ['restore orders-prod --at 2025-01-01T10:00 --to x', 'add Z for UTC', '/atlas restore'],
      // Impossible moments are refused, never rolled over into another day (2025-02-30 was 2 March).
      [
        'restore orders-prod --at 2025-02-30T10:00:00Z --to orders-prod --project Production',
        '`--at 2025-02-30T10:00:00Z` is not a real date: February 2025 has 28 days',
        '/atlas restore <cluster> --at <ISO-8601 time>',
      ],
      [
        'restore orders-prod --at 2025-03-01T10:00:60Z --to orders-prod',
        'is not a real time: seconds run 00 to 59',
        '/atlas restore',
      ],
      // Huge numbers are refused with their range, before anything is looked up.
      [
        'snapshot retain orders-prod 5f4d7c7a1c9d440000a1b2c3 2147483647 days --project Production',
        'the retention value must be 1 to 36500 days (100 years), got 2147483647',
        '/atlas snapshot retain',
      ],
      [
        'snapshot take orders-prod --retention 999999999',
        '`--retention` (days) must be 1 to 36500 days (100 years)',
        '/atlas snapshot take',
      ],
      ['audit 99999999999', 'the number of entries must be between 1 and 50', '/atlas audit'],
      [
        'snapshots orders-prod --limit 99999999999',
        '`--limit` must be between 1 and 100',
        '/atlas snapshots',
      ],
      [
        `snapshot take orders-prod --desc "${'d'.repeat(968)}"`,
        'the description must be at most 967 characters',
        '/atlas snapshot take',
      ],
    ];
    for (const [text, error, usage] of cases) {
      const res = await h.command(text);
      expect(res.status).toBe(200);
      expect(res.json?.response_type).toBe('ephemeral');
      const shown = blockText(res.json?.blocks);
      expect(shown).toContain(error);
      expect(shown).toContain(usage);
      expect(shown).toContain('Nothing was run');
      expect(h.slack.postsTo(res.responseUrl)).toHaveLength(0);
    }
    await h.bot.idle();
    expect(h.sim.requests.length).toBe(atlasBefore);
    expect(h.slack.calls.length).toBe(slackBefore);
  });

  it('acknowledges before Atlas answers, then posts the answer', async () => {
    h.sim.faults.inject({ kind: 'delay', ms: 1_500, path: '/clusters/reporting/', times: 1 });
    const analytics = h.sim.seed.projects.find((p) => p.name === 'Analytics');
    const res = await h.command(`snapshots reporting --project ${analytics?.id}`);
    expect(res.status).toBe(200);
    // The ack is back while Atlas is still holding the request.
    expect(h.slack.postsTo(res.responseUrl)).toHaveLength(0);
    const post = await h.responseTo(res.responseUrl);
    expect(blockText(post.body.blocks)).toContain('Snapshots of reporting');
  });

  it('rides out one Atlas 429 (the client retries) and answers normally', async () => {
    h.sim.faults.inject({
      status: 429,
      retryAfterSeconds: 0,
      path: '/clusters/orders-prod/backup/snapshots',
      times: 1,
    });
    const res = await h.command('snapshots orders-prod --project Production --limit 2');
    const post = await h.responseTo(res.responseUrl);
    expect(blockText(post.body.blocks)).toContain('Snapshots of orders-prod');
    const tries = h.sim.requests.filter((r) => r.path.endsWith('/clusters/orders-prod/backup/snapshots'));
    expect(tries.slice(-2).map((r) => r.status)).toEqual([429, 200]);
  });

  it("shows the core's message and hint when Atlas keeps answering 429", async () => {
    h.sim.faults.inject({
      status: 429,
      retryAfterSeconds: 0,
      path: '/clusters/orders-prod/backup/snapshots',
      times: 3,
    });
    const res = await h.command('snapshots orders-prod --project Production');
    const post = await h.responseTo(res.responseUrl);
    expect(post.body.response_type).toBe('ephemeral');
    const text = blockText(post.body.blocks);
    expect(text).toContain('Atlas 429');
    expect(text).toContain('Atlas is rate limiting this identity');
    expect(text).toContain('ATLAS_RATE_LIMITED');
  });

  it("shows the core's message and hint when Atlas answers 500", async () => {
    h.sim.faults.inject({ status: 500, path: '/clusters/orders-prod/backup/restoreJobs', times: 1 });
    const res = await h.command('jobs orders-prod --project Production');
    const post = await h.responseTo(res.responseUrl);
    expect(post.body.response_type).toBe('ephemeral');
    const text = blockText(post.body.blocks);
    expect(text).toContain('Atlas 500');
    expect(text).toContain('Atlas had an internal error; retry later');
    expect(text).toContain('ATLAS_SERVER_ERROR');
  });

  it('names an unknown project and how to find the right one', async () => {
    const res = await h.command('clusters Nonexistent');
    const text = blockText((await h.responseTo(res.responseUrl)).body.blocks);
    expect(text).toContain('No project named Nonexistent is visible to the bot');
    expect(text).toContain('/atlas projects');
  });
});

describe('/atlas serverless snapshot before the serverless sunset', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await BotHarness.start({ simulator: { now: new Date('2025-06-01T00:00:00Z') } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('reads it from the serverless API', async () => {
    const snapshot = h.sim.store.listServerlessSnapshots(h.projectId, 'metrics-serverless')[0];
    const res = await h.command(
      `serverless snapshot metrics-serverless ${snapshot?.id} --project Production`,
    );
    const text = blockText((await h.responseTo(res.responseUrl)).body.blocks);
    expect(text).toContain('Serverless backup');
    expect(text).not.toContain('410');
    expect(text).toContain(snapshot?.id);
  });
});
