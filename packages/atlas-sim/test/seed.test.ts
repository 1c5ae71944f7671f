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
