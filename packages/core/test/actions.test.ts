import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ActionService,
  MemoryAuditLog,
  localOperatorPolicy,
  type Actor,
  type PolicyEngine,
} from '../src/index.js';
import { served, simHarness, type SimHarness } from './support/sim.js';

const actor: Actor = { id: 'local:alice', displayName: 'alice', source: 'tui' };
let h: SimHarness;
let audit: MemoryAuditLog;

beforeEach(async () => {
  h = await simHarness({ now: new Date('2026-11-27T12:00:00Z') });
  audit = new MemoryAuditLog();
});
afterEach(async () => {
  await h.close();
});

const service = (overrides: Partial<ConstructorParameters<typeof ActionService>[0]> = {}) =>
  new ActionService({
    client: h.client(),
    policy: localOperatorPolicy,
    audit,
    now: () => h.sim.clock.now(),
    ...overrides,
  });

function seededProject(name: string) {
  const project = h.sim.seed.projects.find((p) => p.name === name);
  const cluster = project?.clusters[0];
  if (!project || !cluster) throw new Error(`seed has no ${name} cluster`);
  return { groupId: project.id, clusterName: cluster.name };
}

async function snapshotOf(groupId: string, clusterName: string) {
  const page = await h.client().listSnapshots(groupId, clusterName, { itemsPerPage: 50 });
  const snap = page.results.find((s) => s.status === 'completed');
  if (!snap) throw new Error('no completed snapshot');
  return snap;
}

