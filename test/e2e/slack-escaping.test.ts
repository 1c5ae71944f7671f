import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  answerTo,
  completedSnapshot,
  policyFile,
  requestButtons,
  requestMessages,
  seededProject,
  untilShown,
} from '../support/slack/approvals.js';
import { waitFor, type ShownMessage } from '../support/slack/fake-slack.js';
import { BotHarness, buttons } from '../support/slack/harness.js';

// What people type and Atlas returns, at its most hostile: Slack's special sequences (a
// channel-wide ping, a mention, a link whose label hides where it goes), the three control
// characters, mrkdwn's markup, and text in other scripts.
const EVIL = '<!channel> <!here> <@U0EVIL001> <http://evil.example|click here>';
const MARKS = '& < > *bold* _it_ ~s~ `code` 한국어 🚀';
const LONG = `${EVIL} ${MARKS}`;
// Names stay short: Slack cuts option and header text, and a cut name is not "intact".
const STAGING = '<!here> <@U0EVIL001> & *b* 한국 🚀';
const PROD = '<!channel> 운영 & _p_ 🚨';
const BUCKET = '<!here> & ~b~ 버킷';
const DESC = '<!here> & `d` 설명 🧾';
const USER_NAME = 'mallory<!channel>&';

const incident = 'C0INCIDENT';
const approvalsChannel = 'C0APPROVALS';
const auditChannel = 'C0AUDITLOG';
const lead = 'U0LEAD0001';
const requester = 'U0ONCALL1';

const policy = `
version: 1
rules:
  - name: exports need a lead
    actions: [export]
    approval:
      required: 1
      approvers: { users: [${lead}] }
      ttl: 2h
  - name: everything else is open
    actions: [read, snapshot, restore]
`;

/** One field Slack reads: a message's top-level text, or a text object. */
interface Field {
  where: string;
  kind: 'mrkdwn' | 'plain_text';
  text: string;
  verbatim?: unknown;
}

/** Every text object in a Block Kit payload (blocks, a view's title, options, confirm dialogs…). */
function textObjects(value: unknown, where: string, out: Field[] = []): Field[] {
  if (Array.isArray(value)) for (const v of value) textObjects(v, where, out);
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if ((o.type === 'mrkdwn' || o.type === 'plain_text') && typeof o.text === 'string')
      out.push({ where, kind: o.type, text: o.text, verbatim: o.verbatim });
    for (const child of Object.values(o)) textObjects(child, where, out);
  }
  return out;
}

/** A message body (chat.* arguments, a response_url post, an acknowledgement): its `text` and its blocks. */
function messageFields(body: Record<string, unknown>, where: string): Field[] {
  const fields: Field[] = [];
  if (typeof body.text === 'string')
    fields.push({
      where: `${where} text`,
      kind: body.mrkdwn === false ? 'plain_text' : 'mrkdwn',
      text: body.text,
    });
  return textObjects(body.blocks ?? [], `${where} blocks`, fields);
}

/** What Slack shows for escaped text: the three entities decoded. */
const shown = (text: string) => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

