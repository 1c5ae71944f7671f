import { writeFileSync } from 'node:fs';
import { ReloadablePolicy } from '@atlas-backups/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MINUTE,
  answerTo,
  completedSnapshot,
  policyFile,
  requestButtons,
  requestMessages,
  requestRestore,
  restoreCreates,
  seededProject,
  testClock,
  untilShown,
} from '../support/slack/approvals.js';
import { waitFor } from '../support/slack/fake-slack.js';
import { BotHarness, blockText, buttons } from '../support/slack/harness.js';

const incident = 'C0INCIDENT';
const approvalsChannel = 'C0APPROVALS';
const auditChannel = 'C0AUDITLOG';
const escalationChannel = 'C0ESCALATE';
const lead = 'U0LEAD0001';
const dba = 'U0DBA00001';
const both = 'U0BOTH0001'; // a DBA and a lead
const onCall = 'U0ONCALL1';
const boss = 'U0BOSS0001';

/** Staging restores: one DBA AND one lead, an incident id as the reason, on-call may break glass. */
const policy = (ttl = '1h') => `
version: 1
rules:
  - name: restores need a DBA and a lead
    actions: [restore.automated, restore.pointInTime]
    reason: { required: true, prompt: 'the incident, e.g. INC-123', pattern: '^INC-\\d+' }
    breakGlass: { users: [${onCall}] }
    approval:
      pools:
        - { name: dba, approvers: { usergroups: [S0DBATEAM] } }
        - { name: leads, approvers: { users: [${lead}, ${both}] } }
      ttl: ${ttl}
      remindAfter: 20m
      escalate: { after: 40m, to: { users: [${boss}] }, channel: ${escalationChannel} }
  - name: everything else is open
    actions: [read, snapshot, export, restore.cancel, restore.download]
`;

/** The restore command on Staging's orders-staging, with extra words (reason, break-glass). */
async function restoreCommand(h: BotHarness, user: string, extra: string) {
  const staging = seededProject(h, 'Staging');
  const snap = completedSnapshot(h.sim, staging.id, 'orders-staging');
  return h.command(`restore orders-staging ${snap.id} --to orders-staging --project Staging ${extra}`, {
    user,
    channel: incident,
  });
}

