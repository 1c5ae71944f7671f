import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type RunningSimulator } from '@atlas-backups/atlas-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotProcess, botEnv, ensureBuilt } from '../support/slack/bot-process.js';
import { openBotDatabase } from '@atlas-backups/slackbot';
import { FakeSlack, waitFor } from '../support/slack/fake-slack.js';
import {
  blockText,
  clickPayload,
  postSignedCommand,
  signingSecret,
  slashCommandFields,
} from '../support/slack/harness.js';
import { interactionBody, signRequest, slashCommandBody } from '../support/slack/sign.js';

const channel = 'C0INCIDENT';
const restarting = 'The Atlas bot is restarting';

/** A signed request sent in two halves: the second only when `finish` is called. */
function halfSent(url: string, body: string) {
  const headers = {
    ...signRequest(signingSecret, body).headers,
    'content-length': String(Buffer.byteLength(body)),
  };
  const split = Math.floor(body.length / 2);
  const req = request(url, { method: 'POST', headers });
  const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
  });
  req.write(body.slice(0, split));
  return { answer, finish: () => req.end(body.slice(split)) };
}

/**
 * SIGTERM while a burst of `/atlas snapshot take` is being handled: every command acknowledged
 * before the stop is carried out (its snapshot taken in Atlas, its job message posted) or
 * answered; requests that arrive while the bot drains are told to try again; the process
 * exits 0. Atlas is slowed so that, when the signal comes, no snapshot has been taken yet.
 */
describe('the built bot stopped (SIGTERM) during a burst of commands', () => {
  let sim: RunningSimulator;
  let slack: FakeSlack;
  let bot: BotProcess;
  let dir: string;
  let url: string;

  beforeAll(async () => {
    ensureBuilt();
    sim = await startSimulator({ clock: 'manual' });
    slack = await FakeSlack.start();
    dir = mkdtempSync(join(tmpdir(), 'slackbot-ops-shutdown-'));
    bot = new BotProcess(
      botEnv(slack, {
        MONGODB_ATLAS_BASE_URL: sim.url,
        MONGODB_ATLAS_CLIENT_ID: sim.credentials.clientId,
        MONGODB_ATLAS_CLIENT_SECRET: sim.credentials.clientSecret,
        ATLAS_BOT_DB: join(dir, 'bot.sqlite'),
        ATLAS_BOT_SHUTDOWN_SECONDS: '20',
      }),
    );
    url = await bot.url();
  }, 60_000);
  afterAll(async () => {
    await bot?.stop('SIGKILL');
    await slack?.close();
    await sim?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('carries out or answers every acknowledged command, tells late ones to retry, and exits 0', async () => {
    const clusters = sim.seed.projects.flatMap((p) =>
      p.clusters.map((c) => ({ project: p.name, cluster: c.name })),
    );
    const snapshotPosts = () =>
      sim.requests.filter((r) => r.method === 'POST' && /\/backup\/snapshots$/.test(r.path) && r.status < 300)
        .length;
    const jobMessages = () =>
      slack.channelMessages(channel).filter((m) => m.text.includes('Take an on-demand snapshot'));
    // Every Atlas call takes a while, so the work after the acks is still running at the signal.
    sim.faults.inject({ kind: 'delay', ms: 300, times: Infinity });

    // A command and a click whose bodies are still arriving when the signal comes.
    const lateCommand = halfSent(
      url,
      slashCommandBody(slashCommandFields(slack, 'projects', { user: 'U0LATE0001' })),
    );
    const lateClick = clickPayload(
      slack,
      { action_id: 'atlas_confirm', value: 'c-late' },
      { user: 'U0LATE0002' },
    );
    const lateClickSent = halfSent(url, interactionBody(lateClick.payload));

    const texts = [
      ...clusters.map((c) => `snapshot take ${c.cluster} --project ${c.project}`),
      ...clusters.map((c) => `snapshots ${c.cluster} --project ${c.project}`),
      ...clusters.map((c) => `jobs ${c.cluster} --project ${c.project}`),
      'projects',
      'clusters Production',
    ];
    const acked = await Promise.all(
      texts.map(async (text, i) => {
        const user = `U0BURST${String(i).padStart(3, '0')}`;
        return { user, text, ...(await postSignedCommand(url, slack, text, { user, channel })) };
      }),
    );
    expect(acked.map((a) => a.status)).toEqual(acked.map(() => 200));
    expect(acked.filter((a) => JSON.stringify(a.json ?? {}).includes(restarting))).toEqual([]);
    const answered = (a: (typeof acked)[number]) =>
      slack.postsTo(a.responseUrl).length > 0 ||
      slack.channelMessages(channel).some((m) => blockText(m.blocks).includes(`<@${a.user}>`));
    // Nothing has been carried out yet: it is all in flight.
    expect(acked.filter(answered)).toEqual([]);
    expect(snapshotPosts()).toBe(0);

    bot.signal('SIGTERM');
    await waitFor(() => bot.lines.some((l) => l.includes('SIGTERM: stopping')), 'the bot to begin stopping');
    lateCommand.finish();
    lateClickSent.finish();
    const late = await lateCommand.answer;
    expect(late.status).toBe(200);
    expect(late.text).toContain(restarting);
    expect((await lateClickSent.answer).status).toBe(200);

    expect(await bot.exited).toBe(0);
    // Every acknowledged command was carried out or answered before the process ended.
    expect(acked.filter((a) => !answered(a)).map((a) => a.text)).toEqual([]);
    expect(jobMessages()).toHaveLength(snapshotPosts());
    expect(snapshotPosts()).toBeGreaterThan(0);
    const lateClickAnswer = await waitFor(
      () => slack.postsTo(lateClick.responseUrl)[0],
      'the late click answer',
    );
    expect(lateClickAnswer.body.response_type).toBe('ephemeral');
    expect(JSON.stringify(lateClickAnswer.body)).toContain(restarting);
    expect(bot.output).toContain('Stopped cleanly');
    expect(bot.output).not.toContain('did not finish within');

    // The jobs being followed are handed over: recorded as followed, for the next start to resume.
    const db = openBotDatabase(join(dir, 'bot.sqlite'));
    try {
      const following = db
        .prepare<[], { n: number }>("SELECT count(*) AS n FROM followed_jobs WHERE state = 'following'")
        .get();
      expect(following?.n).toBe(snapshotPosts());
    } finally {
      db.close();
    }
  });
});
