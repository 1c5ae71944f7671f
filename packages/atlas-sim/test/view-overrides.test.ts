import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestSim, type Page, type TestSim } from './support/sim.js';

let t: TestSim;
beforeEach(async () => {
  t = await startTestSim({ recordResponses: true });
});
afterEach(async () => {
  // Contract-checked: fails if anything but the overridden answers left the contract.
  await t.sim.close();
});

interface Snapshot {
  id: string;
  status: string;
  frequencyType?: string;
}

describe('answers with values Atlas may add later', () => {
  it('shows an overridden object so in lists and reads, marked off-contract, until cleared', async () => {
    const path = `/groups/${t.g}/clusters/${t.rs}/backup/snapshots`;
    const first = (await t.client.call<Page<Snapshot>>(path)).body.results[0];
    const id = first?.id ?? '';
    t.sim.store.overrideView(id, { status: 'archived', frequencyType: 'quarterly' });

    const listed = (await t.client.call<Page<Snapshot>>(path)).body.results;
    expect(listed.find((s) => s.id === id)).toMatchObject({ status: 'archived', frequencyType: 'quarterly' });
    expect(listed.filter((s) => s.status === 'archived')).toHaveLength(1);
    expect((await t.client.call<Snapshot>(`${path}/${id}`)).body.status).toBe('archived');
    const recorded = t.sim.responses.filter((r) => r.offContract);
    expect(recorded.map((r) => r.method)).toEqual(['GET', 'GET']);

    t.sim.store.overrideView(id, undefined);
    expect((await t.client.call<Snapshot>(`${path}/${id}`)).body.status).toBe(first?.status);
    expect(t.sim.responses.filter((r) => r.offContract)).toHaveLength(2);
  });

  it('reaches objects nested in an answer and buckets by _id', async () => {
    const schedulePath = `/groups/${t.g}/clusters/${t.rs}/backup/schedule`;
    const schedule = await t.client.call<{ policies: { policyItems: { id: string }[] }[] }>(schedulePath, {
      version: '2024-08-05',
    });
    const item = schedule.body.policies[0]?.policyItems[0]?.id ?? '';
    t.sim.store.overrideView(item, { frequencyType: 'everyFullMoon' });
    t.sim.store.overrideView(t.sim.seed.exportBucketId, { cloudProvider: 'OCI' });
    const again = await t.client.call<{ policies: { policyItems: { frequencyType: string }[] }[] }>(
      schedulePath,
      { version: '2024-08-05' },
    );
    expect(again.body.policies[0]?.policyItems[0]?.frequencyType).toBe('everyFullMoon');
    const buckets = await t.client.call<Page<{ cloudProvider: string }>>(
      `/groups/${t.g}/backup/exportBuckets`,
    );
    expect(buckets.body.results.map((b) => b.cloudProvider)).toContain('OCI');
  });
});
