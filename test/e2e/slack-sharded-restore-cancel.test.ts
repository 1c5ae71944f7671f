import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotHarness, blockText, buttons } from '../support/slack/harness.js';

/** Issue 9, point 15: Atlas answers 405 to cancelling a sharded cluster's restore job. */
describe("/atlas restore cancel on a sharded cluster's restore job", () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await BotHarness.start();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('explains that Atlas cannot cancel it and what to do instead, without asking to confirm', async () => {
    const { projectId, shardedClusterName } = h.sim.seed;
    const now = h.sim.clock.now();
    const snapshot = h.sim.store
      .listSnapshots(projectId, shardedClusterName)
      .find((s) => s.doneAt <= now && s.outcome === 'succeeded');
    const job = await h.atlas.createRestoreJob(projectId, shardedClusterName, {
      deliveryType: 'download',
      snapshotId: snapshot?.id ?? '',
    });
    const res = await h.command(`restore cancel ${shardedClusterName} ${job.value.id} --project Production`);
    expect(res.status).toBe(200);
    const post = await h.responseTo(res.responseUrl, 1, 'the answer to the cancel');
    const text = blockText(post.body.blocks);
    expect(post.body.response_type).toBe('ephemeral');
    expect(text).toContain(`${shardedClusterName} is a sharded cluster`);
    expect(text).toContain('Atlas does not cancel a sharded cluster');
    expect(text).toContain('restore the target again');
    expect(text).toContain('SHARDED_RESTORE_CANCEL_NOT_ALLOWED');
    expect(buttons(post.body.blocks)).toHaveLength(0);
    expect(h.sim.requests.filter((r) => r.method === 'DELETE')).toHaveLength(0);
  });
});