describe('approvals for incident teams, through Slack', () => {
  const clock = testClock();
  let h: BotHarness;
  let file: ReturnType<typeof policyFile>;
  beforeAll(async () => {
    file = policyFile(policy());
    h = await BotHarness.start({
      approvals: { env: file.env, approvalsChannel, auditChannel, now: clock.now, expiryIntervalMs: 20 },
    });
    h.slack.userGroups.set('S0DBATEAM', [dba, both, 'U0DBA00002']);
  });
  afterAll(async () => {
    h?.approvalStack?.unwatchPolicy();
    await h?.close();
    file?.remove();
  });

  it('refuses a restore without a reason, or with one not in the expected form, before anything opens', async () => {
    const requests = ((await h.approvals?.recent(100)) ?? []).length;
    const missing = await restoreCommand(h, 'U0ONCALL2', '');
    const first = blockText((await h.responseTo(missing.responseUrl, 1, 'the refusal')).body.blocks);
    expect(first).toContain('REASON_REQUIRED');
    expect(first).toContain('the incident, e.g. INC-123');

    const wrong = await restoreCommand(h, 'U0ONCALL2', '--reason "the orders are gone"');
    const second = blockText((await h.responseTo(wrong.responseUrl, 1, 'the refusal')).body.blocks);
    expect(second).toContain('REASON_REQUIRED');
    expect(second).toContain('It must match ^INC-\\d+');
    expect(((await h.approvals?.recent(100)) ?? []).length).toBe(requests);
  });

  it('needs both pools: the DBA pool alone does not run it, and a person in both counts once', async () => {
    const before = restoreCreates(h);
    const { request, origin } = await requestRestore(h, { reason: 'INC-7 bad deploy', messages: 2 });
    const text = blockText(origin.blocks);
    expect(text).toContain('from a member of <!subteam^S0DBATEAM> (*dba*)');
    expect(text).toContain('Pools: *dba* 0 of 1 · *leads* 0 of 1');
    expect(text).toContain('policy: rule "restores need a DBA and a lead"');
    const approve = requestButtons(origin).approve();

    // The person in both pools approves: one pool is filled, not both.
    const first = await h.click(approve, { user: both });
    expect((await answerTo(h, first.responseUrl)).text).toContain('Your approval is recorded: 1 of 2');
    await untilShown(
      h,
      request.id,
      /Pools: :white_check_mark: \*dba\* 1 of 1 \(<@U0BOTH0001>\) · \*leads\* 0 of 1/,
      2,
    );
    await h.bot.idle();
    expect(restoreCreates(h)).toBe(before);
    expect((await h.approvals?.get(request.id))?.state).toBe('open');
    // Another DBA: the person in both moves to leads, and it runs.
    const second = await h.click(approve, { user: dba });
    expect((await answerTo(h, second.responseUrl)).text).toContain('Approved.');
    await untilShown(h, request.id, 'Executed', 2);
    await h.bot.idle();
    expect(restoreCreates(h)).toBe(before + 1);
    expect(
      (await h.approvals?.get(request.id))?.pools.map((p) => [p.name, p.votes.map((v) => v.approver.id)]),
    ).toEqual([
      ['dba', [dba]],
      ['leads', [both]],
    ]);
  });

  it('does not count a second DBA while the leads pool is empty, and does not run it', async () => {
    const before = restoreCreates(h);
    const { request, origin } = await requestRestore(h, { reason: 'INC-8', messages: 2 });
    const approve = requestButtons(origin).approve();
    await answerTo(h, (await h.click(approve, { user: dba })).responseUrl);
    const again = await h.click(approve, { user: 'U0DBA00002' });
    const refused = (await answerTo(h, again.responseUrl)).text;
    expect(refused).toContain('Not counted: your pool already has its approvals.');
    expect(refused).toContain('this request is waiting for leads');
    await h.bot.idle();
    expect(restoreCreates(h)).toBe(before);
    expect((await h.approvals?.get(request.id))?.state).toBe('open');
  });

  it('break-glass: runs once at once for on-call, announced loudly, and asks for a review', async () => {
    const before = restoreCreates(h);
    const known = new Set(((await h.approvals?.recent(1000)) ?? []).map((r) => r.id));
    const res = await restoreCommand(h, onCall, '--reason "INC-9 orders are gone" --break-glass');
    const confirmation = await h.responseTo(res.responseUrl, 1, 'the confirmation');
    const confirm = buttons(confirmation.body.blocks).find((b) => b.action_id === 'atlas_confirm');
    if (!confirm) throw new Error(`no Confirm button: ${blockText(confirmation.body.blocks)}`);
    await h.click(confirm, { user: onCall, channel: incident });
    const request = await waitFor(
      async () => ((await h.approvals?.recent(1000)) ?? []).find((r) => !known.has(r.id)),
      'the break-glass request',
    );
    const shown = await untilShown(h, request.id, 'BREAK-GLASS', 2);
    expect(shown.map((m) => m.channel).sort()).toEqual([approvalsChannel, incident].sort());
    await untilShown(h, request.id, 'Executed', 2);
    await h.bot.idle();
    expect(restoreCreates(h)).toBe(before + 1);
    expect(await h.approvals?.get(request.id)).toMatchObject({
      state: 'executed',
      votes: [],
      breakGlass: {},
    });

    await h.approvalStack?.auditChannel?.flush();
    const audit = h.slack.channelMessages(auditChannel).flatMap((m) => m.text.split('\n'));
    const loud = audit.filter((l) => l.includes(request.id) && l.includes(':rotating_light: *BREAK-GLASS*'));
    expect(loud).toHaveLength(2);
    // Each says why, in the requester's words.
    expect(loud.every((l) => l.includes('because “INC-9 orders are gone”'))).toBe(true);

    // `/atlas approvals` lists it until someone reviews it.
    const listed = async () => {
      const res = await h.command('approvals', { user: lead, channel: incident });
      return blockText((await h.responseTo(res.responseUrl)).body.blocks);
    };
    const waiting = await listed();
    expect(waiting).toContain('Break-glass actions awaiting review* (1)');
    expect(waiting).toContain(request.id);
    expect(waiting).toContain('“INC-9 orders are gone”');

    // The review: not by who ran it; by a lead, once.
    const message = requestMessages(h, request.id)[0];
    const review = buttons(message?.blocks).find((b) => b.action_id === 'atlas_approval_review');
    if (!review) throw new Error('no Acknowledge review button');
    const own = await h.click({ action_id: review.action_id, value: review.value }, { user: onCall });
    expect((await answerTo(h, own.responseUrl)).text).toContain('Someone else must review');
    const ok = await h.click({ action_id: review.action_id, value: review.value }, { user: lead });
    expect((await answerTo(h, ok.responseUrl)).text).toContain('You acknowledged the review');
    await untilShown(h, request.id, `*Reviewed* by <@${lead}>`, 2);
    expect(await listed()).not.toContain(request.id);
  });

  it('break-glass is refused for someone outside the list', async () => {
    const before = restoreCreates(h);
    const known = new Set(((await h.approvals?.recent(1000)) ?? []).map((r) => r.id));
    const res = await restoreCommand(h, 'U0ONCALL2', '--reason "INC-10" --break-glass');
    const confirmation = await h.responseTo(res.responseUrl, 1, 'the confirmation');
    const confirm = buttons(confirmation.body.blocks).find((b) => b.action_id === 'atlas_confirm');
    if (!confirm) throw new Error('no Confirm button');
    const click = await h.click(confirm, { user: 'U0ONCALL2', channel: incident });
    const answer = await h.responseTo(click.responseUrl, 2, 'the refusal');
    expect(blockText(answer.body.blocks)).toContain('POLICY_DENIED');
    expect(blockText(answer.body.blocks)).toContain(
      `break-glass under rule "restores need a DBA and a lead" is only for ${onCall}`,
    );
    await h.bot.idle();
    expect(restoreCreates(h)).toBe(before);
    expect(((await h.approvals?.recent(1000)) ?? []).filter((r) => !known.has(r.id))).toEqual([]);
  });

  it('reminds the approvers at 20 minutes and escalates at 40, never approving by time', async () => {
    const before = restoreCreates(h);
    const { request, origin } = await requestRestore(h, { reason: 'INC-11', messages: 2 });
    clock.advance(19 * MINUTE);
    await h.bot.idle();
    expect(
      h.slack
        .threadReplies(
          approvalsChannel,
          requestMessages(h, request.id).find((m) => m.channel === approvalsChannel)?.ts ?? '',
        )
        .some((m) => blockText(m.blocks).includes('Reminder')),
    ).toBe(false);

    clock.advance(2 * MINUTE);
    await untilShown(h, request.id, ':bell: Reminded', 2);
    const reminder = await waitFor(
      () =>
        h.slack
          .threadReplies(incident, origin.ts)
          .map((m) => blockText(m.blocks))
          .find((t) => t.includes('*Reminder*')),
      'the reminder in the thread',
    );
    expect(reminder).toContain(
      'still needs 2 approvals from a member of <!subteam^S0DBATEAM>, <@U0LEAD0001> or <@U0BOTH0001>',
    );

    clock.advance(20 * MINUTE);
    await untilShown(h, request.id, `:mega: Escalated`, 2);
    const escalated = await waitFor(
      () => h.slack.channelMessages(escalationChannel).find((m) => blockText(m.blocks).includes(request.id)),
      'the escalation in its channel',
    );
    expect(blockText(escalated.blocks)).toContain(`<@${boss}> may now approve it for any pool`);
    expect((await h.approvals?.get(request.id))?.state).toBe('open');
    // The boss may now approve; one more is still needed.
    const click = await h.click(requestButtons(origin).approve(), { user: boss });
    expect((await answerTo(h, click.responseUrl)).text).toContain('Your approval is recorded: 1 of 2');
    await h.bot.idle();
    expect(restoreCreates(h)).toBe(before);
  });

  it('reloads the policy: a valid new version applies to new requests only; an invalid one is refused and reported', async () => {
    const stack = h.approvalStack;
    if (!stack) throw new Error('no approval stack');
    const { request: old } = await requestRestore(h, { reason: 'INC-12', messages: 2 });

    // Valid: restores now need one approval from anyone, open 2h. The open request keeps its rule.
    writeFileSync(
      file.env.ATLAS_POLICY_FILE ?? '',
      policy('2h').replace(/pools:[\s\S]*?ttl: 2h/, 'required: 1\n      ttl: 2h'),
    );
    const reloaded = stack.reloadPolicy();
    expect(reloaded).toMatchObject({ ok: true, changed: true });
    expect((await h.approvals?.get(old.id))?.rule).toMatchObject({ required: 2, ttlMs: 3_600_000 });
    const { request: fresh } = await requestRestore(h, { reason: 'INC-13', messages: 2 });
    expect(fresh.rule).toMatchObject({ required: 1, ttlMs: 7_200_000 });

    // Invalid: refused, the version in force stays, the audit channel is told.
    writeFileSync(
      file.env.ATLAS_POLICY_FILE ?? '',
      'version: 1\nrules:\n  - actions: [restore]\n    approval: { required: 0 }\n',
    );
    expect(stack.reloadPolicy()).toMatchObject({ ok: false });
    const { request: after } = await requestRestore(h, { reason: 'INC-14', messages: 2 });
    expect(after.rule).toMatchObject({ required: 1, ttlMs: 7_200_000 });
    await stack.auditChannel?.flush();
    const audit = h.slack.channelMessages(auditChannel).flatMap((m) => m.text.split('\n'));
    expect(audit.some((l) => l.includes('*policy_reloaded*'))).toBe(true);
    const refused = audit.find((l) => l.includes('*policy_refused*'));
    expect(refused).toContain('rules[0].approval.required: must be at least 1');
    expect(refused).toContain('stays in force');
  });

  it('reloads when the file changes', async () => {
    const stack = h.approvalStack;
    const policyInForce = stack?.actions.policy;
    if (!stack || !(policyInForce instanceof ReloadablePolicy)) throw new Error('no reloadable policy');
    stack.watchPolicy();
    writeFileSync(
      file.env.ATLAS_POLICY_FILE ?? '',
      policy('3h').replace(/pools:[\s\S]*?ttl: 3h/, 'required: 1\n      ttl: 3h'),
    );
    await waitFor(
      () => (policyInForce.document.rules[0]?.approval?.ttl === 3 * 3_600_000 ? true : undefined),
      'the reload after the file changed',
    );
  });
});
