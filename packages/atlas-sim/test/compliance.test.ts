import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DAY, fieldsOf, startTestSim, type ApiErrorBody, type TestSim } from './support/sim.js';

interface Policy {
  authorizedEmail: string;
  authorizedUserFirstName: string;
  authorizedUserLastName: string;
  projectId: string;
  pitEnabled: boolean;
  restoreWindowDays: number;
  state: string;
  deletable: boolean;
  onDemandPolicyItem: { frequencyType: string; retentionUnit: string; retentionValue: number };
  scheduledPolicyItems: { frequencyType: string; retentionUnit: string; retentionValue: number }[];
}

interface Snapshot {
  id: string;
  expiresAt: string;
  createdAt: string;
}

let t: TestSim;
beforeEach(async () => {
  t = await startTestSim();
});
afterEach(async () => {
  await t.sim.close();
});

const staging = () => {
  const p = t.sim.seed.projects.find((x) => x.name === 'Staging');
  return { id: p?.id ?? '', cluster: p?.clusters[0]?.name ?? '' };
};
const policyPath = (groupId: string) => `/groups/${groupId}/backupCompliancePolicy`;
const snapshots = (groupId = t.g, cluster = t.rs) =>
  `/groups/${groupId}/clusters/${cluster}/backup/snapshots`;

function completed(
  groupId: string,
  cluster: string,
  filter: (s: { frequencyType?: string }) => boolean = () => true,
) {
  const now = t.sim.clock.now();
  const found = t.sim.store
    .listSnapshots(groupId, cluster)
    .find((s) => s.doneAt <= now && s.outcome === 'succeeded' && filter(s));
  if (!found) throw new Error('no such snapshot');
  return found;
}

