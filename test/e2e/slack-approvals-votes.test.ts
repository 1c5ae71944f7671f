import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  answerTo,
  policyFile,
  requestButtons,
  requestMessages,
  requestRestore,
  restoreCreates,
  untilShown,
} from '../support/slack/approvals.js';
import { waitFor } from '../support/slack/fake-slack.js';
import { BotHarness, blockText } from '../support/slack/harness.js';

const incident = 'C0INCIDENT';
const leads = ['U0LEADAAAA', 'U0LEADBBBB', 'U0LEADCCCC'];

/** Production-style rules for Staging: two of three leads for a restore, listed by id (no user groups). */
const policy = `
version: 1
rules:
  - name: restores need two of the three leads
    actions: [restore.automated, restore.pointInTime]
    approval:
      required: 2
      approvers: { users: [${leads.join(', ')}] }
      ttl: 1h
  - name: downloads need anyone else
    actions: [restore.download]
    approval: { required: 1 }
  - name: everything else is open
    actions: [read, snapshot, export, restore.cancel]
`;

describe('votes, denials and cancellations', () => {
  let h: BotHarness;
  let file: ReturnType<typeof policyFile>;
  beforeAll(async () => {
    file = policyFile(policy);
    h = await BotHarness.start({ approvals: { env: file.env } });
  });
  afterAll(async () => {
    await h?.close();
    file?.remove();
  });

  it('needs two of the three leads: the first vote is recorded, the second runs it once', async () => {
    const before = restoreCreates(h);
    const { request, origin } = await requestRestore(h);
    expect(blockText(origin.blocks)).toContain(
      `2 approvals from <@${leads[0]}>, <@${leads[1]}> or <@${leads[2]}>`,
    );
    const approve = requestButtons(origin).approve();

    const first = await h.click(approve, { user: leads[0] });
    expect(first.status).toBe(200);
    expect((await answerTo(h, first.responseUrl)).text).toContain('Your approval is recorded: 1 of 2');
    await untilShown(h, request.id, `approved by <@${leads[0]}> (1 of 2); 1 more approval needed`);
    expect(requestButtons(requestMessages(h, request.id)[0]!).all).toHaveLength(3);

    // The same lead again counts once.
    const again = await h.click(approve, { user: leads[0] });
    const againAnswer = await answerTo(h, again.responseUrl);
    expect(againAnswer.text).toContain('ALREADY_VOTED');
    await h.bot.idle();
    expect(restoreCreates(h)).toBe(before);
    expect((await h.approvals?.get(request.id))?.state).toBe('open');

    const second = await h.click(approve, { user: leads[2] });
    expect((await answerTo(h, second.responseUrl)).text).toContain('Approved.');
    const [shown] = await untilShown(h, request.id, 'Executed');
    expect(blockText(shown?.blocks)).toContain(`approved by <@${leads[0]}>, <@${leads[2]}> (2 of 2)`);
    expect(restoreCreates(h)).toBe(before + 1);
    const notices = h.slack.threadReplies(incident, origin.ts).map((m) => blockText(m.blocks));
    expect(notices.some((t) => t.includes(`<@${leads[0]}> approved your request (1 of 2)`))).toBe(true);
  });

  it('runs once when fifty Approve clicks arrive at the same moment', async () => {
    const before = restoreCreates(h);
    const { request, projectId, origin } = await requestRestore(h);
    const jobsBefore = h.sim.store.listRestoreJobs(projectId, 'orders-staging').length;
    const approve = requestButtons(origin).approve();
    // The three leads, each clicking several times, and people who may not approve.
    const users = Array.from({ length: 50 }, (_, i) => (i % 5 < 3 ? leads[i % 5]! : `U0OTHER${i}`));
    const clicks = await Promise.all(users.map((user) => h.click(approve, { user })));
    expect(clicks.map((c) => c.status)).toEqual(users.map(() => 200));

    await untilShown(h, request.id, 'Executed');
    await h.bot.idle();
    expect(restoreCreates(h)).toBe(before + 1);
    expect(h.sim.store.listRestoreJobs(projectId, 'orders-staging')).toHaveLength(jobsBefore + 1);
    const stored = await h.approvals?.get(request.id);
    expect(stored?.state).toBe('executed');
    expect(stored?.votes).toHaveLength(2);

    // Every click got an answer; exactly one of them approved it.
    const answers = await Promise.all(clicks.map((c) => answerTo(h, c.responseUrl)));
    expect(answers.filter((a) => a.text.includes('Approved.'))).toHaveLength(1);
    expect(answers.filter((a) => a.text.includes('Your approval is recorded'))).toHaveLength(1);
    expect(answers.every((a) => a.ephemeral)).toBe(true);
    // The others are refused, either as not listed or, once it is decided, as too late.
    users.forEach((user, i) => {
      if (!leads.includes(user)) expect(answers[i]?.text).toMatch(/NOT_AN_APPROVER|REQUEST_CLOSED/);
    });
  });

  it('runs once when Slack delivers the same click again', async () => {
    const before = restoreCreates(h);
    const { request, origin } = await requestRestore(h);
    const approve = requestButtons(origin).approve();
    await h.click(approve, { user: leads[1], triggerId: `${request.id}.t1` });
    const payload = await h.click(approve, { user: leads[2], triggerId: `${request.id}.t2` });
    const retry = await h.interact({}, { rawBody: payload.body, retryNum: 1 });
    expect(retry.status).toBe(200);
    await untilShown(h, request.id, 'Executed');
    await h.bot.idle();
    expect(restoreCreates(h)).toBe(before + 1);
    expect(h.slack.postsTo(payload.responseUrl)).toHaveLength(1);
  });

  it('asks a reason to deny, tells the requester, and never runs it', async () => {
    const before = restoreCreates(h);
    const { request, origin } = await requestRestore(h);
    const opens = h.slack.callsTo('views.open').length;

    // The requester cannot deny their own request (they cancel it): told at once, no form.
    const own = await h.click(requestButtons(origin).deny(), { user: 'U0ONCALL1' });
    expect((await answerTo(h, own.responseUrl)).text).toContain('You cannot deny your own request');
    expect(h.slack.callsTo('views.open')).toHaveLength(opens);

    const click = await h.click(requestButtons(origin).deny(), { user: leads[1] });
    expect(click.status).toBe(200);
    const open = await waitFor(() => h.slack.callsTo('views.open')[opens], 'the deny form');
    const view = open.args.view as Record<string, unknown>;
    expect(view.callback_id).toBe('atlas_approval_deny_reason');
    expect(blockText(view.blocks)).toContain('Why do you deny it?');

    const blank = await h.submitView(
      view,
      { deny_reason: { deny_reason_value: { type: 'plain_text_input', value: '   ' } } },
      { user: leads[1] },
    );
    expect(blank.json).toEqual({
      response_action: 'errors',
      errors: { deny_reason: 'Say why you deny it.' },
    });

    const submitted = await h.submitView(
      view,
      {
        deny_reason: {
          deny_reason_value: { type: 'plain_text_input', value: 'Restore from the 06:00 snapshot <instead>' },
        },
      },
      { user: leads[1] },
    );
    expect(submitted.status).toBe(200);
    expect(submitted.text).toBe('');
    const [shown] = await untilShown(h, request.id, 'Denied');
    expect(blockText(shown?.blocks)).toContain(
      `Denied* by <@${leads[1]}>: “Restore from the 06:00 snapshot <instead>”. Nothing was done.`,
    );
    expect(requestButtons(shown!).all).toEqual([]);
    const told = await waitFor(
      () =>
        h.slack
          .threadReplies(incident, origin.ts)
          .map((m) => blockText(m.blocks))
          .find((t) => t.includes('Denied')),
      'the requester told',
    );
    expect(told).toContain('<@U0ONCALL1>');
    expect(told).toContain('Restore from the 06:00 snapshot');
    expect((await answerTo(h, click.responseUrl)).text).toContain('You denied the request');

    // Approving afterwards does nothing.
    const late = await h.click(
      { action_id: 'atlas_approval_approve', value: request.id },
      { user: leads[0] },
    );
    expect((await answerTo(h, late.responseUrl)).text).toContain('was denied by');
    await h.bot.idle();
    expect(restoreCreates(h)).toBe(before);
    expect((await h.approvalStack?.auditLog.forRequest(request.id))?.map((e) => e.event)).toEqual(
      expect.arrayContaining(['requested', 'refused', 'denied']),
    );
  });

  it('lets only the requester cancel', async () => {
    const before = restoreCreates(h);
    const { request, origin } = await requestRestore(h);
    const cancel = requestButtons(origin).cancel();
    expect(cancel.value).toBe(request.id);

    const other = await h.click(cancel, { user: leads[0] });
    const refusal = await answerTo(h, other.responseUrl);
    expect(refusal.ephemeral).toBe(true);
    expect(refusal.text).toContain('NOT_REQUESTER');
    expect(refusal.text).toContain('Only the person who made the request can cancel it.');
    await h.bot.idle();
    expect((await h.approvals?.get(request.id))?.state).toBe('open');

    const mine = await h.click(cancel, { user: 'U0ONCALL1' });
    expect((await answerTo(h, mine.responseUrl)).text).toContain('You cancelled the request');
    const [shown] = await untilShown(h, request.id, 'Cancelled');
    expect(blockText(shown?.blocks)).toContain(
      '*Cancelled* by <@U0ONCALL1>, who requested it. Nothing was done.',
    );
    expect(requestButtons(shown!).all).toEqual([]);

    const late = await h.click(
      { action_id: 'atlas_approval_approve', value: request.id },
      { user: leads[0] },
    );
    expect((await answerTo(h, late.responseUrl)).text).toContain('was cancelled by');
    await h.bot.idle();
    expect(restoreCreates(h)).toBe(before);
  });
});
