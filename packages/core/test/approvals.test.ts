import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  FilePolicyEngine,
  StaticGroupMembership,
  createApprovalStack,
  matchingRestoreJobIds,
  openDatabase,
  parsePolicy,
  type Actor,
  type ApprovalChange,
  type ApprovalStack,
  type Database,
  type JobUpdate,
  watchJob,
} from '../src/index.js';
import { selfRestore, served, simHarness, type SimHarness } from './support/sim.js';

const policyText = `
version: 1
rules:
  - name: production restores need two of three leads
    actions: [restore]
    projects: [{ production: true }]
    approval: { required: 2, approvers: { users: [ULEAD1, ULEAD2, ULEAD3] }, ttl: 1h }
  - name: other restores need a DBA
    actions: [restore]
    approval: { required: 1, approvers: { usergroups: [SDBAS] }, ttl: 30m }
  - actions: ['*']
`;
const dbaIds = Array.from({ length: 50 }, (_, i) => `UDBA${i}`);
const membership = new StaticGroupMembership({ SDBAS: dbaIds });

const requester: Actor = { id: 'UREQ', displayName: 'Rita', source: 'slack', channel: 'COPS' };
const dba = (i: number): Actor => ({ id: `UDBA${i}`, displayName: `DBA ${i}`, source: 'slack' });
const lead = (i: number): Actor => ({ id: `ULEAD${i}`, displayName: `Lead ${i}`, source: 'slack' });
const outsider: Actor = { id: 'UOUT', displayName: 'Otto', source: 'slack' };

let h: SimHarness;
let dir: string;
let dbFile: string;
const opened: Database[] = [];