describe('the Backup Compliance Policy', () => {
  it("is Production's, in both versions, and 404 elsewhere", async () => {
    expect(t.sim.seed.compliancePolicyProjectIds).toEqual([t.g]);
    for (const version of ['2023-01-01', '2023-10-01']) {
      const res = await t.client.call<Policy>(policyPath(t.g), { version });
      expect(res.status, version).toBe(200);
      expect(res.body).toMatchObject({
        projectId: t.g,
        authorizedEmail: 'compliance@acme.example',
        authorizedUserFirstName: 'Zoë',
        authorizedUserLastName: 'Müller',
        pitEnabled: true,
        restoreWindowDays: 7,
        state: 'ACTIVE',
        deletable: false,
        onDemandPolicyItem: { frequencyType: 'ondemand', retentionUnit: 'days', retentionValue: 2 },
      });
      expect(
        res.body.scheduledPolicyItems.map((i) => `${i.frequencyType} ${i.retentionValue} ${i.retentionUnit}`),
      ).toEqual(['hourly 2 days', 'daily 7 days', 'weekly 4 weeks', 'monthly 12 months']);
    }
    const none = await t.client.call<ApiErrorBody>(policyPath(staging().id));
    expect(none.status).toBe(404);
    expect(none.body.errorCode).toBe('RESOURCE_NOT_FOUND');
    expect(none.body.detail).toContain('Staging');
    expect((await t.client.call<ApiErrorBody>(policyPath('e'.repeat(24)))).body.errorCode).toBe(
      'GROUP_NOT_FOUND',
    );
  });

  it('forbids deleting snapshots, on both delete endpoints, and deletes nothing', async () => {
    const rs = completed(t.g, t.rs);
    const refused = await t.client.call<ApiErrorBody>(`${snapshots()}/${rs.id}`, { method: 'DELETE' });
    expect(refused.status).toBe(400);
    expect(refused.body.errorCode).toBe('CANNOT_DELETE_SNAPSHOT_WITH_BACKUP_COMPLIANCE_POLICY');
    expect(refused.body.detail).toContain('Backup Compliance Policy of project Production');
    const sharded = completed(t.g, t.sharded);
    const shardedRefused = await t.client.call<ApiErrorBody>(
      `${snapshots(t.g, t.sharded)}/shardedCluster/${sharded.id}`,
      { method: 'DELETE' },
    );
    expect(shardedRefused.body.errorCode).toBe('CANNOT_DELETE_SNAPSHOT_WITH_BACKUP_COMPLIANCE_POLICY');
    expect(t.sim.store.getSnapshot(t.g, t.rs, rs.id)).toBeDefined();
    expect(t.sim.store.getSnapshot(t.g, t.sharded, sharded.id)).toBeDefined();

    // Without a policy the same deletes succeed.
    const s = staging();
    const elsewhere = completed(s.id, s.cluster);
    expect(
      (await t.client.call(`${snapshots(s.id, s.cluster)}/${elsewhere.id}`, { method: 'DELETE' })).status,
    ).toBe(204);
    t.sim.store.setCompliancePolicy(t.g, undefined);
    expect((await t.client.call(`${snapshots()}/${rs.id}`, { method: 'DELETE' })).status).toBe(204);
  });

  it('refuses retention below its minimum for scheduled and on-demand snapshots', async () => {
    const now = t.sim.clock.now();
    const daily = completed(t.g, t.rs, (s) => s.frequencyType === 'daily');
    expect(daily.createdAt).toBeGreaterThan(now - 2 * DAY);
    const expiresBefore = daily.expiresAt;
    const tooShort = await t.client.call<ApiErrorBody>(`${snapshots()}/${daily.id}`, {
      method: 'PATCH',
      body: { retentionUnit: 'DAYS', retentionValue: 3 },
    });
    expect(tooShort.status).toBe(400);
    expect(tooShort.body.errorCode).toBe('BACKUP_POLICIES_NOT_MEETING_BACKUP_COMPLIANCE_POLICY_REQUIREMENTS');
    expect(fieldsOf(tooShort.body)).toEqual(['retentionValue']);
    expect(tooShort.body.detail).toContain('daily snapshots at least 7 days');
    expect(t.sim.store.getSnapshot(t.g, t.rs, daily.id)?.expiresAt).toBe(expiresBefore);
    const enough = await t.client.call<Snapshot>(`${snapshots()}/${daily.id}`, {
      method: 'PATCH',
      body: { retentionUnit: 'DAYS', retentionValue: 7 },
    });
    expect(enough.status).toBe(200);

    const oneDay = await t.client.call<ApiErrorBody>(snapshots(), {
      method: 'POST',
      body: { retentionInDays: 1 },
    });
    expect(oneDay.status).toBe(400);
    expect(oneDay.body.errorCode).toBe('BACKUP_POLICIES_NOT_MEETING_BACKUP_COMPLIANCE_POLICY_REQUIREMENTS');
    expect(fieldsOf(oneDay.body)).toEqual(['retentionInDays']);
    const taken = await t.client.call<Snapshot>(snapshots(), {
      method: 'POST',
      body: { retentionInDays: 2 },
    });
    expect(taken.status).toBe(200);
    t.sim.clock.advance(10 * 60_000);
    const shorter = await t.client.call<ApiErrorBody>(`${snapshots()}/${taken.body.id}`, {
      method: 'PATCH',
      body: { retentionUnit: 'DAYS', retentionValue: 1 },
    });
    expect(shorter.body.errorCode).toBe('BACKUP_POLICIES_NOT_MEETING_BACKUP_COMPLIANCE_POLICY_REQUIREMENTS');
    expect(shorter.body.detail).toContain('on-demand snapshots at least 2 days');

    // Another project, or the same without its policy, may shorten freely.
    const s = staging();
    const stagingSnapshot = await t.client.call<Snapshot>(snapshots(s.id, s.cluster), {
      method: 'POST',
      body: { retentionInDays: 1 },
    });
    expect(stagingSnapshot.status).toBe(200);
    t.sim.store.setCompliancePolicy(t.g, undefined);
    expect(
      (
        await t.client.call(`${snapshots()}/${taken.body.id}`, {
          method: 'PATCH',
          body: { retentionUnit: 'DAYS', retentionValue: 1 },
        })
      ).status,
    ).toBe(200);
  });

  it('can be set on another project by a test', async () => {
    const s = staging();
    const policy = t.sim.store.getCompliancePolicy(t.g);
    if (!policy) throw new Error('Production has no policy');
    t.sim.store.setCompliancePolicy(s.id, { ...policy, authorizedEmail: 'ops@acme.example' });
    const res = await t.client.call<Policy>(policyPath(s.id), { version: '2023-10-01' });
    expect(res.body).toMatchObject({ projectId: s.id, authorizedEmail: 'ops@acme.example' });
    const snap = completed(s.id, s.cluster);
    const refused = await t.client.call<ApiErrorBody>(`${snapshots(s.id, s.cluster)}/${snap.id}`, {
      method: 'DELETE',
    });
    expect(refused.body.detail).toContain('project Staging');
  });
});
