import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ActionService,
  MemoryAuditLog,
  compliancePolicyFacts,
  localOperatorPolicy,
  toErrorInfo,
  type Actor,
} from '../src/index.js';
import { served, simHarness, type SimHarness } from './support/sim.js';

const actor: Actor = { id: 'local:alice', displayName: 'alice', source: 'tui' };
const now = new Date('2026-11-27T12:00:00Z');
let h: SimHarness;
let audit: MemoryAuditLog;

beforeEach(async () => {
  h = await simHarness({ now });
  audit = new MemoryAuditLog();
});
afterEach(async () => {
  await h.close();
});

const service = () =>
  new ActionService({ client: h.client(), policy: localOperatorPolicy, audit, now: () => h.sim.clock.now() });

function cluster(projectName: string, kind: 'replicaSet' | 'sharded' = 'replicaSet') {
  const project = h.sim.seed.projects.find((p) => p.name === projectName);
  const c = project?.clusters.find((x) => x.kind === kind);
  if (!project || !c) throw new Error(`no ${kind} in ${projectName}`);
  return { groupId: project.id, clusterName: c.name };
}

function storedSnapshot(where: { groupId: string; clusterName: string }, description: string) {
  const s = h.sim.store
    .listSnapshots(where.groupId, where.clusterName)
    .find((x) => x.description === description);
  if (!s) throw new Error(`no snapshot "${description}"`);
  return s;
}

const deletes = () => served(h.sim, 'DELETE', /\/backup\/snapshots\//);
const errorOf = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => toErrorInfo(e),
  );

describe('deleting a snapshot', () => {
  it('explains what is lost, needs confirmation, deletes once and audits it', async () => {
    const staging = cluster('Staging');
    const snap = storedSnapshot(staging, 'Pre-release checkpoint');
    const params = { ...staging, snapshotId: snap.id };
    const s = service();

    const { preview } = await s.preview(actor, 'snapshot.delete', params);
    expect(preview.risk).toBe('destructive');
    expect(preview.title).toBe(`Delete snapshot ${snap.id} of orders-staging`);
    expect(preview.lines[0]).toBe(`Snapshot: ${snap.id} of orders-staging, on-demand, completed`);
    expect(preview.lines).toContain(
      `Taken: ${new Date(snap.createdAt).toISOString().slice(0, 19).replace('T', ' ')} UTC`,
    );
    expect(preview.lines.some((l) => /^Size: \d/.test(l))).toBe(true);
    expect(preview.lines).toContain('Expires: 2026-12-08 05:00:00 UTC');
    expect(preview.warnings.join(' ')).toContain(
      'It would have been kept until 2026-12-08 05:00:00 UTC (11 more days).',
    );
    expect(deletes()).toHaveLength(0);

    await expect(s.request(actor, 'snapshot.delete', params)).rejects.toMatchObject({
      code: 'CONFIRMATION_REQUIRED',
    });
    expect(deletes()).toHaveLength(0);

    const outcome = await s.request(actor, 'snapshot.delete', params, { confirmation: { confirmed: true } });
    expect(outcome.status).toBe('executed');
    expect(deletes().map((r) => r.path)).toEqual([
      `/api/atlas/v2/groups/${staging.groupId}/clusters/orders-staging/backup/snapshots/${snap.id}`,
    ]);
    expect(h.sim.store.listSnapshots(staging.groupId, 'orders-staging').some((x) => x.id === snap.id)).toBe(
      false,
    );
    expect(audit.entries.map((e) => `${e.event} ${e.action}`)).toEqual([
      'requested snapshot.delete',
      'executed snapshot.delete',
    ]);
  });

  it("deletes a sharded cluster's snapshot through the sharded endpoint", async () => {
    const sharded = cluster('Production', 'sharded');
    // Without Production's compliance policy, which forbids any deletion.
    h.sim.store.setCompliancePolicy(sharded.groupId, undefined);
    const snap = storedSnapshot(sharded, 'Before schema migration v42');
    const outcome = await service().request(
      actor,
      'snapshot.delete',
      { ...sharded, snapshotId: snap.id },
      { confirmation: { confirmed: true, typedPhrase: sharded.clusterName } },
    );
    expect(outcome.preview.lines[0]).toContain('on-demand, sharded cluster');
    expect(outcome.preview.confirmPhrase).toBe(sharded.clusterName);
    expect(deletes().map((r) => r.path)).toEqual([
      `/api/atlas/v2/groups/${sharded.groupId}/clusters/${sharded.clusterName}/backup/snapshots/shardedCluster/${snap.id}`,
    ]);
  });

  it('is refused before confirmation when the Backup Compliance Policy forbids it, with nothing sent', async () => {
    const prod = cluster('Production');
    const snap = storedSnapshot(prod, 'Pre-release checkpoint');
    const params = { ...prod, snapshotId: snap.id };
    const refused = await errorOf(service().preview(actor, 'snapshot.delete', params));
    expect(refused?.code).toBe('COMPLIANCE_POLICY_FORBIDS');
    expect(refused?.message).toBe(
      `The Backup Compliance Policy of project Production forbids deleting snapshots before they expire: snapshot ${snap.id} of orders-prod can't be deleted; it expires 2026-12-08 05:00:00 UTC`,
    );
    const asked = await errorOf(
      service().request(actor, 'snapshot.delete', params, {
        confirmation: { confirmed: true, typedPhrase: 'orders-prod' },
      }),
    );
    expect(asked?.code).toBe('COMPLIANCE_POLICY_FORBIDS');
    expect(deletes()).toHaveLength(0);
  });
});

