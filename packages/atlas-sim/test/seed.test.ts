import { afterEach, describe, expect, it } from 'vitest';
import { LARGE_SNAPSHOT_COUNT } from '../src/index.js';
import { startTestSim, type Page, type TestSim } from './support/sim.js';

const sims: TestSim[] = [];
afterEach(async () => {
  await Promise.all(sims.splice(0).map((s) => s.sim.close()));
});

async function start(options: Parameters<typeof startTestSim>[0] = {}): Promise<TestSim> {
  const t = await startTestSim(options);
  sims.push(t);
  return t;
}

async function snapshotDump(t: TestSim): Promise<string> {
  const res = await t.client.call(`/groups/${t.g}/clusters/${t.rs}/backup/snapshots?itemsPerPage=500`);
  return res.text.split(t.sim.url).join('<url>');
}

describe('seeded data', () => {
  it('has several projects with a replica set, a sharded cluster, a Flex cluster and a serverless instance', async () => {
    const t = await start();
    const { seed } = t.sim;
    expect(seed.projects.length).toBeGreaterThanOrEqual(3);
    expect(seed.projects[0]?.clusters.map((c) => c.kind).sort()).toEqual(['replicaSet', 'sharded']);
    expect(seed.flexClusterName).not.toBe('');
    expect(seed.serverlessInstanceName).not.toBe('');
    expect(seed.exportBucketId).toMatch(/^[a-f0-9]{24}$/);
    const list = await t.client.call<Page<{ frequencyType?: string; snapshotType: string }>>(
      `/groups/${t.g}/clusters/${t.rs}/backup/snapshots?itemsPerPage=500`,
    );
    const kinds = new Set(list.body.results.map((s) => s.frequencyType ?? s.snapshotType));
    for (const kind of ['hourly', 'daily', 'weekly', 'monthly', 'onDemand']) expect(kinds).toContain(kind);
    const restores = await t.client.call<Page<{ failed: boolean; expired: boolean }>>(
      `/groups/${t.g}/clusters/${t.rs}/backup/restoreJobs`,
    );
    expect(restores.body.results.some((j) => j.failed)).toBe(true);
    expect(restores.body.results.some((j) => j.expired)).toBe(true);
    expect(t.sim.store.listExportJobs(t.g, t.rs).length).toBeGreaterThan(0);
  });

  it('has a cluster behind its schedule, a recent failed snapshot and clusters without continuous backup', async () => {
    const t = await start();
    const { behindSchedule, failedSnapshot, continuousBackupOff } = t.sim.seed;
    if (!behindSchedule || !failedSnapshot) throw new Error('missing seeded situations');
    const now = t.sim.clock.now();
    // The schedule promises a snapshot every 6 hours; the newest completed one is far older.
    const schedule = await t.client.call<{
      policies: { policyItems: { frequencyType: string; frequencyInterval: number }[] }[];
    }>(`/groups/${behindSchedule.projectId}/clusters/${behindSchedule.clusterName}/backup/schedule`);
    const hourly = schedule.body.policies[0]?.policyItems.find((i) => i.frequencyType === 'hourly');
    expect(hourly?.frequencyInterval).toBe(6);
    const listed = await t.client.call<Page<{ status: string; createdAt: string; snapshotType: string }>>(
      `/groups/${behindSchedule.projectId}/clusters/${behindSchedule.clusterName}/backup/snapshots?itemsPerPage=500`,
    );
    const newestCompleted = listed.body.results.find((s) => s.status === 'completed');
    expect(now - Date.parse(newestCompleted?.createdAt ?? '')).toBeGreaterThan(24 * 3_600_000);
    expect(listed.body.results.filter((s) => s.status === 'failed').length).toBeGreaterThanOrEqual(4);

    // A healthy cluster with one failed snapshot in the last 7 days, newer ones completed.
    const failed = await t.client.call<{ status: string; createdAt: string }>(
      `/groups/${failedSnapshot.projectId}/clusters/${failedSnapshot.clusterName}/backup/snapshots/${failedSnapshot.snapshotId}`,
    );
    expect(failed.body.status).toBe('failed');
    expect(now - Date.parse(failed.body.createdAt)).toBeLessThan(7 * 24 * 3_600_000);
    const newest = t.sim.store.listSnapshots(failedSnapshot.projectId, failedSnapshot.clusterName)[0];
    expect(newest?.outcome).toBe('succeeded');

    expect(continuousBackupOff.map((c) => c.clusterName)).toEqual([behindSchedule.clusterName]);
    const cluster = await t.client.call<{ pitEnabled: boolean }>(
      `/groups/${behindSchedule.projectId}/clusters/${behindSchedule.clusterName}`,
      { version: '2024-08-05' },
    );
    expect(cluster.body.pitEnabled).toBe(false);
    for (const name of [t.rs, t.sharded]) {
      const res = await t.client.call<{ pitEnabled: boolean }>(`/groups/${t.g}/clusters/${name}`);
      expect(res.body.pitEnabled, name).toBe(true);
    }
  });

  it('is deterministic for a seed and a start time', async () => {
    const [a, b, c] = await Promise.all([start({ seed: 42 }), start({ seed: 42 }), start({ seed: 43 })]);
    expect(a.sim.seed).toEqual(b.sim.seed);
    expect(await snapshotDump(a)).toEqual(await snapshotDump(b));
    expect(c.sim.seed.projectId).not.toBe(a.sim.seed.projectId);
    // Projects and clusters keep their ids whatever the clock says.
    const later = await start({ seed: 42, now: new Date('2026-03-01T00:00:00Z') });
    expect(later.sim.seed.projectId).toBe(a.sim.seed.projectId);
  });

  it('seeds 10,000 snapshots on one cluster in large mode', async () => {
    const t = await start({ large: true });
    expect(t.sim.seed.replicaSetSnapshotCount).toBe(LARGE_SNAPSHOT_COUNT);
    const res = await t.client.call<Page<unknown>>(
      `/groups/${t.g}/clusters/${t.rs}/backup/snapshots?itemsPerPage=500&pageNum=20`,
    );
    expect(res.body.totalCount).toBe(10_000);
    expect(res.body.results).toHaveLength(500);
    expect(res.body.links.map((l) => l.rel)).toEqual(['self', 'previous']);
  });
});
