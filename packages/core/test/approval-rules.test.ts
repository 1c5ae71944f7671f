import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  FilePolicyEngine,
  StaticGroupMembership,
  assignVotes,
  createApprovalStack,
  openDatabase,
  parsePolicy,
  type Actor,
  type ApprovalChange,
  type ApprovalStack,
  type Database,
} from '../src/index.js';
import { selfRestore, served, simHarness, type SimHarness } from './support/sim.js';

const MINUTE = 60_000;

/**
 * Staging restores: a DBA and a lead (Bea is both), a reason naming an incident, on-call may break
 * glass; reminded after 20 minutes, escalated to the manager after 40, open for an hour.
 */
const policyText = `
version: 1
rules:
  - name: restores need a DBA and a lead
    actions: [restore]
    reason: { required: true, prompt: 'the incident, e.g. INC-123', pattern: '^INC-\\d+' }
    breakGlass: { usergroups: [SONCALL] }
    approval:
      pools:
        - { name: dba, approvers: { usergroups: [SDBA] } }
        - { name: leads, approvers: { users: [ULEAD1, UBEA] } }
      ttl: 1h
      remindAfter: 20m
      escalate: { after: 40m, to: { users: [UBOSS] }, channel: CESCALATE }
  - name: snapshots need a reason
    actions: [snapshot.take]
    reason: required
  - actions: [read]
`;
const membership = new StaticGroupMembership({ SDBA: ['UDBA1', 'UDBA2', 'UBEA'], SONCALL: ['UONCALL'] });
const person = (id: string, channel?: string): Actor => ({ id, displayName: id, source: 'slack', channel });
const requester = person('UREQ', 'COPS');

let h: SimHarness;
let dir: string;
const opened: Database[] = [];

