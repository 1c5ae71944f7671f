import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AtlasApiError, InputValidationError, take } from '../src/index.js';
import { served, simHarness, type SimHarness } from './support/sim.js';

let h: SimHarness;
beforeAll(async () => {
  h = await simHarness({ now: new Date('2026-11-27T12:00:00Z') });
});
afterAll(async () => {
  await h.close();
});

const seed = () => h.sim.seed;

describe('browsing', () => {
  it('lists projects and every kind of cluster, each marked', async () => {
    const client = h.client();
    const projects = await take(client.iterateProjects(), 100);
    expect(projects.map((p) => p.id)).toContain(seed().projectId);
    const clusters = await client.listAllClusters(seed().projectId);
    const kinds = Object.fromEntries(clusters.map((c) => [c.name, c.kind]));
    expect(kinds[seed().replicaSetName]).toBe('replicaSet');
    expect(kinds[seed().shardedClusterName]).toBe('sharded');
    expect(kinds[seed().flexClusterName]).toBe('flex');
    expect(kinds[seed().serverlessInstanceName]).toBe('serverless');
  });

  it('reads a cluster, its schedule, buckets and sharded snapshots', async () => {
    const client = h.client();
    const { projectId, replicaSetName, shardedClusterName, exportBucketId } = seed();
    await expect(client.getCluster(projectId, replicaSetName)).resolves.toMatchObject({
      name: replicaSetName,
    });
    const schedule = await client.getBackupSchedule(projectId, replicaSetName);
    expect(schedule.policies[0]?.policyItems.length).toBeGreaterThan(0);
    const buckets = await client.listExportBuckets(projectId);
    expect(buckets.results.map((b) => b._id)).toContain(exportBucketId);
    await expect(client.getExportBucket(projectId, exportBucketId)).resolves.toMatchObject({
      _id: exportBucketId,
    });
    const sharded = await client.listShardedSnapshots(projectId, shardedClusterName);
    const first = sharded.results[0];
    expect(first?.members?.length).toBeGreaterThan(1);
    await expect(
      client.getShardedSnapshot(projectId, shardedClusterName, first?.id ?? ''),
    ).resolves.toMatchObject({
      id: first?.id,
    });
  });

  it('streams every snapshot page by page, newest first', async () => {
    const client = h.client();
    const { projectId, replicaSetName } = seed();
    const total =
      (await client.listSnapshots(projectId, replicaSetName, { itemsPerPage: 1 })).totalCount ?? 0;
    expect(total).toBeGreaterThan(20);
    h.sim.clearRequests();
    const all = [];
    for await (const s of client.iterateSnapshots(projectId, replicaSetName, { itemsPerPage: 7 }))
      all.push(s);
    expect(all).toHaveLength(total);
    expect(new Set(all.map((s) => s.id)).size).toBe(total);
    expect(served(h.sim, 'GET', /backup\/snapshots$/)).toHaveLength(Math.ceil(total / 7));
    const times = all.map((s) => Date.parse(s.createdAt ?? ''));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('refuses bad paging and bad path parameters before sending anything', async () => {
    const client = h.client();
    h.sim.clearRequests();
    await expect(
      client.listSnapshots(seed().projectId, seed().replicaSetName, { itemsPerPage: 501 }),
    ).rejects.toThrow(/itemsPerPage: itemsPerPage must be between 1 and 500/);
    const bad = await client.getSnapshot('not-a-project', 'bad name!', 'x').catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(InputValidationError);
    expect((bad as InputValidationError).issues.map((i) => i.field)).toEqual([
      'groupId',
      'clusterName',
      'snapshotId',
    ]);
    expect(h.sim.requests).toHaveLength(0);
  });

  it("keeps Atlas's error fields and adds a stable code and hint", async () => {
    const client = h.client();
    const error = await client.listSnapshots(seed().projectId, 'NoSuchCluster').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AtlasApiError);
    expect(error).toMatchObject({ code: 'ATLAS_NOT_FOUND', status: 404, errorCode: 'CLUSTER_NOT_FOUND' });
    expect((error as AtlasApiError).detail).toBeTruthy();
    expect((error as AtlasApiError).hint).toMatch(/cluster/i);
  });

  it('works with envelope and pretty responses', async () => {
    const client = h.client({ envelope: true, pretty: true });
    const page = await client.listProjects();
    expect(page.results.length).toBeGreaterThan(0);
    await expect(client.getProject(seed().projectId)).resolves.toMatchObject({ id: seed().projectId });
    await expect(client.getCluster(seed().projectId, 'Missing')).rejects.toMatchObject({ status: 404 });
    expect(h.sim.requests.at(-1)?.query).toContain('envelope=true');
  });
});

describe('serverless snapshots past the sunset', () => {
  it('falls back to the Flex endpoint on 410 and says so', async () => {
    const client = h.client();
    const { projectId, serverlessInstanceName } = seed();
    const flex = await client.listFlexSnapshots(projectId, serverlessInstanceName).catch(() => undefined);
    const snapshotId = flex?.results[0]?.id;
    expect(snapshotId).toBeDefined();
    const result = await client.getServerlessSnapshot(projectId, serverlessInstanceName, snapshotId ?? '');
    expect(result.via).toBe('flex');
    if (result.via === 'flex') expect(result.notice).toMatch(/410 VERSION_GONE/);
    expect(served(h.sim, 'GET', /serverless\/.+\/backup\/snapshots\//).map((r) => r.status)).toContain(410);
  });

  it('reads the serverless endpoint directly before the sunset', async () => {
    const before = await simHarness({ now: new Date('2025-12-01T00:00:00Z') });
    try {
      const client = before.client();
      const { projectId, serverlessInstanceName } = before.sim.seed;
      const list = await client.listServerlessSnapshots(projectId, serverlessInstanceName);
      const id = list.results[0]?.id ?? '';
      const result = await client.getServerlessSnapshot(projectId, serverlessInstanceName, id);
      expect(result).toMatchObject({ via: 'serverless', snapshot: { id } });
    } finally {
      await before.close();
    }
  });
});