beforeEach(async () => {
  h = await simHarness({ now: new Date('2026-11-27T12:00:00Z') });
  dir = mkdtempSync(join(tmpdir(), 'approvals-'));
  dbFile = join(dir, 'bot.db');
  seededJobIds = new Set(
    h.sim.seed.projects.flatMap((p) =>
      p.clusters.flatMap((c) => h.sim.store.listRestoreJobs(p.id, c.name).map((j) => j.id)),
    ),
  );
});
afterEach(async () => {
  for (const db of opened.splice(0)) if (db.open) db.close();
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A fresh process's view: its own connection to the database file, its own engine and client. */
function start(): ApprovalStack & { db: Database; changes: ApprovalChange[] } {
  const db = openDatabase(dbFile);
  opened.push(db);
  const stack = createApprovalStack({
    db,
    client: h.client(),
    policy: new FilePolicyEngine(parsePolicy(policyText), { membership }),
    membership,
    now: () => h.sim.clock.now(),
    onError: (error, context) => {
      throw new Error(`${context}: ${String(error)}`);
    },
  });
  const changes: ApprovalChange[] = [];
  stack.approvals.onChange((c) => changes.push(c));
  return { ...stack, db, changes };
}

interface Target {
  groupId: string;
  cluster: string;
  snapshotId: string;
}

/** A project's first replica set and a completed snapshot of it, as the API lists them. */
async function target(projectName: 'Staging' | 'Production'): Promise<Target> {
  const { groupId, clusterName, snapshotId } = await selfRestore(h, projectName);
  return { groupId, cluster: clusterName, snapshotId };
}
const staging = () => target('Staging');
const production = () => target('Production');

/** Requests an automated restore of a snapshot onto its own cluster; returns the approval request id. */
async function requestRestore(stack: ApprovalStack, to?: Target): Promise<string> {
  const target = to ?? (await staging());
  const outcome = await stack.actions.request(
    requester,
    'restore.automated',
    {
      groupId: target.groupId,
      clusterName: target.cluster,
      snapshotId: target.snapshotId,
      targetGroupId: target.groupId,
      targetClusterName: target.cluster,
    },
    { confirmation: { confirmed: true, typedPhrase: target.cluster }, reason: 'bad deploy at 11:40' },
  );
  if (outcome.status !== 'pending_approval') throw new Error(`expected approval, got ${outcome.status}`);
  return outcome.approval.id;
}

const restorePosts = () => served(h.sim, 'POST', /\/backup\/restoreJobs$/);
/** Restore jobs on the cluster that the seed did not create. */
const restoreJobs = (t: { groupId: string; cluster: string }) =>
  h.sim.store.listRestoreJobs(t.groupId, t.cluster).filter((j) => !seededJobIds.has(j.id));
let seededJobIds = new Set<string>();

describe('approval requests against the simulator', () => {
  it('runs a restore once when the right person approves, and follows it to completion', async () => {
    const stack = start();
    const target = await staging();
    const id = await requestRestore(stack, target);
    expect(restorePosts()).toHaveLength(0);

    const request = await stack.approvals.get(id);
    expect(request).toMatchObject({
      state: 'open',
      action: 'restore.automated',
      requester: { id: 'UREQ' },
      reason: 'bad deploy at 11:40',
      remaining: 1,
      rule: { required: 1, groups: ['SDBAS'] },
      preview: { risk: 'destructive', projectName: 'Staging' },
    });
    expect(request?.preview.lines.join('\n')).toContain(`Source: snapshot ${target.snapshotId}`);
    expect(request?.preview.warnings.join('\n')).toContain('will be replaced');
    expect((await stack.approvals.listOpen()).map((r) => r.id)).toEqual([id]);

    const result = await stack.approvals.approve(id, dba(7));
    expect(result.outcome).toBe('approved_and_executing');
    if (result.outcome !== 'approved_and_executing') return;
    const done = await result.execution;
    expect(done.state).toBe('executed');
    expect(restorePosts()).toHaveLength(1);
    const jobs = restoreJobs(target);
    expect(jobs).toHaveLength(1);
    expect(done.execution).toMatchObject({
      atlasJobId: jobs[0]?.id,
      job: { kind: 'restore', id: jobs[0]?.id },
    });
    expect(done.votes.map((v) => v.approver.id)).toEqual(['UDBA7']);
    expect(await stack.approvals.listOpen()).toEqual([]);

    // The job is recorded as followed, so a front end (or a restarted process) picks it up; it runs to the end.
    const followed = await stack.followedJobs.forRequest(id);
    expect(followed.map((f) => f.ref)).toEqual([
      expect.objectContaining({ kind: 'restore', id: jobs[0]?.id }),
    ]);
    const updates: JobUpdate[] = [];
    for await (const update of watchJob(h.client(), followed[0]!.ref, {
      pollIntervalMs: 60_000,
      now: () => h.sim.clock.now(),
      sleep: async (ms) => h.sim.clock.advance(ms),
    }))
      updates.push(update);
    expect(updates.at(-1)).toMatchObject({ phase: 'succeeded', terminal: true });

    expect(stack.changes.map((c) => c.kind)).toEqual(['opened', 'approved', 'executing', 'executed']);
    expect((await stack.auditLog.forRequest(id)).map((e) => [e.event, e.actor.id])).toEqual([
      ['requested', 'UREQ'],
      ['approved', 'UDBA7'],
      ['executed', 'UREQ'],
    ]);
    expect((await stack.auditLog.forRequest(id)).at(-1)?.atlasJobId).toBe(jobs[0]?.id);
  });

  it('refuses self-approval and non-approvers, with reasons, and runs nothing', async () => {
    const stack = start();
    const id = await requestRestore(stack);

    const self = await stack.approvals.approve(id, requester);
    expect(self).toMatchObject({
      outcome: 'refused',
      code: 'SELF_APPROVAL',
      reason: 'You cannot approve your own request.',
    });
    const other = await stack.approvals.approve(id, outsider);
    expect(other).toMatchObject({
      outcome: 'refused',
      code: 'NOT_AN_APPROVER',
      reason: 'Only a member of user group SDBAS may approve this request.',
    });
    expect(await stack.approvals.get(id)).toMatchObject({ state: 'open', votes: [], remaining: 1 });
    expect(restorePosts()).toHaveLength(0);
    expect(
      (await stack.auditLog.forRequest(id))
        .filter((e) => e.event === 'refused')
        .map((e) => [e.actor.id, e.error?.code]),
    ).toEqual([
      ['UREQ', 'SELF_APPROVAL'],
      ['UOUT', 'NOT_AN_APPROVER'],
    ]);
  });

  it('needs two of three leads on production, counting each approver once', async () => {
    const stack = start();
    const target = await production();
    const id = await requestRestore(stack, target);
    expect((await stack.approvals.get(id))?.rule).toMatchObject({
      required: 2,
      users: ['ULEAD1', 'ULEAD2', 'ULEAD3'],
    });

    expect(await stack.approvals.approve(id, dba(1))).toMatchObject({ code: 'NOT_AN_APPROVER' });
    expect(await stack.approvals.approve(id, lead(1))).toMatchObject({
      outcome: 'recorded',
      votes: 1,
      needed: 1,
    });
    expect(await stack.approvals.approve(id, lead(1))).toMatchObject({
      outcome: 'refused',
      code: 'ALREADY_VOTED',
    });
    expect(await stack.approvals.get(id)).toMatchObject({ state: 'open', remaining: 1 });
    expect(restorePosts()).toHaveLength(0);

    const second = await stack.approvals.approve(id, lead(3));
    expect(second.outcome).toBe('approved_and_executing');
    await stack.approvals.drain();
    expect(await stack.approvals.approve(id, lead(2))).toMatchObject({
      outcome: 'refused',
      code: 'REQUEST_CLOSED',
    });

    const done = await stack.approvals.get(id);
    expect(done?.state).toBe('executed');
    expect(done?.votes.map((v) => v.approver.id)).toEqual(['ULEAD1', 'ULEAD3']);
    expect(restoreJobs(target)).toHaveLength(1);
    expect(stack.changes.map((c) => c.kind)).toEqual([
      'opened',
      'voted',
      'approved',
      'executing',
      'executed',
    ]);
    expect(
      (await stack.auditLog.forRequest(id)).map((e) => `${e.event}:${e.outcome ?? e.error?.code ?? ''}`),
    ).toEqual([
      'requested:',
      'refused:NOT_AN_APPROVER',
      'approved:approval 1 of 2 recorded',
      'approved:approved (2 of 2); executing',
      expect.stringMatching(/^executed:Restore job \w+ \(automated\)/),
      'refused:REQUEST_CLOSED',
    ]);
  });

  it('judges a restore into another project by that project too', async () => {
    const stack = start();
    const source = await staging();
    const into = await production();
    const params = {
      groupId: source.groupId,
      clusterName: source.cluster,
      snapshotId: source.snapshotId,
      targetGroupId: into.groupId,
      targetClusterName: into.cluster,
    };
    // The target is production, so the target's name must be typed even though the source is not.
    await expect(
      stack.actions.request(requester, 'restore.automated', params, { confirmation: { confirmed: true } }),
    ).rejects.toMatchObject({ code: 'CONFIRMATION_REQUIRED' });
    const outcome = await stack.actions.request(requester, 'restore.automated', params, {
      confirmation: { confirmed: true, typedPhrase: into.cluster },
    });
    expect(outcome).toMatchObject({
      status: 'pending_approval',
      preview: { production: true, confirmPhrase: into.cluster },
      approval: { rule: { required: 2, users: ['ULEAD1', 'ULEAD2', 'ULEAD3'] } },
    });
  });

  it('denies with a reason, and a denied request never runs', async () => {
    const stack = start();
    const id = await requestRestore(stack);
    expect(await stack.approvals.deny(id, dba(2), '   ')).toMatchObject({ code: 'REASON_REQUIRED' });
    expect(await stack.approvals.deny(id, outsider, 'no')).toMatchObject({ code: 'NOT_AN_APPROVER' });
    const denied = await stack.approvals.deny(id, dba(2), 'restore the replica instead');
    expect(denied).toMatchObject({
      outcome: 'denied',
      request: { state: 'denied', closedBy: { id: 'UDBA2' }, closeReason: 'restore the replica instead' },
    });
    expect(await stack.approvals.approve(id, dba(3))).toMatchObject({
      code: 'REQUEST_CLOSED',
      reason: 'This request was denied by DBA 2.',
    });
    expect(await stack.approvals.deny(id, dba(3), 'again')).toMatchObject({ code: 'REQUEST_CLOSED' });
    expect(restorePosts()).toHaveLength(0);
    expect(stack.changes.map((c) => c.kind)).toEqual(['opened', 'denied']);
    expect((await stack.auditLog.forRequest(id)).find((e) => e.event === 'denied')).toMatchObject({
      actor: { id: 'UDBA2' },
      outcome: 'denied: restore the replica instead',
    });
  });

  it('expires open requests by the clock, and an expired request never runs', async () => {
    const stack = start();
    const id = await requestRestore(stack);
    h.sim.clock.advance(29 * 60_000);
    expect(await stack.approvals.expireDue()).toEqual([]);
    h.sim.clock.advance(60_000);

    expect(await stack.approvals.listOpen()).toEqual([]);
    expect((await stack.approvals.get(id))?.state).toBe('expired');
    expect(await stack.approvals.approve(id, dba(1))).toMatchObject({ outcome: 'refused', code: 'EXPIRED' });
    expect(await stack.approvals.cancel(id, requester)).toMatchObject({ code: 'EXPIRED' });
    expect(restorePosts()).toHaveLength(0);
    expect(stack.changes.map((c) => c.kind)).toEqual(['opened', 'expired']);
    expect((await stack.auditLog.forRequest(id)).map((e) => e.event)).toEqual([
      'requested',
      'expired',
      'refused',
      'refused',
    ]);
  });

  it('lets only the requester cancel, and a cancelled request never runs', async () => {
    const stack = start();
    const id = await requestRestore(stack);
    expect(await stack.approvals.cancel(id, dba(1))).toMatchObject({
      outcome: 'refused',
      code: 'NOT_REQUESTER',
    });
    expect(await stack.approvals.cancel(id, requester)).toMatchObject({
      outcome: 'cancelled',
      request: { state: 'cancelled', closedBy: { id: 'UREQ' } },
    });
    expect(await stack.approvals.approve(id, dba(1))).toMatchObject({ code: 'REQUEST_CLOSED' });
    expect(restorePosts()).toHaveLength(0);
    expect((await stack.auditLog.forRequest(id)).map((e) => e.event)).toEqual([
      'requested',
      'refused',
      'cancelled',
      'refused',
    ]);
  });

  it('starts exactly one restore when 50 approvers click at once, across two processes', async () => {
    const a = start();
    const b = start();
    const target = await staging();
    const id = await requestRestore(a, target);

    const results = await Promise.all(
      dbaIds.map((_, i) => (i % 2 === 0 ? a : b).approvals.approve(id, dba(i))),
    );
    const winners = results.filter((r) => r.outcome === 'approved_and_executing');
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => r.outcome === 'refused').every((r) => r.code === 'REQUEST_CLOSED')).toBe(
      true,
    );
    await Promise.all([a.approvals.drain(), b.approvals.drain()]);

    expect(restorePosts()).toHaveLength(1);
    expect(restoreJobs(target)).toHaveLength(1);
    expect((await a.approvals.get(id))?.state).toBe('executed');
    expect((await a.auditLog.forRequest(id)).filter((e) => e.event === 'executed')).toHaveLength(1);
  });

  it('keeps an open request across a restart, then approves and runs it once', async () => {
    const first = start();
    const target = await staging();
    const id = await requestRestore(first, target);
    first.db.close();

    const second = start();
    expect(await second.approvals.recover()).toEqual({
      started: [],
      confirmed: [],
      interrupted: [],
      unresolved: [],
      expired: [],
    });
    expect((await second.approvals.listOpen()).map((r) => r.id)).toEqual([id]);
    const result = await second.approvals.approve(id, dba(4));
    expect(result.outcome).toBe('approved_and_executing');
    await second.approvals.drain();
    expect((await second.approvals.get(id))?.state).toBe('executed');
    expect(restoreJobs(target)).toHaveLength(1);
    expect(restorePosts()).toHaveLength(1);
  });

  it('fires expiries that fell due while the service was down', async () => {
    const first = start();
    const id = await requestRestore(first);
    first.db.close();
    h.sim.clock.advance(31 * 60_000);
    const second = start();
    expect((await second.approvals.recover()).expired).toEqual([id]);
    expect(second.changes.map((c) => [c.kind, c.request.id])).toEqual([['expired', id]]);
  });

  it('after a crash between approval and the Atlas call, sends the approved request once', async () => {
    const first = start();
    const target = await staging();
    const id = await requestRestore(first, target);
    // The process dies right after committing the vote and the approved transition.
    const at = h.sim.clock.now();
    await first.approvals.store.vote(id, dba(1), at);
    expect(await first.approvals.store.markApproved(id, at)).toBe(true);
    first.db.close();

    const second = start();
    const report = await second.approvals.recover();
    expect(report.started).toEqual([id]);
    await second.approvals.drain();
    expect((await second.approvals.get(id))?.state).toBe('executed');
    expect(restoreJobs(target)).toHaveLength(1);

    // A further restart finds nothing to do.
    second.db.close();
    const third = start();
    expect(await third.approvals.recover()).toMatchObject({ started: [], confirmed: [], interrupted: [] });
    expect(restorePosts()).toHaveLength(1);
  });

  it('after a crash during the Atlas call, never re-sends: confirms from Atlas or reports it interrupted', async () => {
    const first = start();
    const target = await staging();
    const reached = await requestRestore(first, target);
    const lost = await requestRestore(first, await production());
    const at = h.sim.clock.now();
    for (const [id, approvers] of [
      [reached, [dba(1)]],
      [lost, [lead(1), lead(2)]],
    ] as const) {
      for (const a of approvers) await first.approvals.store.vote(id, a, at);
      await first.approvals.store.markApproved(id, at);
      await first.approvals.store.claimExecution(id, at);
    }
    // The first one's create reached Atlas before the crash; the second one's did not.
    const client = h.client();
    const job = await client.createRestoreJob(target.groupId, target.cluster, {
      deliveryType: 'automated',
      snapshotId: target.snapshotId,
      targetGroupId: target.groupId,
      targetClusterName: target.cluster,
    });
    first.db.close();
    h.sim.clock.advance(60_000);

    const second = start();
    const report = await second.approvals.recover();
    expect(report).toMatchObject({ confirmed: [reached], interrupted: [lost], started: [] });
    expect(await second.approvals.get(reached)).toMatchObject({
      state: 'executed',
      execution: { atlasJobId: job.value.id, reconciled: true },
    });
    expect(await second.approvals.get(lost)).toMatchObject({
      state: 'failed',
      error: { code: 'INTERRUPTED' },
    });
    expect(restorePosts()).toHaveLength(1);
    expect(restoreJobs(await production())).toHaveLength(0);
    expect((await second.followedJobs.active()).map((j) => j.ref.id)).toEqual([job.value.id]);
    expect(
      second.changes.map((c) => `${c.kind}:${c.request.id === reached ? 'reached' : 'lost'}`).sort(),
    ).toEqual(['executed:reached', 'failed:lost']);
  });

  it('after a crash, does not mistake an identical restore started elsewhere for this one', async () => {
    const first = start();
    const target = await staging();
    const id = await requestRestore(first, target);
    // Someone starts the very same restore from the Atlas UI while the request waits.
    const client = h.client();
    const elsewhere = await client.createRestoreJob(target.groupId, target.cluster, {
      deliveryType: 'automated',
      snapshotId: target.snapshotId,
      targetGroupId: target.groupId,
      targetClusterName: target.cluster,
    });
    // The engine notes matching jobs as it claims the request; then the process dies before sending.
    const at = h.sim.clock.now();
    await first.approvals.store.vote(id, dba(1), at);
    await first.approvals.store.markApproved(id, at);
    const request = await first.approvals.get(id);
    if (!request) throw new Error('request vanished');
    const preexisting = await matchingRestoreJobIds(client, request);
    expect(preexisting).toEqual([elsewhere.value.id]);
    await first.approvals.store.claimExecution(id, at, preexisting);
    first.db.close();

    const second = start();
    expect(await second.approvals.recover()).toMatchObject({ confirmed: [], interrupted: [id] });
    expect(await second.approvals.get(id)).toMatchObject({ state: 'failed', error: { code: 'INTERRUPTED' } });
    expect(restoreJobs(target).map((j) => j.id)).toEqual([elsewhere.value.id]);
  });

  it('records a failed execution with the Atlas error code', async () => {
    const stack = start();
    const target = await staging();
    const id = await requestRestore(stack, target);
    h.sim.faults.inject({ method: 'POST', path: /restoreJobs$/, status: 400 });
    const result = await stack.approvals.approve(id, dba(1));
    if (result.outcome !== 'approved_and_executing') throw new Error(result.outcome);
    const done = await result.execution;
    expect(done).toMatchObject({ state: 'failed', error: { code: 'ATLAS_BAD_REQUEST' } });
    expect(stack.changes.at(-1)?.kind).toBe('failed');
    expect((await stack.auditLog.forRequest(id)).at(-1)).toMatchObject({
      event: 'failed',
      error: { code: 'ATLAS_BAD_REQUEST' },
    });
  });
});
