import { afterEach, describe, expect, it } from 'vitest';
import { flat, startTui, type TuiHarness } from './support/harness.js';

let h: TuiHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe("a sharded cluster's restore job (issue 9, point 15)", () => {
  it('is not offered for cancelling: c explains why and what to do instead, and asks nothing', async () => {
    const t = (h = await startTui());
    const { projectId, shardedClusterName } = t.sim.seed;
    const now = t.sim.clock.now();
    const snapshot = t.sim.store
      .listSnapshots(projectId, shardedClusterName)
      .find((s) => s.doneAt <= now && s.outcome === 'succeeded');
    const job = await t.client.createRestoreJob(projectId, shardedClusterName, {
      deliveryType: 'download',
      snapshotId: snapshot?.id ?? '',
    });
    const jobId = job.value.id;

    await t.waitFor('Production', 'the project list');
    await t.open('Production', '› clusters');
    await t.waitFor(shardedClusterName, 'the cluster list');
    await t.open(shardedClusterName, /\d+ items/);
    await t.press('2');
    await t.waitFor(new RegExp(`${jobId}\\s+download\\s+inProgress`));
    await t.select(jobId, `Restore job ${jobId}`);
    t.sim.clearRequests();
    await t.press('c');
    const explained = flat(
      await t.waitFor(
        (f) => flat(f).includes(`${shardedClusterName} is a sharded cluster`),
        'the explanation',
      ),
    );
    expect(explained).toContain(`its restore job ${jobId} can't be cancelled`);
    expect(explained).toContain("Atlas does not cancel a sharded cluster's restore jobs through its API");
    expect(explained).toContain('restore the target again');
    expect(explained).not.toContain('[DESTRUCTIVE]');
    // Known from the cluster's kind: no summary was even fetched, nothing was sent.
    expect(t.sim.requests.filter((r) => r.path.endsWith(jobId))).toEqual([]);
    expect(t.sim.store.getRestoreJob(projectId, shardedClusterName, jobId)?.cancelledAt).toBeUndefined();
  });
});
