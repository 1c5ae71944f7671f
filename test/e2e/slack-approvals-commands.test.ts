import { loadSlackConfig } from '@atlas-backups/slackbot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  answerTo,
  completedSnapshot,
  policyFile,
  requestButtons,
  requestMessages,
  requestRestore,
  seededProject,
  untilShown,
} from '../support/slack/approvals.js';
import { waitFor } from '../support/slack/fake-slack.js';
import { BotHarness, blockText, buttons } from '../support/slack/harness.js';

const incident = 'C0INCIDENT';

/** Asks for a change that policy sends for approval and returns the new request's id. */
async function requestThroughResponseUrl(h: BotHarness, text: string, user = 'U0ALICE001'): Promise<string> {
  const before = new Set((await h.approvals?.store.recent(1000))?.map((r) => r.id));
  const res = await h.command(text, { user });
  const confirmation = await h.responseTo(res.responseUrl);
  const confirm = buttons(confirmation.body.blocks)[0] as { action_id: string; value: string };
  await h.click(confirm, { user });
  const request = await waitFor(
    async () => (await h.approvals?.store.recent(1000))?.find((r) => !before.has(r.id)),
    'the stored request',
  );
  return request.id;
}

const policy = `
version: 1
rules:
  - name: contractors only read Staging
    effect: deny
    actions: ['*']
    projects: [{ name: Production }]
    users: [U0CONTRACT]
  - name: restores need anyone else
    actions: [restore.automated, restore.pointInTime, restore.download]
    approval: { required: 1, ttl: 3h }
  - name: everything else is open
    actions: [read, snapshot, export, restore.cancel]
`;

describe('/atlas approvals and /atlas audit', () => {
  let h: BotHarness;
  let file: ReturnType<typeof policyFile>;
  beforeAll(async () => {
    file = policyFile(policy);
    // No approvals channel: requests are posted only in the requester's channel.
    h = await BotHarness.start({ approvals: { env: file.env } });
  });
  afterAll(async () => {
    await h?.close();
    file?.remove();
  });

  it('lists both in /atlas help', async () => {
    const res = await h.command('help');
    const text = blockText(res.json?.blocks);
    expect(text).toContain('/atlas approvals');
    expect(text).toContain('/atlas audit [N]');
    expect(text).toContain('--reason');
  });

  it('posts a request only as a reply to the requester when there is no approvals channel', async () => {
    const { request } = await requestRestore(h, { user: 'U0ALICE001', reason: 'INC-7' });
    await h.bot.idle();
    expect(requestMessages(h, request.id).map((m) => m.channel)).toEqual([incident]);
  });

  it('lists open requests: who, what, votes needed, expiry', async () => {
    const second = await requestRestore(h, { user: 'U0BOB00001' });
    const res = await h.command('approvals', { user: 'U0CAROL001' });
    expect(res.status).toBe(200);
    const post = await h.responseTo(res.responseUrl);
    expect(post.body.response_type).toBe('in_channel');
    const text = blockText(post.body.blocks);
    const open = (await h.approvals?.listOpen()) ?? [];
    expect(open).toHaveLength(2);
    expect(text).toContain('Open approval requests* (2)');
    for (const r of open) {
      expect(text).toContain(r.preview.title);
      expect(text).toContain(`by <@${r.requester.id}>`);
      expect(text).toContain(
        `0 of 1 approvals from anyone except the requester; expires ${r.expiresAt.slice(0, 16).replace('T', ' ')} UTC`,
      );
      expect(text).toContain(r.id);
    }
    expect(text).toContain('“INC-7”');

    // Closed requests leave the list.
    await h.click(requestButtons(second.origin).approve(), { user: 'U0CAROL001' });
    await untilShown(h, second.request.id, 'Executed');
    const after = await h.command('approvals');
    const afterText = blockText((await h.responseTo(after.responseUrl)).body.blocks);
    expect(afterText).toContain('(1)');
    expect(afterText).not.toContain(second.request.id);
  });

  it('hides requests on projects the person may not read', async () => {
    const prod = seededProject(h, 'Production');
    const snap = completedSnapshot(h.sim, prod.id, 'orders-prod');
    const id = await requestThroughResponseUrl(
      h,
      `restore orders-prod ${snap.id} --download --project Production`,
    );
    await waitFor(() => requestMessages(h, id).length === 1, 'the production request message');

    const everyone = await h.command('approvals', { user: 'U0CAROL001' });
    const all = blockText((await h.responseTo(everyone.responseUrl)).body.blocks);
    expect(all).toContain('(2)');
    expect(all).toContain(id);
    const contractor = await h.command('approvals', { user: 'U0CONTRACT' });
    const visible = blockText((await h.responseTo(contractor.responseUrl)).body.blocks);
    expect(visible).toContain('(1)');
    expect(visible).not.toContain(id);
    expect(visible).not.toContain('orders-prod');
  });

  it('shows the latest audit entries privately, newest first, at most 50', async () => {
    await h.bot.idle();
    const res = await h.command('audit 5', { user: 'U0CAROL001' });
    expect(res.status).toBe(200);
    const post = await h.responseTo(res.responseUrl);
    expect(post.body.response_type).toBe('ephemeral');
    const text = blockText(post.body.blocks);
    const latest = (await h.approvalStack?.auditLog.latest(5)) ?? [];
    expect(latest).toHaveLength(5);
    expect(text).toContain('Audit trail*: the latest 5, newest first');
    const lines = text.split('\n').filter((l) => l.startsWith('`20'));
    expect(lines).toHaveLength(5);
    latest.forEach((entry, i) => {
      expect(lines[i]).toContain(`*${entry.event}* \`${entry.action}\``);
      expect(lines[i]).toContain(entry.at.slice(0, 19).replace('T', ' '));
    });
    expect(text).toMatch(/\*executed\* `restore\.automated` by .*— Restore job [0-9a-f]{24}/);
    expect(text).toMatch(/\*approved\* `restore\.automated` by oncall \(U0CAROL001\)/);
    for (const block of post.body.blocks as { text?: { text: string } }[])
      expect(block.text?.text.length ?? 0).toBeLessThanOrEqual(3000);

    const fallback = await h.command('audit');
    expect(blockText((await h.responseTo(fallback.responseUrl)).body.blocks)).toMatch(/the latest (\d+)/);

    const tooMany = await h.command('audit 51');
    expect(tooMany.json?.response_type).toBe('ephemeral');
    expect(blockText(tooMany.json?.blocks)).toContain(
      'the number of entries must be between 1 and 50, got 51',
    );
  });

  it('still posts the request where it can when the bot is not in the requester channel', async () => {
    await h.bot.idle();
    h.slack.failNext('chat.postMessage', { error: 'not_in_channel' });
    const staging = seededProject(h, 'Staging');
    const snap = completedSnapshot(h.sim, staging.id, 'orders-staging');
    const res = await h.command(`restore orders-staging ${snap.id} --download --project Staging`, {
      channel: 'C0PRIVATE1',
    });
    const confirmation = await h.responseTo(res.responseUrl);
    const confirm = buttons(confirmation.body.blocks)[0] as { action_id: string; value: string };
    const click = await h.click(confirm, { channel: 'C0PRIVATE1' });
    const reply = await waitFor(
      () =>
        h.slack.postsTo(click.responseUrl).find((p) => blockText(p.body.blocks).includes('Approval needed')),
      'the request posted through the response_url',
    );
    expect(reply.body.response_type).toBe('in_channel');
    expect(blockText(reply.body.blocks)).toContain('Invite the bot to this channel');
    expect(buttons(reply.body.blocks).map((b) => b.text)).toEqual(['Approve', 'Deny…', 'Cancel request']);
    // Its buttons work all the same.
    const approve = buttons(reply.body.blocks)[0] as { action_id: string; value: string };
    const approved = await h.click(approve, { user: 'U0CAROL001', channel: 'C0PRIVATE1' });
    expect((await answerTo(h, approved.responseUrl)).text).toContain('Approved.');
    await waitFor(
      async () => (await h.approvals?.get(approve.value))?.state === 'executed',
      'the download links job',
    );
  });
});

