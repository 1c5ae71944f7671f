import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack, FakeSocketMode, waitFor } from '../support/slack/fake-slack.js';
import { BotHarness, appToken, blockText, botToken } from '../support/slack/harness.js';

/** The bot in Socket Mode: apps.connections.open on the fake Web API hands out a local WebSocket server. */
describe('Socket Mode', () => {
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

  it('connects with the app-level token', () => {
    const open = slack.callsTo('apps.connections.open');
    expect(open).toHaveLength(1);
    expect(open[0]?.token).toBe(appToken);
  });

  it('acknowledges a slash command envelope with the help text as its payload', async () => {
    const ack = await socket.send('slash_commands', h.commandFields('help'));
    expect(ack.payload?.response_type).toBe('ephemeral');
    expect(blockText(ack.payload?.blocks)).toContain('/atlas restore cancel <cluster> <restoreJobId>');
  });

  it('acknowledges at once and answers through the response_url', async () => {
    const fields = h.commandFields('clusters Staging');
    const ack = await socket.send('slash_commands', fields);
    expect(ack.payload ?? {}).toEqual({});
    const post = await h.responseTo(fields.response_url);
    expect(post.body.response_type).toBe('in_channel');
    expect(blockText(post.body.blocks)).toContain('orders-staging');
  });

  it('runs a redelivered envelope once', async () => {
    const before = h.sim.store.listSnapshots(h.projectId, 'orders-prod').length;
    const fields = h.commandFields('snapshot take orders-prod --project Production');
    await socket.send('slash_commands', fields);
    const again = await socket.send('slash_commands', fields, 1);
    expect(again.envelope_id).toBeDefined();
    await waitFor(
      () => slack.channelMessages('C0INCIDENT').find((m) => m.text.includes('on-demand snapshot')),
      'the job message',
    );
    await h.bot.idle();
    expect(h.sim.store.listSnapshots(h.projectId, 'orders-prod')).toHaveLength(before + 1);
    expect(slack.postsTo(fields.response_url)).toHaveLength(0);
  });

  it('survives envelopes Slack would not send and goes on answering', async () => {
    const before = h.sim.requests.length;
    // Bolt can't dispatch a payload that is no object: the envelope is still acknowledged.
    const nullAck = await socket.send('interactive', null);
    expect(nullAck.envelope_id).toBeDefined();
    // Others Bolt ignores or refuses; none may end the process or run anything.
    const odd: [Parameters<FakeSocketMode['send']>[0], unknown][] = [
      ['interactive', []],
      ['interactive', 'payload'],
      ['interactive', { type: 'block_actions' }],
      ['interactive', { type: 'block_actions', team: { id: 'T0000001' }, user: null, actions: null }],
      ['slash_commands', { command: '/atlas' }],
      ['slash_commands', { command: '/atlas', team_id: 'T0000001', text: 42 }],
    ];
    for (const [type, payload] of odd) void socket.send(type, payload);
    // The bot still answers; whatever became of the others, nothing changed Atlas. (Reads may
    // go on: the job follower still polls the snapshot an earlier test took.)
    const help = await socket.send('slash_commands', h.commandFields('help'));
    expect(blockText(help.payload?.blocks)).toContain('/atlas restore cancel');
    await h.bot.idle();
    const changes = h.sim.requests.slice(before).filter((r) => r.method !== 'GET');
    expect(changes.map((r) => `${r.method} ${r.path}`)).toEqual([]);
  });
});
