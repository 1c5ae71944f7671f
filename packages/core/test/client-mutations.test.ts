import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AtlasApiError,
  InputValidationError,
  OutcomeUnknownError,
  SnapshotInProgressError,
  watchJob,
  type JobUpdate,
} from '../src/index.js';
import { served, simHarness, type SimHarness } from './support/sim.js';

let h: SimHarness;
beforeEach(async () => {
  h = await simHarness({ now: new Date('2026-11-27T12:00:00Z') });
});
afterEach(async () => {
  await h.close();
});

/** Watches with the simulator's clock standing in for time, so jobs move deterministically. */
async function follow(ref: Parameters<typeof watchJob>[1]): Promise<JobUpdate[]> {
  const updates: JobUpdate[] = [];
  const client = h.client();
  for await (const u of watchJob(client, ref, {
    pollIntervalMs: 30_000,
    now: () => h.sim.clock.now(),
    sleep: async (ms) => h.sim.clock.advance(ms),
  })) {
    updates.push(u);
  }
  return updates;
}

async function completedSnapshotId(): Promise<string> {
  const page = await h
    .client()
    .listSnapshots(h.sim.seed.projectId, h.sim.seed.replicaSetName, { itemsPerPage: 50 });
  const snap = page.results.find((s) => s.status === 'completed');
  if (!snap) throw new Error('seed has no completed snapshot');
  return snap.id;
}