describe('the one path for changes', () => {
  it('takes a snapshot (safe: no confirmation needed) and audits request and result', async () => {
    const { projectId, replicaSetName } = h.sim.seed;
    const outcome = await service().request(actor, 'snapshot.take', {
      groupId: projectId,
      clusterName: replicaSetName,
      description: 'pre-release',
      retentionInDays: 2,
    });
    expect(outcome.status).toBe('executed');
    if (outcome.status !== 'executed') return;
    expect(outcome.result.job).toMatchObject({ kind: 'snapshot', clusterName: replicaSetName });
    expect(audit.entries.map((e) => e.event)).toEqual(['requested', 'executed']);
    expect(audit.entries[1]).toMatchObject({
      actor: { id: 'local:alice', source: 'tui' },
      action: 'snapshot.take',
      projectId,
      atlasJobId: outcome.result.job?.id,
      requestRef: outcome.result.requestRef,
    });
  });

  it('refuses everything in read-only mode, before Atlas is asked', async () => {
    const { projectId, replicaSetName } = h.sim.seed;
    h.sim.clearRequests();
    const error = await service({ readOnly: true })
      .request(actor, 'snapshot.take', { groupId: projectId, clusterName: replicaSetName })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'READ_ONLY' });
    expect(h.sim.requests).toHaveLength(0);
    expect(audit.entries).toMatchObject([{ event: 'refused', error: { code: 'READ_ONLY' } }]);
  });

  it('explains a restore and will not run it without explicit confirmation', async () => {
    const source = seededProject('Staging');
    const target = seededProject('Analytics');
    const snap = await snapshotOf(source.groupId, source.clusterName);
    const params = {
      ...source,
      snapshotId: snap.id,
      targetGroupId: target.groupId,
      targetClusterName: target.clusterName,
    };
    const { preview } = await service().preview(actor, 'restore.automated', params);
    expect(preview).toMatchObject({ risk: 'destructive', production: false, confirmPhrase: undefined });
    expect(preview.lines.join('\n')).toContain(snap.id);
    expect(preview.lines.join('\n')).toContain(`cluster ${target.clusterName} in project Analytics`);
    expect(preview.warnings.join('\n')).toMatch(/will be replaced/);

    h.sim.clearRequests();
    const error = await service()
      .request(actor, 'restore.automated', params)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CONFIRMATION_REQUIRED' });
    expect(served(h.sim, 'POST', /restoreJobs$/)).toHaveLength(0);

    const done = await service().request(actor, 'restore.automated', params, {
      confirmation: { confirmed: true },
    });
    expect(done.status).toBe('executed');
    expect(served(h.sim, 'POST', /restoreJobs$/)).toHaveLength(1);
  });

  it("needs the target's name typed for a destructive action on a production project", async () => {
    const { projectId, replicaSetName } = h.sim.seed; // the Production project, tagged environment=production
    const snap = await snapshotOf(projectId, replicaSetName);
    const params = {
      groupId: projectId,
      clusterName: replicaSetName,
      snapshotId: snap.id,
      targetGroupId: projectId,
      targetClusterName: replicaSetName,
    };
    const { preview } = await service().preview(actor, 'restore.automated', params);
    expect(preview).toMatchObject({ production: true, confirmPhrase: replicaSetName });
    expect(preview.warnings.join(' ')).toMatch(/rolled back/);
    await expect(
      service().request(actor, 'restore.automated', params, {
        confirmation: { confirmed: true, typedPhrase: 'orders' },
      }),
    ).rejects.toMatchObject({ code: 'CONFIRMATION_REQUIRED' });
    const done = await service().request(actor, 'restore.automated', params, {
      confirmation: { confirmed: true, typedPhrase: replicaSetName },
    });
    expect(done.status).toBe('executed');
  });

  it('calls shortening retention destructive and lengthening it safe', async () => {
    // Staging: no Backup Compliance Policy sets a floor under its retention.
    const staging = seededProject('Staging');
    const snap = await snapshotOf(staging.groupId, staging.clusterName);
    const base = { ...staging, snapshotId: snap.id };
    const longer = await service().preview(actor, 'snapshot.retention', {
      ...base,
      retentionUnit: 'YEARS',
      retentionValue: 2,
    });
    expect(longer.preview.risk).toBe('safe');
    expect(longer.preview.lines.join('\n')).toMatch(/Expires now: .*\nExpires after: /);
    const shorter = await service().preview(actor, 'snapshot.retention', {
      ...base,
      retentionUnit: 'DAYS',
      retentionValue: 1,
    });
    expect(shorter.preview.risk).toBe('destructive');
    expect(shorter.preview.warnings.join(' ')).toMatch(/deleted .* earlier|already past/);
  });

  it('refuses what policy forbids, and approvals it cannot collect', async () => {
    const { projectId, replicaSetName } = h.sim.seed;
    const deny: PolicyEngine = {
      ...localOperatorPolicy,
      decide: () => ({ allowed: false, reason: 'not on call' }),
    };
    await expect(
      service({ policy: deny }).request(actor, 'snapshot.take', {
        groupId: projectId,
        clusterName: replicaSetName,
      }),
    ).rejects.toMatchObject({ code: 'POLICY_DENIED', message: expect.stringContaining('not on call') });

    const needsApproval: PolicyEngine = {
      ...localOperatorPolicy,
      decide: () => ({ allowed: true, approval: { required: 1, users: [], groups: [], ttlMs: 60_000 } }),
    };
    await expect(
      service({ policy: needsApproval }).request(actor, 'snapshot.take', {
        groupId: projectId,
        clusterName: replicaSetName,
      }),
    ).rejects.toMatchObject({ code: 'POLICY_DENIED', message: expect.stringContaining('requires approval') });
    expect(served(h.sim, 'POST', /snapshots$/)).toHaveLength(0);
    expect(audit.entries.map((e) => e.event)).toEqual(['refused', 'refused']);
  });

  it('refuses a project, or a restore target, the actor may not read, before explaining anything', async () => {
    const staging = seededProject('Staging');
    const prod = seededProject('Production');
    const snapshot = await snapshotOf(staging.groupId, staging.clusterName);
    const hidesProduction: PolicyEngine = {
      ...localOperatorPolicy,
      canRead: (_actor, project) => project.id !== prod.groupId,
    };
    h.sim.clearRequests();
    const onProd = { ...prod, snapshotId: snapshot.id };
    await expect(
      service({ policy: hidesProduction }).preview(actor, 'restore.download', onProd),
    ).rejects.toMatchObject({
      code: 'POLICY_DENIED',
      message: `Not allowed to restore.download: project ${prod.groupId} is not visible to you`,
    });
    const ontoProd = {
      ...staging,
      snapshotId: snapshot.id,
      targetGroupId: prod.groupId,
      targetClusterName: prod.clusterName,
    };
    await expect(
      service({ policy: hidesProduction }).request(actor, 'restore.automated', ontoProd, {
        confirmation: { confirmed: true, typedPhrase: prod.clusterName },
      }),
    ).rejects.toMatchObject({ code: 'POLICY_DENIED' });
    expect(served(h.sim, 'GET', /snapshots/)).toHaveLength(0);
    expect(served(h.sim, 'POST', /restoreJobs$/)).toHaveLength(0);
    expect(audit.entries.map((e) => [e.event, e.error?.code])).toEqual([['refused', 'POLICY_DENIED']]);
  });

  it('refuses with MEMBERSHIP_UNAVAILABLE and its hint when the policy could not read user groups', async () => {
    const unreadable: PolicyEngine = {
      ...localOperatorPolicy,
      decide: () => ({
        allowed: false,
        code: 'MEMBERSHIP_UNAVAILABLE',
        reason: 'rule "DBAs" may apply, but user group membership could not be checked (ratelimited)',
      }),
    };
    const { projectId, replicaSetName } = h.sim.seed;
    await expect(
      service({ policy: unreadable }).request(actor, 'snapshot.take', {
        groupId: projectId,
        clusterName: replicaSetName,
      }),
    ).rejects.toMatchObject({
      code: 'MEMBERSHIP_UNAVAILABLE',
      message: expect.stringContaining('could not be checked (ratelimited)'),
      hint: expect.stringContaining('Nothing was done. Try again'),
    });
    expect(served(h.sim, 'POST', /snapshots$/)).toHaveLength(0);
    expect(audit.entries.map((e) => e.error?.code)).toEqual(['MEMBERSHIP_UNAVAILABLE']);
  });

  it('names the bad field and sends nothing for invalid parameters', async () => {
    h.sim.clearRequests();
    await expect(
      service().request(actor, 'restore.pointInTime', {
        groupId: h.sim.seed.projectId,
        clusterName: h.sim.seed.replicaSetName,
        targetGroupId: h.sim.seed.projectId,
        targetClusterName: h.sim.seed.replicaSetName,
        oplogTs: 1700000000,
      }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT', issues: [{ field: 'oplogInc' }] });
    expect(h.sim.requests).toHaveLength(0);
  });
});
