import { MemoryAuditLog, isAtlasBackupsError } from '@atlas-backups/core';
import type { SlackBotOptions } from '@atlas-backups/slackbot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack, FakeSocketMode, waitFor } from '../support/slack/fake-slack.js';
import { BotHarness, appToken, blockText, botToken, buttons } from '../support/slack/harness.js';

type Logger = NonNullable<SlackBotOptions['logger']>;

/** A logger that keeps its warnings, to see what the bot said about a refused request. */
function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  const none = () => undefined;
  return {
    warnings,
    debug: none,
    info: none,
    warn: (...m: unknown[]) => void warnings.push(m.map(String).join(' ')),
    error: none,
    setLevel: none,
    getLevel: () => 'warn' as ReturnType<Logger['getLevel']>,
    setName: none,
  };
}

const refusalText = 'serves another Slack workspace; nothing was done';

/** The workspace is learnt from auth.test at start; signed requests from anywhere else run nothing. */
describe('workspace pinning over HTTP', () => {
  let h: BotHarness;
  const audit = new MemoryAuditLog();
  const logger = recordingLogger();
  const snapshots = () => h.sim.store.listSnapshots(h.projectId, 'orders-prod').length;

  beforeAll(async () => {
    h = await BotHarness.start({ bot: { audit, logger } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('knows its workspace from auth.test', () => {
    expect(h.slack.callsTo('auth.test').length).toBeGreaterThan(0);
    expect(h.bot.workspace()).toEqual({ teamId: 'T0000001', enterpriseId: undefined });
  });

  it.each<[string, { teamId?: string; enterpriseId?: string }, string]>([
    ['another workspace', { teamId: 'T0OTHER01' }, 'T0OTHER01'],
    ['an Enterprise Grid organisation', { enterpriseId: 'E0OTHER0001' }, 'E0OTHER0001'],
  ])(
    'refuses a change asked from %s: nothing runs, it is logged and audited',
    async (_what, origin, shown) => {
      const before = { snapshots: snapshots(), atlas: h.sim.requests.length, audit: audit.entries.length };
      const res = await h.command(
        'snapshot take orders-prod --project Production --desc "from elsewhere"',
        origin,
      );
      expect(res.status).toBe(200);
      expect(res.json?.response_type).toBe('ephemeral');
      expect(String(res.json?.text)).toContain(refusalText);
      await waitFor(() => audit.entries.length > before.audit, 'the audit entry');
      await h.bot.idle();
      expect(snapshots()).toBe(before.snapshots);
      expect(h.sim.requests.length).toBe(before.atlas);
      expect(h.slack.postsTo(res.responseUrl)).toHaveLength(0);
      const entry = audit.entries.at(-1);
      expect(entry).toMatchObject({
        event: 'refused',
        action: 'snapshot.take',
        actor: { id: 'U0ONCALL1', source: 'slack' },
        error: { code: 'WORKSPACE_NOT_ALLOWED' },
      });
      expect(entry?.error?.message).toContain(shown);
      expect(logger.warnings.at(-1)).toContain(shown);
    },
  );

  it('refuses a read from another workspace without auditing it', async () => {
    const before = { atlas: h.sim.requests.length, audit: audit.entries.length };
    const res = await h.command('projects', { teamId: 'T0OTHER01' });
    expect(String(res.json?.text)).toContain(refusalText);
    await h.bot.idle();
    expect(h.sim.requests.length).toBe(before.atlas);
    expect(audit.entries.length).toBe(before.audit);
    expect(h.slack.postsTo(res.responseUrl)).toHaveLength(0);
  });

  it('refuses clicks from another workspace, or by a person from another one, on its own buttons', async () => {
    const staging = h.sim.seed.projects.find((p) => p.name === 'Staging');
    const snap = h.sim.store
      .listSnapshots(staging?.id ?? '', 'orders-staging')
      .find((s) => s.outcome === 'succeeded' && s.doneAt <= h.sim.clock.now());
    const restores = () => h.sim.store.listRestoreJobs(staging?.id ?? '', 'orders-staging').length;
    const before = restores();
    const res = await h.command(`restore orders-staging ${snap?.id} --download --project Staging`);
    const confirmation = await h.responseTo(res.responseUrl);
    const [confirm] = buttons(confirmation.body.blocks);
    if (!confirm) throw new Error('no Confirm button');

    const audited = audit.entries.length;
    for (const origin of [{ teamId: 'T0OTHER01' }, { userTeamId: 'T0EXTERNAL' }]) {
      const click = await h.click(confirm, origin);
      expect(click.status).toBe(200);
      await h.bot.idle();
      expect(h.slack.postsTo(click.responseUrl)).toHaveLength(0);
    }
    expect(restores()).toBe(before);
    await waitFor(() => audit.entries.length === audited + 2, 'two audit entries');
    expect(audit.entries.slice(-2).map((e) => e.action)).toEqual([
      `slack.click:${confirm.action_id}`,
      `slack.click:${confirm.action_id}`,
    ]);

    // The refused clicks used nothing up: the requester's own click still runs it.
    const own = await h.click(confirm);
    expect(own.status).toBe(200);
    await waitFor(() => restores() === before + 1, 'the restore job');
  });

  it('answers its own workspace as before', async () => {
    const res = await h.command('help');
    expect(blockText(res.json?.blocks)).toContain('/atlas restore cancel');
  });
});

describe('workspace pinning with SLACK_TEAM_ID', () => {
  it('serves the workspace it names when it is the token’s own', async () => {
    const h = await BotHarness.start({ bot: { teamId: 'T0000001' } });
    try {
      expect(h.bot.workspace()?.teamId).toBe('T0000001');
      expect((await h.command('help')).status).toBe(200);
    } finally {
      await h.close();
    }
  });

  it('refuses to start when the bot token belongs to another workspace, naming SLACK_TEAM_ID', async () => {
    const error = await BotHarness.start({ bot: { teamId: 'T0ELSEWHERE' } }).then(
      (h) => h.close().then(() => undefined),
      (e: unknown) => e,
    );
    expect(isAtlasBackupsError(error) && error.code).toBe('INVALID_CONFIG');
    expect((error as { variable?: string }).variable).toBe('SLACK_TEAM_ID');
    expect((error as Error).message).toContain('T0000001');
  });
});

describe('workspace pinning for an org-wide install', () => {
  let slack: FakeSlack;
  let h: BotHarness;

  beforeAll(async () => {
    slack = await FakeSlack.start({ botToken, enterpriseId: 'E0ORG00001', enterpriseInstall: true });
    h = await BotHarness.start({ fakeSlack: slack });
  });
  afterAll(async () => {
    await h?.close();
    await slack?.close();
  });

  it('serves every workspace of its organisation and nothing outside it', async () => {
    expect(h.bot.workspace()).toEqual({ teamId: undefined, enterpriseId: 'E0ORG00001' });
    const inside = await h.command('help', { teamId: 'T0SISTER01', enterpriseId: 'E0ORG00001' });
    expect(blockText(inside.json?.blocks)).toContain('/atlas restore cancel');
    const outside = await h.command('help', { teamId: 'T0SISTER01', enterpriseId: 'E0OTHER0001' });
    expect(String(outside.json?.text)).toContain(refusalText);
    const unnamed = await h.command('help', { teamId: 'T0SISTER01' });
    expect(String(unnamed.json?.text)).toContain(refusalText);
  });
});

describe('workspace pinning in Socket Mode', () => {
  let slack: FakeSlack;
  let socket: FakeSocketMode;
  let h: BotHarness;

  beforeAll(async () => {
    slack = await FakeSlack.start({ botToken, appToken });
    socket = await FakeSocketMode.start(slack);
    h = await BotHarness.start({ socketMode: true, fakeSlack: slack });
    await socket.connected;
  });
  afterAll(async () => {
    await h?.close();
    await socket?.close();
    await slack?.close();
  });

  it('refuses an envelope from another workspace and runs the next one from its own', async () => {
    const before = h.sim.store.listSnapshots(h.projectId, 'orders-prod').length;
    const foreign = h.commandFields('snapshot take orders-prod --project Production', {
      teamId: 'T0OTHER01',
    });
    const refused = await socket.send('slash_commands', foreign);
    expect(String(refused.payload?.text)).toContain(refusalText);
    await h.bot.idle();
    expect(h.sim.store.listSnapshots(h.projectId, 'orders-prod')).toHaveLength(before);
    expect(slack.postsTo(foreign.response_url)).toHaveLength(0);

    const own = await socket.send('slash_commands', h.commandFields('help'));
    expect(blockText(own.payload?.blocks)).toContain('/atlas restore cancel');
  });
});