// The bot's own markup: a mention of a real id, a channel, a user group, a link.
const botToken =
  /<(?:@[UW][A-Z0-9]+|#[CGD][A-Z0-9]+|!subteam\^S[A-Z0-9]+|https?:\/\/[^\s|<>]+(?:\|[^<>]*)?)>/g;

/** What is wrong with a field as Slack would read it. */
function problems(field: Field): string[] {
  const found: string[] = [];
  for (const raw of ['<!channel', '<!here', '<@U0EVIL', '<http://evil'])
    if (field.text.includes(raw)) found.push(`unescaped ${raw}`);
  const rest = field.kind === 'mrkdwn' ? field.text.replace(botToken, '') : field.text;
  if (/[<>]/.test(rest)) found.push('a raw < or > outside the bot’s own mentions and links');
  if (/&(?!amp;|lt;|gt;)/.test(field.text)) found.push('a raw &');
  // Block Kit mrkdwn would otherwise auto-link names and parse some mentions in people's text.
  if (field.kind === 'mrkdwn' && !field.where.endsWith(' text') && field.verbatim !== true)
    found.push('mrkdwn without verbatim: true');
  return found;
}

function expectClean(fields: Field[]): void {
  const bad = fields.flatMap((f) => problems(f).map((p) => `${f.where}: ${p} in ${JSON.stringify(f.text)}`));
  expect(bad).toEqual([]);
}

/** The message's blocks and its top-level text both show `needle` intact, and nothing leaks. */
function expectShows(body: Record<string, unknown>, needle: string, where: string, inText = true): void {
  const fields = messageFields(body, where);
  expectClean(fields);
  const blocks = fields.filter((f) => !f.where.endsWith(' text'));
  expect(shown(blocks.map((f) => f.text).join('\n')), `${where} blocks`).toContain(needle);
  if (inText) expect(shown(String(body.text)), `${where} text`).toContain(needle);
}

const asBody = (m: ShownMessage) => ({ text: m.text, blocks: m.blocks });

describe('text from people and Atlas reaches Slack escaped, in every field Slack reads', () => {
  let h: BotHarness;
  let file: ReturnType<typeof policyFile>;
  let stagingId: string;
  let prodId: string;
  let bucketId: string;
  let snapshotId: string;
  const acks: { where: string; body: Record<string, unknown> }[] = [];

  beforeAll(async () => {
    file = policyFile(policy);
    h = await BotHarness.start({
      approvals: { env: file.env, approvalsChannel, auditChannel },
      bot: { banner: LONG },
    });
    // Atlas-supplied names and descriptions, as hostile as people's text.
    const staging = seededProject(h, 'Staging');
    const prod = seededProject(h, 'Production');
    stagingId = staging.id;
    prodId = prod.id;
    bucketId = staging.exportBucketIds[0] as string;
    const store = h.sim.store;
    (store.getProject(stagingId) as { name: string }).name = STAGING;
    (store.getProject(prodId) as { name: string }).name = PROD;
    (store.getExportBucket(stagingId, bucketId) as { bucketName: string }).bucketName = BUCKET;
    const snap = completedSnapshot(h.sim, stagingId, 'orders-staging');
    snap.description = DESC;
    snapshotId = snap.id;
  });
  afterAll(async () => {
    await h?.close();
    file?.remove();
  });

  async function ack(text: string, options: Parameters<BotHarness['command']>[1] = {}) {
    const res = await h.command(text, options);
    if (res.json) acks.push({ where: `ack of /atlas ${text}`, body: res.json });
    return res;
  }

  it('in replies and ephemeral errors, top-level text included', async () => {
    const help = await ack('help');
    expectShows(help.json ?? {}, LONG, 'help');

    const unknown = await ack(`use "${LONG}"`);
    const error = await h.responseTo(unknown.responseUrl, 1, 'the error');
    expect(error.body.response_type).toBe('ephemeral');
    expectShows(error.body, `No project named ${LONG}`, 'ephemeral error');

    const badName = await ack(`snapshots "${LONG}" --project ${stagingId}`);
    expectShows(badName.json ?? {}, LONG, 'usage error on a name');
    const badNumber = await ack(`snapshots orders-staging --limit "${LONG}"`);
    expectShows(badNumber.json ?? {}, LONG, 'usage error on a number');

    const use = await ack(`use ${stagingId}`);
    expectShows((await h.responseTo(use.responseUrl, 1, 'the notice')).body, STAGING, 'use notice', false);
  });

  it('in lists of projects, clusters, snapshots and jobs', async () => {
    const projects = await ack('projects');
    expectShows((await h.responseTo(projects.responseUrl)).body, STAGING, 'projects', true);
    const clusters = await ack(`clusters ${stagingId}`);
    expectShows((await h.responseTo(clusters.responseUrl)).body, STAGING, 'clusters');
    const snapshots = await ack(`snapshots orders-staging --project ${stagingId}`);
    const list = (await h.responseTo(snapshots.responseUrl)).body;
    expectShows(list, STAGING, 'snapshots');
    expectShows(list, DESC, 'snapshots');
    const jobs = await ack(`jobs orders-staging --project ${stagingId}`);
    expectShows((await h.responseTo(jobs.responseUrl)).body, STAGING, 'jobs');
  });

  /** `/atlas export` with hostile custom data and reason, confirmed: the request's messages. */
  async function requestExport(): Promise<{
    id: string;
    origin: ShownMessage;
    confirmation: Record<string, unknown>;
  }> {
    const engine = h.approvals;
    if (!engine) throw new Error('no approval engine');
    const before = new Set((await engine.store.recent(1000)).map((r) => r.id));
    const res = await ack(
      `export orders-staging ${snapshotId} --bucket ${bucketId} --data "k=${LONG}" --reason "${LONG}" --project ${stagingId}`,
      { user: requester, userName: USER_NAME },
    );
    const confirmation = (await h.responseTo(res.responseUrl, 1, 'the confirmation')).body;
    const confirm = buttons(confirmation.blocks).find((b) => b.action_id === 'atlas_confirm');
    if (!confirm) throw new Error('no Confirm button');
    await h.click(confirm, { user: requester, userName: USER_NAME });
    const request = await waitFor(
      async () => (await engine.store.recent(1000)).find((r) => !before.has(r.id)),
      'the approval request',
    );
    const [origin] = await waitFor(() => {
      const posted = requestMessages(h, request.id);
      return posted.length >= 2 ? posted.filter((m) => m.channel === incident) : undefined;
    }, 'the request in both channels');
    return { id: request.id, origin: origin as ShownMessage, confirmation };
  }

  it('in the confirmation and the approval request posted to both channels, and their updates', async () => {
    const { id, origin, confirmation } = await requestExport();
    expectShows(confirmation, `Custom data: k=${LONG}`, 'confirmation');
    expectShows(confirmation, BUCKET, 'confirmation');
    for (const message of requestMessages(h, id)) {
      // The top-level text is what notifications show: the reported leak.
      expectShows(asBody(message), `k=${LONG}`, `request in ${message.channel}`);
      expectShows(asBody(message), BUCKET, `request in ${message.channel}`);
      expectShows(asBody(message), LONG, `request in ${message.channel}`, false);
    }

    // Deny with a hostile reason: the form, every message's update, the requester's notice.
    const opens = h.slack.callsTo('views.open').length;
    const click = await h.click(requestButtons(origin).deny(), { user: lead });
    const open = await waitFor(() => h.slack.callsTo('views.open')[opens], 'the deny form');
    const view = open.args.view as Record<string, unknown>;
    expectClean(textObjects(view, 'deny form'));
    expect(
      shown(
        textObjects(view, 'deny form')
          .map((f) => f.text)
          .join('\n'),
      ),
    ).toContain(BUCKET);
    await h.submitView(
      view,
      { deny_reason: { deny_reason_value: { type: 'plain_text_input', value: LONG } } },
      { user: lead },
    );
    for (const message of await untilShown(h, id, 'Denied', 2))
      expectShows(asBody(message), `“${LONG}”`, `denied request in ${message.channel}`, false);
    const told = await waitFor(
      () => h.slack.threadReplies(incident, origin.ts).find((m) => m.text.includes('Denied')),
      'the requester told',
    );
    expectShows(asBody(told), LONG, 'requester notice');
    expectShows((await answerTo(h, click.responseUrl)).post.body, BUCKET, 'denied by you');
  });

  it('in the job message and its thread reply once a request is approved', async () => {
    const { id, origin } = await requestExport();
    const click = await h.click(requestButtons(origin).approve(), { user: lead });
    expectShows((await answerTo(h, click.responseUrl)).post.body, BUCKET, 'approved');
    await untilShown(h, id, 'Executed', 2);
    // The job message names its kind in a field; the request's messages do not.
    const job = await waitFor(
      () => h.slack.channelMessages(incident).find((m) => m.text.includes('Export job: ')),
      'the job message',
    );
    h.sim.clock.advance(60 * 60_000);
    const reply = await waitFor(() => h.slack.threadReplies(incident, job.ts)[0], 'the thread reply');
    expectShows(asBody(h.slack.messages.get(`${incident}/${job.ts}`) as ShownMessage), BUCKET, 'job message');
    expectShows(asBody(reply), BUCKET, 'job reply');
  });

  it('in the open requests list, the audit trail and the audit channel', async () => {
    await requestExport();
    const list = await ack('approvals');
    const open = (await h.responseTo(list.responseUrl)).body;
    expectShows(open, LONG, 'open requests', false);
    expectShows(open, BUCKET, 'open requests');

    const audit = await ack('audit 50');
    const trail = (await h.responseTo(audit.responseUrl)).body;
    expectShows(trail, USER_NAME, 'audit trail');
    expectShows(trail, LONG, 'audit trail');

    await h.bot.idle();
    await h.approvalStack?.auditChannel?.flush();
    const lines = h.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === auditChannel);
    expect(lines.length).toBeGreaterThan(0);
    const all = lines.map((c) => c.args);
    for (const args of all) expectClean(messageFields(args, 'audit channel'));
    expect(shown(all.map((a) => String(a.text)).join('\n'))).toContain(USER_NAME);
    expect(shown(all.map((a) => String(a.text)).join('\n'))).toContain(LONG);
  });

  it('in forms: project and bucket options, and the typed-phrase form on production', async () => {
    // The forms start from the channel's default project.
    const forms = 'C0FORMS';
    const use = await ack(`use ${stagingId}`, { channel: forms });
    await h.responseTo(use.responseUrl, 1, 'the new default');
    const views = () => h.slack.calls.filter((c) => c.method.startsWith('views.'));
    const before = views().length;
    await ack('restore', { channel: forms });
    const restoreForm = await waitFor(
      () =>
        views()
          .slice(before)
          .find((c) => JSON.stringify(c.args.view).includes('form_project')),
      'the restore form with its projects',
    );
    const restoreFields = textObjects(restoreForm.args.view, 'restore form');
    expectClean(restoreFields);
    expect(restoreFields.map((f) => shown(f.text))).toContain(STAGING);
    expect(restoreFields.map((f) => shown(f.text))).toContain(PROD);

    const mark = views().length;
    await ack('export', { channel: forms });
    const exportForm = await waitFor(
      () =>
        views()
          .slice(mark)
          .find((c) => JSON.stringify(c.args.view).includes('form_bucket')),
      'the export form with its buckets',
    );
    const exportFields = textObjects(exportForm.args.view, 'export form');
    expectClean(exportFields);
    expect(exportFields.map((f) => shown(f.text)).join('\n')).toContain(BUCKET);

    const prodSnap = completedSnapshot(h.sim, prodId, 'orders-prod');
    const res = await ack(`restore orders-prod ${prodSnap.id} --to orders-prod --project ${prodId}`);
    const confirmation = (await h.responseTo(res.responseUrl, 1, 'the confirmation')).body;
    expectShows(confirmation, PROD, 'production confirmation', false);
    const confirm = buttons(confirmation.blocks).find((b) => b.action_id === 'atlas_confirm');
    const opens = h.slack.callsTo('views.open').length;
    await h.click(confirm as { action_id: string; value: string });
    const phrase = await waitFor(() => h.slack.callsTo('views.open')[opens], 'the phrase form');
    const phraseFields = textObjects(phrase.args.view, 'phrase form');
    expectClean(phraseFields);
    expect(phraseFields.map((f) => shown(f.text)).join('\n')).toContain(PROD);
  });

  it('nowhere: no call, response_url post or acknowledgement carries unescaped text', async () => {
    await h.bot.idle();
    const fields: Field[] = [];
    for (const call of h.slack.calls) {
      if (call.method.startsWith('chat.')) fields.push(...messageFields(call.args, call.method));
      else if (call.method.startsWith('views.')) fields.push(...textObjects(call.args.view, call.method));
    }
    for (const post of h.slack.responsePosts) fields.push(...messageFields(post.body, 'response_url'));
    for (const a of acks) fields.push(...messageFields(a.body, a.where));
    expect(fields.length).toBeGreaterThan(100);
    expectClean(fields);
  });
});