beforeEach(async () => {
  h = await simHarness({ now: new Date('2026-11-27T12:00:00Z') });
  dir = mkdtempSync(join(tmpdir(), 'approval-rules-'));
});
afterEach(async () => {
  for (const db of opened.splice(0)) if (db.open) db.close();
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

function start(): ApprovalStack & { changes: ApprovalChange[] } {
  const db = openDatabase(join(dir, 'bot.db'));
  opened.push(db);
  const stack = createApprovalStack({
    db,
    client: h.client(),
    policy: new FilePolicyEngine(parsePolicy(policyText), { membership, version: 'v1' }),
    membership,
    now: () => h.sim.clock.now(),
    onError: (error, context) => {
      throw new Error(`${context}: ${String(error)}`);
    },
  });
  const changes: ApprovalChange[] = [];
  stack.approvals.onChange((c) => changes.push(c));
  return { ...stack, changes };
}

const restoreParams = () => selfRestore(h, 'Staging');

const confirmed = { confirmed: true, typedPhrase: '' };
const restorePosts = () => served(h.sim, 'POST', /\/backup\/restoreJobs$/);

async function open(stack: ApprovalStack, reason = 'INC-7 bad deploy'): Promise<string> {
  const outcome = await stack.actions.request(requester, 'restore.automated', await restoreParams(), {
    confirmation: confirmed,
    reason,
  });
  if (outcome.status !== 'pending_approval') throw new Error(`expected approval, got ${outcome.status}`);
  return outcome.approval.id;
}

describe('required reasons', () => {
  it('refuses a missing or non-matching reason before a request opens, saying what is expected', async () => {
    const stack = start();
    const params = await restoreParams();
    await expect(
      stack.actions.request(requester, 'restore.automated', params, { confirmation: confirmed }),
    ).rejects.toMatchObject({
      code: 'REASON_REQUIRED',
      message: expect.stringContaining('the incident, e.g. INC-123') as unknown,
      pattern: '^INC-\\d+',
    });
    await expect(
      stack.actions.request(requester, 'restore.automated', params, {
        confirmation: confirmed,
        reason: 'oops',
      }),
    ).rejects.toMatchObject({
      code: 'REASON_REQUIRED',
      message: expect.stringContaining('It must match ^INC-\\d+') as unknown,
    });
    expect(await stack.approvals.recent()).toEqual([]);
    expect((await stack.auditLog.latest(5)).map((e) => [e.event, e.error?.code])).toEqual([
      ['refused', 'REASON_REQUIRED'],
      ['refused', 'REASON_REQUIRED'],
    ]);

    // `requirements` tells a front end before it confirms; with a reason it checks it too.
    const { requirements } = await stack.actions.requirements(requester, 'restore.automated', params);
    expect(requirements).toMatchObject({
      reason: { prompt: 'the incident, e.g. INC-123' },
      approval: { required: 2 },
      breakGlass: false,
      ruleLabel: 'rule "restores need a DBA and a lead"',
    });
    await expect(
      stack.actions.requirements(requester, 'restore.automated', params, { reason: 'INC-x' }),
    ).rejects.toMatchObject({ code: 'REASON_REQUIRED' });

    const id = await open(stack);
    expect(await stack.approvals.get(id)).toMatchObject({
      reason: 'INC-7 bad deploy',
      rule: { ruleLabel: 'rule "restores need a DBA and a lead"', policyVersion: 'v1' },
    });
    expect((await stack.auditLog.forRequest(id)).map((e) => [e.event, e.reason])).toEqual([
      ['requested', 'INC-7 bad deploy'],
    ]);
  });

  it('applies to rules without approval too', async () => {
    const stack = start();
    const { groupId, clusterName } = await restoreParams();
    await expect(
      stack.actions.request(
        requester,
        'snapshot.take',
        { groupId, clusterName },
        { confirmation: confirmed },
      ),
    ).rejects.toMatchObject({ code: 'REASON_REQUIRED' });
    const done = await stack.actions.request(
      requester,
      'snapshot.take',
      { groupId, clusterName },
      { confirmation: confirmed, reason: 'before the migration' },
    );
    expect(done.status).toBe('executed');
    // The reason is kept with what it justified.
    expect((await stack.auditLog.latest(2)).map((e) => [e.event, e.reason])).toEqual([
      ['executed', 'before the migration'],
      ['requested', 'before the migration'],
    ]);
  });
});

describe('approver pools', () => {
  it('needs every pool: the first pool alone does not run it, and one person counts for one pool', async () => {
    const stack = start();
    const id = await open(stack);
    expect((await stack.approvals.get(id))?.pools.map((p) => [p.name, p.required])).toEqual([
      ['dba', 1],
      ['leads', 1],
    ]);

    // Bea is a DBA and a lead: she fills one pool, not both.
    const bea = await stack.approvals.approve(id, person('UBEA'));
    expect(bea).toMatchObject({ outcome: 'recorded', needed: 1 });
    expect(restorePosts()).toHaveLength(0);
    const again = await stack.approvals.approve(id, person('UBEA'));
    expect(again).toMatchObject({ outcome: 'refused', code: 'ALREADY_VOTED' });

    // A second DBA: Bea moves to leads, and the two pools are full.
    const dba = await stack.approvals.approve(id, person('UDBA1'));
    expect(dba.outcome).toBe('approved_and_executing');
    if (dba.outcome !== 'approved_and_executing') return;
    const done = await dba.execution;
    expect(done.state).toBe('executed');
    expect(done.pools.map((p) => [p.name, p.votes.map((v) => v.approver.id)])).toEqual([
      ['dba', ['UDBA1']],
      ['leads', ['UBEA']],
    ]);
    expect(restorePosts()).toHaveLength(1);
  });

  it('does not record a vote its pool no longer needs, and names the pool still waiting', async () => {
    const stack = start();
    const id = await open(stack);
    expect(await stack.approvals.approve(id, person('UDBA1'))).toMatchObject({ outcome: 'recorded' });
    const second = await stack.approvals.approve(id, person('UDBA2'));
    expect(second).toMatchObject({
      outcome: 'refused',
      code: 'POOL_COMPLETE',
      reason: expect.stringContaining('waiting for leads') as unknown,
    });
    expect((await stack.approvals.get(id))?.votes).toHaveLength(1);
    expect(await stack.approvals.approve(id, person('UOUT'))).toMatchObject({ code: 'NOT_AN_APPROVER' });
    expect(restorePosts()).toHaveLength(0);
  });

  it('places votes as a maximum matching, whatever their order', () => {
    // Pools of 1 and 1; a person in both votes first, then one only in the first pool.
    expect(assignVotes([1, 1], [[0, 1], [0]])).toEqual([1, 0]);
    expect(assignVotes([1, 1], [[0], [0]])).toEqual([0, -1]);
    expect(assignVotes([2, 1], [[0, 1], [1], [0]])).toEqual([0, 1, 0]);
  });
});

describe('break-glass', () => {
  it('runs at once for on-call with a reason, once, marked in the audit trail, and waits for a review', async () => {
    const stack = start();
    const params = await restoreParams();
    const onCall = person('UONCALL', 'COPS');
    await expect(
      stack.actions.request(onCall, 'restore.automated', params, {
        confirmation: confirmed,
        breakGlass: true,
      }),
    ).rejects.toMatchObject({ code: 'REASON_REQUIRED' });

    const outcome = await stack.actions.request(onCall, 'restore.automated', params, {
      confirmation: confirmed,
      breakGlass: true,
      reason: 'INC-9 orders are gone',
    });
    expect(outcome.status).toBe('break_glass');
    if (outcome.status !== 'break_glass') return;
    const done = await stack.approvals.settled(outcome.requestId);
    await stack.approvals.drain();
    expect(await stack.approvals.get(outcome.requestId)).toMatchObject({
      state: 'executed',
      breakGlass: { reviewedBy: undefined },
      votes: [],
    });
    expect(done?.state).toMatch(/executing|executed/);
    expect(restorePosts()).toHaveLength(1);
    const trail = await stack.auditLog.forRequest(outcome.requestId);
    expect(trail.map((e) => [e.event, e.breakGlass])).toEqual([
      ['break_glass', true],
      ['executed', true],
    ]);
    expect((await stack.approvals.store.listUnreviewed()).map((r) => r.id)).toEqual([outcome.requestId]);

    // Reviewed by someone who could have approved it, not by who ran it; once.
    expect(await stack.approvals.acknowledge(outcome.requestId, onCall)).toMatchObject({
      code: 'SELF_APPROVAL',
    });
    expect(await stack.approvals.acknowledge(outcome.requestId, person('UOUT'))).toMatchObject({
      code: 'NOT_AN_APPROVER',
    });
    expect(await stack.approvals.acknowledge(outcome.requestId, person('ULEAD1'))).toMatchObject({
      outcome: 'reviewed',
      request: { breakGlass: { reviewedBy: { id: 'ULEAD1' } } },
    });
    expect(await stack.approvals.acknowledge(outcome.requestId, person('UDBA1'))).toMatchObject({
      code: 'ALREADY_REVIEWED',
    });
    expect(await stack.approvals.store.listUnreviewed()).toEqual([]);
    expect(stack.changes.map((c) => c.kind)).toEqual(['break_glass', 'executing', 'executed', 'reviewed']);
  });

  it('is refused for someone outside the break-glass list', async () => {
    const stack = start();
    await expect(
      stack.actions.request(requester, 'restore.automated', await restoreParams(), {
        confirmation: confirmed,
        breakGlass: true,
        reason: 'INC-9',
      }),
    ).rejects.toMatchObject({
      code: 'POLICY_DENIED',
      message: expect.stringContaining('only for a member of user group SONCALL') as unknown,
    });
    expect(restorePosts()).toHaveLength(0);
    expect(await stack.approvals.recent()).toEqual([]);
  });
});

describe('reminders and escalation', () => {
  it('reminds once at 20 minutes, escalates once at 40, and never approves by time', async () => {
    const stack = start();
    const id = await open(stack);
    h.sim.clock.advance(19 * MINUTE);
    expect(await stack.approvals.remindDue()).toEqual({ reminded: [], escalated: [] });

    h.sim.clock.advance(1 * MINUTE);
    const first = await stack.approvals.remindDue();
    expect(first.reminded.map((r) => r.id)).toEqual([id]);
    expect(first.escalated).toEqual([]);
    expect((await stack.approvals.remindDue()).reminded).toEqual([]);
    // The manager may not approve before the escalation.
    expect(await stack.approvals.approve(id, person('UBOSS'))).toMatchObject({ code: 'NOT_AN_APPROVER' });

    h.sim.clock.advance(20 * MINUTE);
    const second = await stack.approvals.remindDue();
    expect(second.escalated.map((r) => r.id)).toEqual([id]);
    expect(await stack.approvals.get(id)).toMatchObject({
      state: 'open',
      remindedAt: '2026-11-27T12:20:00.000Z',
      escalatedAt: '2026-11-27T12:40:00.000Z',
    });
    expect(stack.changes.map((c) => c.kind)).toEqual(['opened', 'reminded', 'escalated']);

    // Once escalated, the manager may approve for either pool.
    expect(await stack.approvals.approve(id, person('UBOSS'))).toMatchObject({ outcome: 'recorded' });

    h.sim.clock.advance(20 * MINUTE);
    expect((await stack.approvals.expireDue()).map((r) => r.id)).toEqual([id]);
    expect((await stack.approvals.get(id))?.state).toBe('expired');
    expect(restorePosts()).toHaveLength(0);
  });
});
