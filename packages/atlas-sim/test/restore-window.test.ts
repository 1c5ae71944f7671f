import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { restorableWindow } from '../src/index.js';
import { DAY, fieldsOf, HOUR, startTestSim, type ApiErrorBody, type TestSim } from './support/sim.js';

let t: TestSim;
beforeEach(async () => {
  t = await startTestSim();
});
afterEach(async () => {
  await t.sim.close();
});

const seconds = (ms: number): number => Math.floor(ms / 1000);
const iso = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19)}Z`;

function project(name: string): { id: string; cluster: string } {
  const p = t.sim.seed.projects.find((x) => x.name === name);
  return { id: p?.id ?? '', cluster: p?.clusters[0]?.name ?? '' };
}

/** A cluster-level point-in-time restore of a cluster onto itself. */
const clusterPit = (groupId: string, cluster: string, at: Record<string, number>) =>
  t.client.call<ApiErrorBody & { id: string }>(`/groups/${groupId}/clusters/${cluster}/backup/restoreJobs`, {
    method: 'POST',
    body: { deliveryType: 'pointInTime', targetGroupId: groupId, targetClusterName: cluster, ...at },
  });

/** A collection-level point-in-time restore of sales.orders onto the same cluster under a new name. */
const collectionPit = (groupId: string, cluster: string, at: number) =>
  t.client.call<ApiErrorBody & { id: string }>(
    `/groups/${groupId}/clusters/${cluster}/collectionRestoreJobs`,
    {
      method: 'POST',
      version: '2025-03-12',
      body: {
        pointInTimeUtcSeconds: at,
        targetGroupId: groupId,
        targetClusterName: cluster,
        writeStrategy: 'CREATE_NEW',
        indexStrategy: 'ALL',
        collectionSuffix: `_${at}`,
        collections: [{ sourceNamespace: 'sales.orders' }],
      },
    },
  );

describe('the point-in-time restore window', () => {
  it('is refused on a cluster without continuous backup, at cluster and collection level alike', async () => {
    const off = t.sim.seed.continuousBackupOff[0];
    expect(off).toBeDefined();
    const { projectId, clusterName } = off ?? { projectId: '', clusterName: '' };
    const at = seconds(t.sim.clock.now() - HOUR);
    const cluster = await clusterPit(projectId, clusterName, { pointInTimeUTCSeconds: at });
    expect(cluster.status).toBe(400);
    expect(cluster.body.errorCode).toBe('POINT_IN_TIME_RESTORE_NOT_ENABLED');
    expect(fieldsOf(cluster.body)).toEqual(['pointInTimeUTCSeconds']);
    const collection = await collectionPit(projectId, clusterName, at);
    expect(collection.body.errorCode).toBe('POINT_IN_TIME_RESTORE_NOT_ENABLED');
    expect(fieldsOf(collection.body)).toEqual(['pointInTimeUtcSeconds']);
  });

  it('runs from restoreWindowDays ago to now, both ends included, naming the window when refused', async () => {
    const now = t.sim.clock.now();
    const start = now - 7 * DAY;
    expect((await clusterPit(t.g, t.rs, { pointInTimeUTCSeconds: seconds(start) })).status).toBe(200);
    expect((await clusterPit(t.g, t.rs, { pointInTimeUTCSeconds: seconds(now) })).status).toBe(200);
    expect((await collectionPit(t.g, t.rs, seconds(start))).status).toBe(201);

    const before = await clusterPit(t.g, t.rs, { pointInTimeUTCSeconds: seconds(start) - 1 });
    expect(before.status).toBe(400);
    expect(before.body.errorCode).toBe('POINT_IN_TIME_OUTSIDE_RESTORE_WINDOW');
    expect(before.body.detail).toContain(`from ${iso(start)} to ${iso(now)}`);
    // Production's Backup Compliance Policy asks for the same 7 days: the refusal names it.
    expect(before.body.detail).toContain('the Backup Compliance Policy of project Production');
    const collection = await collectionPit(t.g, t.rs, seconds(start) - 1);
    expect(collection.body.errorCode).toBe('POINT_IN_TIME_OUTSIDE_RESTORE_WINDOW');
    expect(collection.body.detail).toBe(
      before.body.detail.replace('pointInTimeUTCSeconds', 'pointInTimeUtcSeconds'),
    );

    const future = await clusterPit(t.g, t.rs, { oplogTs: seconds(now) + 60, oplogInc: 1 });
    expect(future.body.errorCode).toBe('POINT_IN_TIME_OUTSIDE_RESTORE_WINDOW');
    expect(fieldsOf(future.body)).toEqual(['oplogTs']);
    expect(future.body.detail).toContain('in the future');
  });

  it('starts at the oldest completed snapshot when that is younger than the window', async () => {
    const { id, cluster } = project('Staging');
    const now = t.sim.clock.now();
    for (const s of t.sim.store.listSnapshots(id, cluster)) {
      if (s.createdAt < now - 2 * DAY) t.sim.store.deleteSnapshot(id, cluster, s.id);
    }
    const record = t.sim.store.getCluster(id, cluster);
    if (!record) throw new Error(`no cluster ${cluster}`);
    const window = restorableWindow(record, t.sim.store.listSnapshots(id, cluster), undefined, now);
    expect(window.limitedBy).toBe('oldestSnapshot');
    const oldest = window.start ?? 0;
    expect(oldest).toBeGreaterThan(now - 2 * DAY);
    expect((await clusterPit(id, cluster, { pointInTimeUTCSeconds: seconds(oldest) })).status).toBe(200);
    const earlier = await clusterPit(id, cluster, { pointInTimeUTCSeconds: seconds(oldest) - 1 });
    expect(earlier.body.errorCode).toBe('POINT_IN_TIME_OUTSIDE_RESTORE_WINDOW');
    expect(earlier.body.detail).toContain('from its oldest completed snapshot');
    expect(earlier.body.detail).not.toContain('Compliance');

    for (const s of t.sim.store.listSnapshots(id, cluster)) t.sim.store.deleteSnapshot(id, cluster, s.id);
    const none = await clusterPit(id, cluster, { pointInTimeUTCSeconds: seconds(now - HOUR) });
    expect(none.body.errorCode).toBe('POINT_IN_TIME_OUTSIDE_RESTORE_WINDOW');
    expect(none.body.detail).toContain('no completed snapshot');
  });

  it("widens to a compliance policy's longer window", async () => {
    const { id, cluster } = project('Staging');
    const now = t.sim.clock.now();
    const eightDaysAgo = seconds(now - 8 * DAY);
    expect((await clusterPit(id, cluster, { pointInTimeUTCSeconds: eightDaysAgo })).status).toBe(400);
    const production = t.sim.store.getCompliancePolicy(t.g);
    if (!production) throw new Error('Production has no policy');
    t.sim.store.setCompliancePolicy(id, { ...production, restoreWindowDays: 10 });
    expect((await clusterPit(id, cluster, { pointInTimeUTCSeconds: eightDaysAgo })).status).toBe(200);
    const elevenDaysAgo = await clusterPit(id, cluster, { pointInTimeUTCSeconds: seconds(now - 11 * DAY) });
    expect(elevenDaysAgo.body.detail).toContain(
      '10 days of continuous backup, as the Backup Compliance Policy of project Staging requires',
    );
  });
});
