import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MINUTE,
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
const approvalsChannel = 'C0APPROVALS';
const auditChannel = 'C0AUDITLOG';
const lead = 'U0LEAD0001';
const dba = 'U0DBA00001';

const policy = `
version: 1
rules:
  - name: restores need a lead or a DBA
    actions: [restore.automated, restore.pointInTime, restore.download]
    approval:
      required: 1
      approvers: { users: [${lead}], usergroups: [S0DBATEAM] }
      ttl: 2h
  - name: everything else is open
    actions: [read, snapshot, export, restore.cancel]
`;

/** A restore sent for approval, approved, run once and followed, all through Slack. */
describe('approval requests in Slack', () => {
  let h: BotHarness;
  let file: ReturnType<typeof policyFile>;
  beforeAll(async () => {
    file = policyFile(policy);
    h = await BotHarness.start({ approvals: { env: file.env, approvalsChannel, auditChannel } });
    h.slack.userGroups.set('S0DBATEAM', [dba, 'U0DBA00002']);
  });
  afterAll(async () => {
    await h?.close();
    file?.remove();
  });

  it('posts the request in the approvals channel and the requester channel with what will happen', async () => {
    const before = restoreCreates(h);
    const { request, snapshotId, origin } = await requestRestore(h, {
      reason: 'INC-42 bad migration',
      messages: 2,
    });
    expect(request.state).toBe('open');
    const shown = requestMessages(h, request.id);
    expect(shown.map((m) => m.channel).sort()).toEqual([approvalsChannel, incident].sort());
    for (const message of shown) {
      const text = blockText(message.blocks);
      expect(text).toContain(`Restore snapshot ${snapshotId} of orders-staging onto orders-staging`);
      expect(text).toMatch(new RegExp(`Source: snapshot ${snapshotId} of orders-staging, taken \\d{4}-`));
      expect(text).toContain('Target: cluster orders-staging in project Staging');
      expect(text).toContain('Every database on orders-staging will be replaced');
      expect(text).toContain('*Requested by*\n<@U0ONCALL1>');
      expect(text).toContain('INC-42 bad migration');
      expect(text).toContain(`1 approval from <@${lead}> or a member of <!subteam^S0DBATEAM>`);
      expect(text).toContain(`${request.expiresAt.slice(0, 16).replace('T', ' ')} UTC`);
      expect(text).toContain('Waiting for approval');
      expect(requestButtons(message).all.map((b) => b.text)).toEqual(['Approve', 'Deny…', 'Cancel request']);
      expect(requestButtons(message).approve().value).toBe(request.id);
    }
    expect(origin.channel).toBe(incident);
    await h.bot.idle();
    expect(restoreCreates(h)).toBe(before);
  });

  it('refuses the requester approving their own request, and anyone not listed, saying why', async () => {
    const { request, origin } = await requestRestore(h);
    const approve = requestButtons(origin).approve();

    const own = await h.click(approve, { user: 'U0ONCALL1' });
    expect(own.status).toBe(200);
    const ownAnswer = await answerTo(h, own.responseUrl);
    expect(ownAnswer.ephemeral).toBe(true);
    expect(ownAnswer.text).toContain('You cannot approve your own request.');
    expect(ownAnswer.text).toContain('SELF_APPROVAL');

    const stranger = await h.click(approve, { user: 'U0STRANGER', channel: approvalsChannel });
    const strangerAnswer = await answerTo(h, stranger.responseUrl);
    expect(strangerAnswer.ephemeral).toBe(true);
    expect(strangerAnswer.text).toContain('NOT_AN_APPROVER');
    expect(strangerAnswer.text).toContain('you are not an approver');
    expect(strangerAnswer.text).toContain(`<@${lead}> or a member of <!subteam^S0DBATEAM>`);

    await h.bot.idle();
    expect((await h.approvals?.get(request.id))?.state).toBe('open');
    expect((await h.approvals?.get(request.id))?.votes).toEqual([]);
    const refused = (await h.approvalStack?.auditLog.forRequest(request.id))?.filter(
      (e) => e.event === 'refused',
    );
    expect(refused?.map((e) => e.error?.code)).toEqual(['SELF_APPROVAL', 'NOT_AN_APPROVER']);
  });

  it('runs the restore once when the right person approves, updates every message in place and follows the job', async () => {
    const before = restoreCreates(h);
    const { request, projectId, origin } = await requestRestore(h);
    const jobsBefore = h.sim.store.listRestoreJobs(projectId, 'orders-staging').length;
    const posted = h.slack.channelMessages(incident).length;
    const approve = requestButtons(origin).approve();

    // A member of the DBA user group, read from Slack's usergroups.users.list.
    const click = await h.click(approve, { user: dba, userName: 'dba', channel: approvalsChannel });
    expect(click.status).toBe(200);
    expect(click.text).toBe('');
    const answer = await answerTo(h, click.responseUrl);
    expect(answer.text).toContain('Approved.');

    const executed = await untilShown(h, request.id, 'Executed', 2);
    for (const message of executed) {
      const text = blockText(message.blocks);
      expect(text).toContain(`approved by <@${dba}> (1 of 1)`);
      expect(text).toMatch(
        /Restore job [0-9a-f]{24} \(automated\) from orders-staging to orders-staging started/,
      );
      expect(requestButtons(message).all).toEqual([]);
      expect(message.updates).toBeGreaterThanOrEqual(1);
    }
    // Edited in place: still exactly the two messages about the request.
    expect(requestMessages(h, request.id)).toHaveLength(2);
    expect(h.slack.callsTo('usergroups.users.list').some((c) => c.args.usergroup === 'S0DBATEAM')).toBe(true);

    const stored = await h.approvals?.get(request.id);
    expect(stored?.state).toBe('executed');
    const jobId = stored?.execution?.atlasJobId as string;
    expect(h.sim.store.listRestoreJobs(projectId, 'orders-staging')).toHaveLength(jobsBefore + 1);
    expect(restoreCreates(h)).toBe(before + 1);

    // The requester is told in the thread of their message.
    const told = await waitFor(
      () =>
        h.slack
          .threadReplies(incident, origin.ts)
          .map((m) => blockText(m.blocks))
          .find((t) => t.includes('Executed')),
      'the requester told it ran',
    );
    expect(told).toContain('<@U0ONCALL1>');
    const approvedNotice = h.slack
      .threadReplies(incident, origin.ts)
      .map((m) => blockText(m.blocks))
      .find((t) => t.includes('your request was approved'));
    expect(approvedNotice).toContain(`<@${dba}> (1 of 1)`);

    // The job is followed like a direct restore: its own message, edited to the end, and a thread reply.
    const jobMessage = await waitFor(
      () =>
        h.slack
          .channelMessages(incident)
          .slice(posted)
          .find((m) => blockText(m.blocks).includes(jobId) && !blockText(m.blocks).includes('Request `')),
      'the job message',
    );
    h.sim.clock.advance(6 * MINUTE);
    await waitFor(
      () => blockText(h.slack.messages.get(`${incident}/${jobMessage.ts}`)?.blocks).includes('succeeded'),
      'the job message to show the restore finished',
    );
    await waitFor(() => h.slack.threadReplies(incident, jobMessage.ts)[0], 'the job thread reply');
    expect(restoreCreates(h)).toBe(before + 1);

    // A late click changes nothing and says why.
    const late = await h.click(approve, { user: lead });
    const lateAnswer = await answerTo(h, late.responseUrl);
    expect(lateAnswer.text).toContain('REQUEST_CLOSED');
    expect(lateAnswer.text).toContain('already been approved and carried out');
    await h.bot.idle();
    expect(restoreCreates(h)).toBe(before + 1);
  });

  it('copies every audit entry to the audit channel, one line each', async () => {
    await h.bot.idle();
    await h.approvalStack?.auditChannel?.flush();
    const lines = h.slack
      .channelMessages(auditChannel)
      .flatMap((m) => m.text.split('\n'))
      .filter(Boolean);
    const entries = (await h.approvalStack?.auditLog.count()) ?? 0;
    expect(entries).toBeGreaterThan(5);
    expect(lines).toHaveLength(entries);
    expect(lines.some((l) => /\*approved\* `restore\.automated` by dba \(U0DBA00001\)/.test(l))).toBe(true);
    expect(lines.some((l) => l.includes('*refused*') && l.includes('SELF_APPROVAL'))).toBe(true);
    // Named, never mentioned: posting the trail notifies nobody.
    expect(lines.join('\n')).not.toMatch(/<@U/);
  });
});
