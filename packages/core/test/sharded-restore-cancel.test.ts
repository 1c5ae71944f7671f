import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ActionService,
  AtlasApiError,
  MemoryAuditLog,
  ShardedRestoreCancelError,
  localOperatorPolicy,
  restoreCancelRefusal,
  type Actor,
} from '../src/index.js';
import { served, simHarness, type SimHarness } from './support/sim.js';

/** Atlas answers 405 ATLAS_BACKUP_CANCEL_SHARD_RESTORE_JOB_NOT_ALLOWED (issue 9, point 15). */
let h: SimHarness;
beforeEach(async () => {
  h = await simHarness({ now: new Date('2026-11-27T12:00:00Z') });
});
afterEach(async () => {
  await h.close();
});

const actor: Actor = { id: 'local:alice', displayName: 'alice', source: 'tui' };

async function shardedRestoreJob(): Promise<string> {
  const { projectId, shardedClusterName } = h.sim.seed;
  const now = h.sim.clock.now();
  const snapshot = h.sim.store
    .listSnapshots(projectId, shardedClusterName)
    .find((s) => s.doneAt <= now && s.outcome === 'succeeded');
  const job = await h.client().createRestoreJob(projectId, shardedClusterName, {
    deliveryType: 'download',
    snapshotId: snapshot?.id ?? '',
  });
  return job.value.id;
}

describe("cancelling a sharded cluster's restore job", () => {
  it("gives Atlas's 405 a stable code and a hint that says what to do instead", async () => {
    const { projectId, shardedClusterName } = h.sim.seed;
    const jobId = await shardedRestoreJob();
    const error = await h
      .client()
      .cancelRestoreJob(projectId, shardedClusterName, jobId)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AtlasApiError);
    expect(error).toMatchObject({
      code: 'SHARDED_RESTORE_CANCEL_NOT_ALLOWED',
      status: 405,
      errorCode: 'ATLAS_BACKUP_CANCEL_SHARD_RESTORE_JOB_NOT_ALLOWED',
    });
    expect((error as AtlasApiError).hint).toMatch(/sharded cluster's restore jobs/);
    expect((error as AtlasApiError).hint).toMatch(/restore the target again/);
  });

  it('is explained before anyone is asked to confirm it, and Atlas is not asked to cancel', async () => {
    const { projectId, shardedClusterName } = h.sim.seed;
    const jobId = await shardedRestoreJob();
    const actions = new ActionService({
      client: h.client(),
      policy: localOperatorPolicy,
      audit: new MemoryAuditLog(),
      now: () => h.sim.clock.now(),
    });
    const params = { groupId: projectId, clusterName: shardedClusterName, restoreJobId: jobId };
    const refused = await actions.preview(actor, 'restore.cancel', params).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ShardedRestoreCancelError);
    expect(refused).toMatchObject({ code: 'SHARDED_RESTORE_CANCEL_NOT_ALLOWED' });
    expect((refused as ShardedRestoreCancelError).message).toContain(
      `${shardedClusterName} is a sharded cluster`,
    );
    const requested = await actions
      .request(actor, 'restore.cancel', params, {
        confirmation: { confirmed: true, typedPhrase: shardedClusterName },
      })
      .catch((e: unknown) => e);
    expect(requested).toMatchObject({ code: 'SHARDED_RESTORE_CANCEL_NOT_ALLOWED' });
    expect(served(h.sim, 'DELETE', /restoreJobs\//)).toHaveLength(0);
  });

  it('is a rule of the cluster kind the front ends can ask before offering it', () => {
    expect(restoreCancelRefusal({ name: 'events-sharded', kind: 'sharded' })?.code).toBe(
      'SHARDED_RESTORE_CANCEL_NOT_ALLOWED',
    );
    expect(restoreCancelRefusal({ name: 'orders-prod', kind: 'replicaSet' })).toBeUndefined();
  });
});