describe('retention under a Backup Compliance Policy', () => {
  it('refuses a retention below the minimum before anyone confirms, and allows one above it', async () => {
    const prod = cluster('Production');
    const snap = storedSnapshot(prod, 'Pre-release checkpoint');
    const params = { ...prod, snapshotId: snap.id, retentionUnit: 'DAYS', retentionValue: 1 };
    const refused = await errorOf(service().preview(actor, 'snapshot.retention', params));
    expect(refused?.code).toBe('COMPLIANCE_POLICY_FORBIDS');
    expect(refused?.message).toContain(
      'The Backup Compliance Policy of project Production keeps on-demand snapshots at least 2 days',
    );
    expect(served(h.sim, 'PATCH', /.*/)).toHaveLength(0);

    const { preview } = await service().preview(actor, 'snapshot.retention', {
      ...params,
      retentionValue: 2,
    });
    expect(preview.risk).toBe('destructive');
  });

  it('is shown as facts', async () => {
    const reading = await h.client().readCompliancePolicy(h.sim.seed.projectId);
    expect(compliancePolicyFacts(reading)).toEqual(
      expect.arrayContaining([
        ['compliance policy', 'ACTIVE'],
        ['deleting snapshots', 'forbidden before they expire'],
        ['on-demand kept', 'at least 2 days'],
        ['scheduled kept', 'at least hourly 2 days, daily 7 days, weekly 4 weeks, monthly 12 months'],
        ['continuous backup', 'required, 7 days restorable'],
        ['authorized by', 'Zoë Müller <compliance@acme.example>'],
      ]),
    );
    const staging = cluster('Staging');
    expect(compliancePolicyFacts(await h.client().readCompliancePolicy(staging.groupId))).toEqual([
      ['compliance policy', 'none'],
    ]);
  });
});

describe("a point in time under a compliance policy's longer restore window", () => {
  it('is accepted and refused early exactly where Atlas accepts and refuses it, naming the policy', async () => {
    const staging = cluster('Staging');
    const production = h.sim.store.getCompliancePolicy(h.sim.seed.projectId);
    if (!production) throw new Error('Production has no policy');
    h.sim.store.setCompliancePolicy(staging.groupId, { ...production, restoreWindowDays: 10 });
    const at = (days: number) => Math.floor((now.getTime() - days * 86_400_000) / 1000);
    const params = (seconds: number) => ({
      ...staging,
      targetGroupId: staging.groupId,
      targetClusterName: staging.clusterName,
      pointInTimeUTCSeconds: seconds,
    });
    const s = service();
    // Eight days back: outside the schedule's 7 days, inside the policy's 10.
    const inside = await s.preview(actor, 'restore.pointInTime', params(at(8)));
    expect(inside.preview.lines[0]).toContain(
      "10 days of continuous backup, as the project's Backup Compliance Policy requires",
    );
    const outside = await errorOf(s.preview(actor, 'restore.pointInTime', params(at(11))));
    expect(outside?.code).toBe('OUTSIDE_RESTORE_WINDOW');
    expect(outside?.message).toContain("as the project's Backup Compliance Policy requires");
    expect(served(h.sim, 'POST', /restoreJobs$/)).toHaveLength(0);

    const done = await s.request(actor, 'restore.pointInTime', params(at(8)), {
      confirmation: { confirmed: true },
    });
    expect(done.status).toBe('executed');
    expect(served(h.sim, 'POST', /restoreJobs$/).map((r) => r.status)).toEqual([200]);
  });
});

describe('a compliance policy this identity may not read', () => {
  it('lets the deletion go on to Atlas, which refuses it; the preview warns', async () => {
    const prod = cluster('Production');
    const snap = storedSnapshot(prod, 'Pre-release checkpoint');
    h.sim.faults.inject({
      status: 403,
      errorCode: 'USER_UNAUTHORIZED',
      path: 'backupCompliancePolicy',
      times: 2,
    });
    const { preview } = await service().preview(actor, 'snapshot.delete', { ...prod, snapshotId: snap.id });
    expect(preview.warnings.join(' ')).toContain(
      "The project's Backup Compliance Policy could not be read (Atlas refused to show it (403 USER_UNAUTHORIZED); reading it needs the Project Owner role)",
    );
    const refused = await errorOf(
      service().request(
        actor,
        'snapshot.delete',
        { ...prod, snapshotId: snap.id },
        { confirmation: { confirmed: true, typedPhrase: prod.clusterName } },
      ),
    );
    // Atlas enforces the policy itself; its refusal carries the same code.
    expect(refused?.code).toBe('COMPLIANCE_POLICY_FORBIDS');
    expect(deletes().map((r) => r.status)).toEqual([400]);
  });
});