describe('on-demand snapshots', () => {
  it('takes one, refuses a second while it runs, and watches it complete', async () => {
    const client = h.client();
    const { projectId, replicaSetName } = h.sim.seed;
    const taken = await client.takeSnapshot(projectId, replicaSetName, {
      description: 'before deploy',
      retentionInDays: 3,
    });
    expect(taken.value.status).toBe('queued');
    expect(taken.value.description).toContain('before deploy');
    expect(taken.value.description).toContain(taken.requestRef);
    expect(Date.parse(taken.value.expiresAt ?? '') - Date.parse(taken.value.createdAt ?? '')).toBe(
      3 * 86_400_000,
    );

    const second = await client.takeSnapshot(projectId, replicaSetName, {}).catch((e: unknown) => e);
    expect(second).toBeInstanceOf(SnapshotInProgressError);
    expect(second).toMatchObject({ code: 'SNAPSHOT_IN_PROGRESS', snapshotId: taken.value.id });
    expect(served(h.sim, 'POST', /backup\/snapshots$/)).toHaveLength(1);

    const updates = await follow({
      kind: 'snapshot',
      groupId: projectId,
      clusterName: replicaSetName,
      id: taken.value.id,
    });
    expect(updates.map((u) => u.status)).toEqual(['queued', 'inProgress', 'completed']);
    expect(updates.at(-1)).toMatchObject({ phase: 'succeeded', terminal: true });
  });

  it('refuses retentionInDays below 1 before any request', async () => {
    h.sim.clearRequests();
    const error = await h
      .client()
      .takeSnapshot(h.sim.seed.projectId, h.sim.seed.replicaSetName, { retentionInDays: 0 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputValidationError);
    expect(h.sim.requests).toHaveLength(0);
  });
});

describe('creates never run twice', () => {
  it('finds the snapshot when the connection drops after Atlas took it', async () => {
    const { projectId, replicaSetName } = h.sim.seed;
    h.sim.faults.inject({ kind: 'reset', when: 'after', method: 'POST', path: /backup\/snapshots$/ });
    const taken = await h.client().takeSnapshot(projectId, replicaSetName, { description: 'reset-after' });
    expect(taken.reconciled).toBe(true);
    expect(served(h.sim, 'POST', /backup\/snapshots$/)).toHaveLength(1);
    const all = await h.client().listSnapshots(projectId, replicaSetName, { itemsPerPage: 100 });
    expect(all.results.filter((s) => s.description?.includes('reset-after'))).toHaveLength(1);
    expect(all.results.find((s) => s.description?.includes('reset-after'))?.id).toBe(taken.value.id);
  });

  it('sends again when the connection dropped before Atlas saw the create', async () => {
    const { projectId, replicaSetName } = h.sim.seed;
    h.sim.faults.inject({ kind: 'reset', when: 'before', method: 'POST', path: /backup\/snapshots$/ });
    const taken = await h.client().takeSnapshot(projectId, replicaSetName, { description: 'reset-before' });
    expect(taken.reconciled).toBe(false);
    const posts = served(h.sim, 'POST', /backup\/snapshots$/).map((r) => r.status);
    expect(posts).toEqual([0, 200]);
  });

  it('reconciles a restore job whose answer was lost', async () => {
    const { projectId, replicaSetName, shardedClusterName } = h.sim.seed;
    void shardedClusterName;
    const snapshotId = await completedSnapshotId();
    h.sim.faults.inject({ kind: 'reset', when: 'after', method: 'POST', path: /restoreJobs$/ });
    const res = await h.client().createRestoreJob(projectId, replicaSetName, {
      deliveryType: 'automated',
      snapshotId,
      targetClusterName: replicaSetName,
      targetGroupId: projectId,
    });
    expect(res.reconciled).toBe(true);
    expect(served(h.sim, 'POST', /restoreJobs$/)).toHaveLength(1);
    const jobs = await h.client().listRestoreJobs(projectId, replicaSetName);
    expect(
      jobs.results.filter((j) => j.snapshotId === snapshotId && j.deliveryType === 'automated'),
    ).toHaveLength(1);
  });

  it('reconciles an export job through its customData marker after a 503', async () => {
    const { projectId, replicaSetName, exportBucketId } = h.sim.seed;
    const snapshotId = await completedSnapshotId();
    h.sim.faults.inject({ kind: 'reset', when: 'after', method: 'POST', path: /backup\/exports$/ });
    const res = await h.client().createExportJob(projectId, replicaSetName, {
      snapshotId,
      exportBucketId,
      customData: [{ key: 'ticket', value: 'INC-42' }],
    });
    expect(res.reconciled).toBe(true);
    expect(res.value.customData).toEqual(
      expect.arrayContaining([
        { key: 'ticket', value: 'INC-42' },
        { key: 'atlas-backups-request', value: res.requestRef },
      ]),
    );
    expect(served(h.sim, 'POST', /backup\/exports$/)).toHaveLength(1);
  });

  it('retries a create refused with 503 only after checking it did not happen', async () => {
    const { projectId, replicaSetName } = h.sim.seed;
    const snapshotId = await completedSnapshotId();
    h.sim.faults.inject({ status: 503, method: 'POST', path: /restoreJobs$/ });
    const res = await h
      .client()
      .createRestoreJob(projectId, replicaSetName, { deliveryType: 'download', snapshotId });
    expect(res.reconciled).toBe(false);
    expect(served(h.sim, 'POST', /restoreJobs$/).map((r) => r.status)).toEqual([503, 200]);
    // The check between the two posts:
    const between = h.sim.requests.findIndex((r) => r.method === 'GET' && /restoreJobs$/.test(r.path));
    expect(between).toBeGreaterThan(-1);
  });

  it('says the outcome is unknown when Atlas cannot be asked, and does not send again', async () => {
    const { projectId, replicaSetName, exportBucketId } = h.sim.seed;
    const snapshotId = await completedSnapshotId();
    h.sim.faults.inject({ kind: 'reset', when: 'after', method: 'POST', path: /backup\/exports$/ });
    h.sim.faults.inject({ status: 500, method: 'GET', path: /backup\/exports$/ });
    const error = await h
      .client()
      .createExportJob(projectId, replicaSetName, { snapshotId, exportBucketId })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    expect(error).toMatchObject({ code: 'OUTCOME_UNKNOWN' });
    expect((error as OutcomeUnknownError).hint).toMatch(/Check the job list/);
    expect(served(h.sim, 'POST', /backup\/exports$/)).toHaveLength(1);
  });
});

describe('retries', () => {
  it('waits as long as Retry-After asks, then succeeds', async () => {
    h.sim.faults.inject({ status: 429, retryAfterSeconds: 2, times: 2, method: 'GET', path: /\/groups$/ });
    await expect(h.client().listProjects()).resolves.toBeTruthy();
    expect(h.sleeps).toEqual([2000, 2000]);
    expect(served(h.sim, 'GET', /\/groups$/).map((r) => r.status)).toEqual([429, 429, 200]);
  });

  it('gives up after the attempt cap with the last error', async () => {
    h.sim.faults.inject({ status: 503, times: 10, method: 'GET', path: /\/groups$/ });
    const error = await h
      .client({ retry: { maxAttempts: 3 } })
      .listProjects()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AtlasApiError);
    expect(error).toMatchObject({ code: 'ATLAS_SERVER_ERROR', status: 503 });
    expect(h.sleeps).toHaveLength(2);
  });

  it('retries a reset connection on a read', async () => {
    h.sim.faults.inject({ kind: 'reset', when: 'after', method: 'GET', path: /\/groups$/ });
    await expect(h.client().listProjects()).resolves.toBeTruthy();
    expect(served(h.sim, 'GET', /\/groups$/).map((r) => r.status)).toEqual([0, 200]);
  });

  it('does not retry a 500 on a read (not transient)', async () => {
    h.sim.faults.inject({ status: 500, method: 'GET', path: /\/groups$/ });
    await expect(h.client().listProjects()).rejects.toMatchObject({
      code: 'ATLAS_SERVER_ERROR',
      status: 500,
    });
    expect(h.sleeps).toHaveLength(0);
  });
});