describe('a reason given in the restore form', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await BotHarness.start({ approvals: {} });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('reaches the approvers', async () => {
    const staging = seededProject(h, 'Staging');
    const snap = completedSnapshot(h.sim, staging.id, 'orders-staging');
    const res = await h.command('restore', { user: 'U0ALICE001' });
    const open = await waitFor(() => h.slack.callsTo('views.open')[0], 'the restore form');
    const view = { ...(open.args.view as Record<string, unknown>), id: 'V00000001' };
    const selected = (value: string) => ({ type: 'static_select', selected_option: { value } });
    const submitted = await h.submitView(
      view,
      {
        form_project: { form_project: selected(staging.id) },
        [`form_cluster@${staging.id}`]: { form_cluster: selected('orders-staging') },
        [`form_snapshot@${staging.id}/orders-staging`]: { form_snapshot: selected(snap.id) },
        form_delivery: { form_delivery: { type: 'radio_buttons', selected_option: { value: 'download' } } },
        form_reason: {
          form_reason: { type: 'plain_text_input', value: ' INC-9: fetch the audit collection ' },
        },
      },
      { user: 'U0ALICE001' },
    );
    expect(submitted.status).toBe(200);
    const confirmation = await h.responseTo(res.responseUrl);
    const confirm = buttons(confirmation.body.blocks)[0] as { action_id: string; value: string };
    await h.click(confirm, { user: 'U0ALICE001' });
    const request = await waitFor(async () => (await h.approvals?.listOpen())?.[0], 'the request');
    expect(request.reason).toBe('INC-9: fetch the audit collection');
    const [shown] = await waitFor(() => {
      const m = requestMessages(h, request.id);
      return m.length > 0 ? m : undefined;
    }, 'the request message');
    expect(blockText(shown?.blocks)).toContain('*Reason*\nINC-9: fetch the audit collection');
  });
});

describe('approval configuration', () => {
  const base = { SLACK_BOT_TOKEN: 'xoxb-1-2-secret', SLACK_SIGNING_SECRET: 'shh' };

  it('reads the approvals and audit channel ids', () => {
    const config = loadSlackConfig({
      ...base,
      ATLAS_APPROVALS_CHANNEL: 'C0APPROVALS',
      ATLAS_AUDIT_CHANNEL: 'G0AUDIT01',
    });
    expect(config.approvalsChannel).toBe('C0APPROVALS');
    expect(config.auditChannel).toBe('G0AUDIT01');
    expect(loadSlackConfig(base).approvalsChannel).toBeUndefined();
  });

  it.each([
    ['ATLAS_APPROVALS_CHANNEL', '#approvals'],
    ['ATLAS_AUDIT_CHANNEL', 'audit-log'],
  ])('refuses a channel name in %s, naming the variable', (variable, value) => {
    let error: (Error & { variable?: string }) | undefined;
    try {
      loadSlackConfig({ ...base, [variable]: value });
    } catch (e) {
      error = e as Error & { variable?: string };
    }
    expect(error?.variable).toBe(variable);
    expect(error?.message).toContain('must be a Slack channel id such as C0123ABCD');
  });
});