describe('retention, exports, restores and cancellation', () => {
  it('changes retention and returns the new expiry', async () => {
    const { projectId, replicaSetName } = h.sim.seed;
    const snapshotId = await completedSnapshotId();
    const before = await h.client().getSnapshot(projectId, replicaSetName, snapshotId);
    const after = await h.client().updateSnapshotRetention(projectId, replicaSetName, snapshotId, {
      retentionUnit: 'YEARS',
      retentionValue: 1,
    });
    expect(after.expiresAt).not.toBe(before.expiresAt);
    expect(Date.parse(after.expiresAt ?? '')).toBeGreaterThan(Date.parse(before.expiresAt ?? ''));
    const bad = await h
      .client()
      .updateSnapshotRetention(projectId, replicaSetName, snapshotId, {
        retentionUnit: 'FORTNIGHTS' as 'DAYS',
        retentionValue: 2,
      })
      .catch((e: unknown) => e);
    expect((bad as InputValidationError).issues[0]?.field).toBe('retentionUnit');
  });

  it('exports a snapshot and follows its progress to Successful', async () => {
    const { projectId, replicaSetName, exportBucketId } = h.sim.seed;
    const snapshotId = await completedSnapshotId();
    const res = await h.client().createExportJob(projectId, replicaSetName, { snapshotId, exportBucketId });
    const updates = await follow({
      kind: 'export',
      groupId: projectId,
      clusterName: replicaSetName,
      id: res.value.id,
    });
    expect(updates[0]?.status).toBe('Queued');
    expect(updates.at(-1)).toMatchObject({ status: 'Successful', phase: 'succeeded' });
    expect(updates.some((u) => u.status === 'InProgress' && u.progress !== undefined)).toBe(true);
  });

  it.each(['automated', 'download', 'pointInTime'] as const)(
    'runs a %s restore to the end',
    async (deliveryType) => {
      const { projectId, replicaSetName } = h.sim.seed;
      const snapshotId = await completedSnapshotId();
      const target = { targetClusterName: replicaSetName, targetGroupId: projectId };
      const body =
        deliveryType === 'download'
          ? { deliveryType, snapshotId }
          : deliveryType === 'automated'
            ? { deliveryType, snapshotId, ...target }
            : { deliveryType, ...target, pointInTimeUTCSeconds: Math.floor(h.sim.clock.now() / 1000) - 3600 };
      const res = await h.client().createRestoreJob(projectId, replicaSetName, body);
      const updates = await follow({
        kind: 'restore',
        groupId: projectId,
        clusterName: replicaSetName,
        id: res.value.id,
      });
      const last = updates.at(-1);
      expect(last?.phase).toBe('succeeded');
      if (deliveryType === 'download') expect(last?.urls?.[0]).toMatch(/^https:\/\//);
    },
  );

  it('refuses a wrong restore combination before any request', async () => {
    h.sim.clearRequests();
    const error = await h
      .client()
      .createRestoreJob(h.sim.seed.projectId, h.sim.seed.replicaSetName, {
        deliveryType: 'pointInTime',
        targetClusterName: 'x',
        targetGroupId: h.sim.seed.projectId,
        pointInTimeUTCSeconds: 1700000000,
        oplogTs: 1700000000,
        oplogInc: 1,
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputValidationError);
    expect(h.sim.requests).toHaveLength(0);
  });

  it('cancels a running restore job', async () => {
    const { projectId, replicaSetName } = h.sim.seed;
    const snapshotId = await completedSnapshotId();
    const res = await h.client().createRestoreJob(projectId, replicaSetName, {
      deliveryType: 'automated',
      snapshotId,
      targetClusterName: replicaSetName,
      targetGroupId: projectId,
    });
    await h.client().cancelRestoreJob(projectId, replicaSetName, res.value.id);
    const job = await h.client().getRestoreJob(projectId, replicaSetName, res.value.id);
    expect(job.cancelled).toBe(true);
  });
});

describe('Flex backups', () => {
  async function flexSnapshotId() {
    const page = await h.client().listFlexSnapshots(h.sim.seed.projectId, h.sim.seed.flexClusterName);
    const snap = page.results.find((s) => s.status === 'COMPLETED');
    if (!snap) throw new Error('seed has no completed Flex snapshot');
    return snap.id;
  }

  it('downloads a Flex snapshot and follows it until the link is ready', async () => {
    const { projectId, flexClusterName } = h.sim.seed;
    const res = await h.client().downloadFlexSnapshot(projectId, flexClusterName, await flexSnapshotId());
    expect(res.value.deliveryType).toBe('DOWNLOAD');
    const updates = await follow({
      kind: 'flexRestore',
      groupId: projectId,
      clusterName: flexClusterName,
      id: res.value.id,
    });
    expect(updates.at(-1)).toMatchObject({ phase: 'succeeded', status: 'ready' });
    expect(updates.at(-1)?.urls?.[0]).toMatch(/^https:\/\//);
  });

  it('reconciles a Flex restore whose answer was lost', async () => {
    const { projectId, flexClusterName } = h.sim.seed;
    const snapshotId = await flexSnapshotId();
    h.sim.faults.inject({
      kind: 'reset',
      when: 'after',
      method: 'POST',
      path: /flexClusters\/.+\/backup\/restoreJobs$/,
    });
    const res = await h.client().createFlexRestoreJob(projectId, flexClusterName, {
      snapshotId,
      targetDeploymentItemName: flexClusterName,
      targetProjectId: projectId,
    });
    expect(res.reconciled).toBe(true);
    expect(served(h.sim, 'POST', /flexClusters\/.+\/backup\/restoreJobs$/)).toHaveLength(1);
    const jobs = await h.client().listFlexRestoreJobs(projectId, flexClusterName);
    expect(
      jobs.results.filter((j) => j.snapshotId === snapshotId && j.deliveryType === 'RESTORE'),
    ).toHaveLength(1);
  });
});

describe('watching', () => {
  it('stops at the overall timeout', async () => {
    const { projectId, replicaSetName } = h.sim.seed;
    const snapshotId = await completedSnapshotId();
    const res = await h.client().createRestoreJob(projectId, replicaSetName, {
      deliveryType: 'automated',
      snapshotId,
      targetClusterName: replicaSetName,
      targetGroupId: projectId,
    });
    const seen: string[] = [];
    const run = async () => {
      for await (const u of watchJob(
        h.client(),
        { kind: 'restore', groupId: projectId, clusterName: replicaSetName, id: res.value.id },
        {
          pollIntervalMs: 1000,
          timeoutMs: 3000,
          now: () => h.sim.clock.now(),
          sleep: async (ms) => h.sim.clock.advance(ms),
        },
      )) {
        seen.push(u.status);
      }
    };
    await expect(run()).rejects.toMatchObject({ code: 'WATCH_TIMEOUT' });
    expect(seen).toEqual(['inProgress']);
  });

  it('ends quietly when cancelled', async () => {
    const { projectId, replicaSetName } = h.sim.seed;
    const snapshotId = await completedSnapshotId();
    const res = await h
      .client()
      .createRestoreJob(projectId, replicaSetName, { deliveryType: 'download', snapshotId });
    const controller = new AbortController();
    const seen: string[] = [];
    for await (const u of watchJob(
      h.client(),
      { kind: 'restore', groupId: projectId, clusterName: replicaSetName, id: res.value.id },
      { signal: controller.signal, sleep: async () => controller.abort() },
    )) {
      seen.push(u.status);
    }
    expect(seen).toEqual(['inProgress']);
  });

  it('backs off while Atlas is failing and carries on', async () => {
    const { projectId, replicaSetName } = h.sim.seed;
    const taken = await h.client().takeSnapshot(projectId, replicaSetName, {});
    h.sim.faults.inject({ status: 500, times: 3, method: 'GET', path: /backup\/snapshots\/[a-f0-9]{24}$/ });
    const waits: number[] = [];
    const updates: JobUpdate[] = [];
    for await (const u of watchJob(
      h.client(),
      { kind: 'snapshot', groupId: projectId, clusterName: replicaSetName, id: taken.value.id },
      {
        pollIntervalMs: 1000,
        now: () => h.sim.clock.now(),
        sleep: async (ms) => {
          waits.push(ms);
          h.sim.clock.advance(ms);
        },
      },
    )) {
      updates.push(u);
    }
    expect(waits.slice(0, 3)).toEqual([2000, 4000, 8000]);
    expect(updates.at(-1)?.status).toBe('completed');
  });
});
