import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ActionService,
  AtlasApiError,
  MemoryAuditLog,
  OutcomeUnknownError,
  exportState,
  listSnapshotRows,
  localOperatorPolicy,
  restoreState,
  watchJob,
  type Actor,
  type JobUpdate,
} from '../src/index.js';
import { served, simHarness, type SimHarness } from './support/sim.js';

/**
 * Atlas as it really behaves over time: it adds enum values without a new API version, a proxy
 * may cut an answer short, and retired endpoints answer in more than one way.
 */
let h: SimHarness;
beforeEach(async () => {
  h = await simHarness({ now: new Date('2026-11-27T12:00:00Z') });
});
afterEach(async () => {
  await h.close();
});

const seed = () => h.sim.seed;

function completedSnapshotRecord(clusterName = seed().replicaSetName) {
  const now = h.sim.clock.now();
  const snapshot = h.sim.store
    .listSnapshots(seed().projectId, clusterName)
    .find((s) => s.doneAt <= now && s.outcome === 'succeeded');
  if (!snapshot) throw new Error(`no completed snapshot on ${clusterName}`);
  return snapshot;
}

describe('response values Atlas adds later are read, kept and shown as sent (issue 9, point 12)', () => {
  it('lists snapshots, clusters, restore and export jobs, buckets and schedules carrying them', async () => {
    const client = h.client();
    const { projectId, replicaSetName, shardedClusterName, exportBucketId, flexClusterName } = seed();
    const snapshot = completedSnapshotRecord();
    h.sim.store.overrideView(snapshot.id, {
      status: 'archived',
      frequencyType: 'quarterly',
      snapshotType: 'tiered',
      cloudProvider: 'OCI',
      type: 'shardedReplicaSet',
    });
    const cluster = h.sim.store.getCluster(projectId, shardedClusterName);
    h.sim.store.overrideView(cluster?.id ?? '', { clusterType: 'SHARDED_FLEXIBLE' });
    const restore = h.sim.store.listRestoreJobs(projectId, replicaSetName)[0];
    h.sim.store.overrideView(restore?.id ?? '', { deliveryType: 'collection' });
    const exported = h.sim.store.listExportJobs(projectId, replicaSetName)[0];
    h.sim.store.overrideView(exported?.id ?? '', { state: 'Archiving' });
    h.sim.store.overrideView(exportBucketId, { cloudProvider: 'OCI' });
    const policyItem = h.sim.store.getCluster(projectId, replicaSetName)?.policy.items[0];
    h.sim.store.overrideView(policyItem?.id ?? '', {
      frequencyType: 'everyFullMoon',
      retentionUnit: 'decades',
    });
    const flex = h.sim.store.listFlexSnapshots(projectId, flexClusterName)[0];
    h.sim.store.overrideView(flex?.id ?? '', { status: 'ARCHIVED' });

    const snapshots = await client.listSnapshots(projectId, replicaSetName, { itemsPerPage: 100 });
    expect(snapshots.results.find((s) => s.id === snapshot.id)).toMatchObject({
      status: 'archived',
      frequencyType: 'quarterly',
      snapshotType: 'tiered',
      cloudProvider: 'OCI',
    });
    const rows = await listSnapshotRows(client, projectId, { name: replicaSetName, kind: 'replicaSet' });
    expect(rows.rows.find((r) => r.id === snapshot.id)).toMatchObject({ status: 'archived', type: 'tiered' });

    const clusters = await client.listAllClusters(projectId);
    expect(clusters.map((c) => c.name)).toContain(shardedClusterName);

    const jobs = await client.listRestoreJobs(projectId, replicaSetName);
    const odd = jobs.results.find((j) => j.id === restore?.id);
    expect(odd?.deliveryType).toBe('collection');

    const exports = await client.listExportJobs(projectId, replicaSetName);
    const archiving = exports.results.find((j) => j.id === exported?.id);
    expect(archiving?.state).toBe('Archiving');
    expect(exportState(archiving ?? { id: '', exportBucketId: '' })).toMatchObject({
      status: 'Archiving',
      terminal: false,
    });

    const buckets = await client.listExportBuckets(projectId);
    expect(buckets.results.find((b) => b._id === exportBucketId)?.cloudProvider).toBe('OCI');
    const schedule = await client.getBackupSchedule(projectId, replicaSetName);
    expect(schedule.policies[0]?.policyItems[0]).toMatchObject({
      frequencyType: 'everyFullMoon',
      retentionUnit: 'decades',
    });
    const flexSnapshots = await client.listFlexSnapshots(projectId, flexClusterName);
    expect(flexSnapshots.results.find((s) => s.id === flex?.id)?.status).toBe('ARCHIVED');
  });

  it('takes a snapshot and starts a restore although the lists they read first carry them', async () => {
    const client = h.client();
    const { projectId, replicaSetName } = seed();
    for (const s of h.sim.store.listSnapshots(projectId, replicaSetName).slice(0, 3)) {
      h.sim.store.overrideView(s.id, { status: 'archived', frequencyType: 'quarterly' });
    }
    for (const j of h.sim.store.listRestoreJobs(projectId, replicaSetName)) {
      h.sim.store.overrideView(j.id, { deliveryType: 'collection' });
    }
    const taken = await client.takeSnapshot(projectId, replicaSetName, { description: 'tolerant' });
    expect(taken.value.status).toBe('queued');

    const source = completedSnapshotRecord();
    const restore = await client.createRestoreJob(projectId, replicaSetName, {
      deliveryType: 'download',
      snapshotId: source.id,
    });
    expect(restore.reconciled).toBe(false);
    expect(served(h.sim, 'POST', /restoreJobs$/)).toHaveLength(1);
  });

  it('keeps watching a job whose state it does not know, and shows that state as sent', async () => {
    const client = h.client();
    const { projectId, replicaSetName } = seed();
    const taken = await client.takeSnapshot(projectId, replicaSetName, {});
    h.sim.store.overrideView(taken.value.id, { status: 'pendingReplication' });
    const updates: JobUpdate[] = [];
    let polls = 0;
    for await (const u of watchJob(
      client,
      { kind: 'snapshot', groupId: projectId, clusterName: replicaSetName, id: taken.value.id },
      {
        pollIntervalMs: 60_000,
        now: () => h.sim.clock.now(),
        sleep: async (ms) => {
          h.sim.clock.advance(ms);
          // Atlas moves on to a state we know after a few polls.
          if (++polls === 4) h.sim.store.overrideView(taken.value.id, undefined);
        },
      },
    )) {
      updates.push(u);
    }
    expect(polls).toBeGreaterThanOrEqual(4);
    expect(updates[0]).toMatchObject({ status: 'pendingReplication', terminal: false });
    expect(updates.at(-1)).toMatchObject({ status: 'completed', phase: 'succeeded', terminal: true });
  });

  it('treats a restore job that gained an unknown delivery type by its flags, not as finished', async () => {
    const { projectId, replicaSetName } = seed();
    const source = completedSnapshotRecord();
    const created = await h.client().createRestoreJob(projectId, replicaSetName, {
      deliveryType: 'download',
      snapshotId: source.id,
    });
    h.sim.store.overrideView(created.value.id, { deliveryType: 'streamed' });
    const job = await h.client().getRestoreJob(projectId, replicaSetName, created.value.id);
    expect(restoreState(job)).toMatchObject({ terminal: false });
  });

  it('warns before restoring or exporting a snapshot whose status is not completed', async () => {
    const { projectId, replicaSetName, exportBucketId } = seed();
    const snapshot = completedSnapshotRecord();
    h.sim.store.overrideView(snapshot.id, { status: 'archived' });
    const actions = new ActionService({
      client: h.client(),
      policy: localOperatorPolicy,
      audit: new MemoryAuditLog(),
      now: () => h.sim.clock.now(),
    });
    const actor: Actor = { id: 'local:alice', displayName: 'alice', source: 'tui' };
    const where = { groupId: projectId, clusterName: replicaSetName, snapshotId: snapshot.id };
    const download = await actions.preview(actor, 'restore.download', where);
    expect(download.preview.warnings.join('\n')).toMatch(/archived.*not completed/);
    const exported = await actions.preview(actor, 'export.create', { ...where, exportBucketId });
    expect(exported.preview.warnings.join('\n')).toMatch(/archived.*not completed/);
    h.sim.store.overrideView(snapshot.id, undefined);
    const plain = await actions.preview(actor, 'restore.download', where);
    expect(plain.preview.warnings.join('\n')).not.toMatch(/not completed/);
  });
});

describe("a create whose own answer can't be read is reconciled, never failed or repeated (point 13)", () => {
  it('finds the snapshot Atlas took when its answer is cut short', async () => {
    const { projectId, replicaSetName } = seed();
    h.sim.faults.inject({ kind: 'malformed', method: 'POST', path: /backup\/snapshots$/ });
    const taken = await h.client().takeSnapshot(projectId, replicaSetName, { description: 'cut short' });
    expect(taken.reconciled).toBe(true);
    expect(served(h.sim, 'POST', /backup\/snapshots$/)).toHaveLength(1);
    const mine = h.sim.store
      .listSnapshots(projectId, replicaSetName)
      .filter((s) => s.description?.includes(taken.requestRef));
    expect(mine.map((s) => s.id)).toEqual([taken.value.id]);
  });

  it('finds the restore job and the export job Atlas started when their answers are cut short', async () => {
    const { projectId, replicaSetName, exportBucketId } = seed();
    const source = completedSnapshotRecord();
    h.sim.faults.inject({ kind: 'malformed', method: 'POST', path: /restoreJobs$/ });
    const restore = await h.client().createRestoreJob(projectId, replicaSetName, {
      deliveryType: 'download',
      snapshotId: source.id,
    });
    expect(restore.reconciled).toBe(true);
    expect(served(h.sim, 'POST', /restoreJobs$/)).toHaveLength(1);
    expect(h.sim.store.listRestoreJobs(projectId, replicaSetName)[0]?.id).toBe(restore.value.id);

    h.sim.faults.inject({ kind: 'malformed', method: 'POST', path: /backup\/exports$/ });
    const exported = await h
      .client()
      .createExportJob(projectId, replicaSetName, { snapshotId: source.id, exportBucketId });
    expect(exported.reconciled).toBe(true);
    expect(served(h.sim, 'POST', /backup\/exports$/)).toHaveLength(1);
    expect(h.sim.store.listExportJobs(projectId, replicaSetName)[0]?.id).toBe(exported.value.id);
  });

  it('says Atlas accepted it, and never sends it again, when the object cannot be found', async () => {
    const { projectId, replicaSetName, exportBucketId } = seed();
    const source = completedSnapshotRecord();
    const jobsBefore = h.sim.store.listExportJobs(projectId, replicaSetName).length;
    h.sim.faults.inject({ kind: 'malformed', method: 'POST', path: /backup\/exports$/ });
    h.sim.faults.inject({ status: 500, method: 'GET', path: /backup\/exports$/ });
    const error = await h
      .client()
      .createExportJob(projectId, replicaSetName, { snapshotId: source.id, exportBucketId })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    expect(error).toMatchObject({ code: 'OUTCOME_UNKNOWN' });
    expect((error as OutcomeUnknownError).message).toMatch(/accepted/);
    expect(served(h.sim, 'POST', /backup\/exports$/)).toHaveLength(1);
    expect(h.sim.store.listExportJobs(projectId, replicaSetName)).toHaveLength(jobsBefore + 1);
  });
});

describe('the serverless → Flex fallback follows every way a retired endpoint answers (point 14)', () => {
  let before: SimHarness;
  beforeEach(async () => {
    // Before the serverless backup sunset, so only the injected answer says it is gone.
    before = await simHarness({ now: new Date('2025-12-01T00:00:00Z') });
  });
  afterEach(async () => {
    await before.close();
  });

  const answers = [
    { status: 404, errorCode: 'RESOURCE_NOT_FOUND' },
    { status: 404, errorCode: 'ENDPOINT_SUNSET' },
    { status: 400, errorCode: 'INVALID_VERSION_DATE' },
    { status: 406, errorCode: 'INVALID_VERSION_DATE' },
    { status: 400, errorCode: 'UNSUPPORTED_VERSION' },
  ];

  it.each(answers)(
    'reads a serverless snapshot from Flex on $status $errorCode and says so',
    async (answer) => {
      const client = before.client();
      const { projectId, serverlessInstanceName } = before.sim.seed;
      const id = before.sim.store.listServerlessSnapshots(projectId, serverlessInstanceName)[0]?.id ?? '';
      before.sim.faults.inject({ ...answer, method: 'GET', path: /serverless\/.+\/backup\/snapshots\// });
      const result = await client.getServerlessSnapshot(projectId, serverlessInstanceName, id);
      expect(result).toMatchObject({ via: 'flex', snapshot: { id } });
      if (result.via === 'flex') expect(result.notice).toContain(`(${answer.status} ${answer.errorCode})`);
    },
  );

  it.each(answers)(
    'lists serverless snapshots from Flex on $status $errorCode and says so',
    async (answer) => {
      const client = before.client();
      const { projectId, serverlessInstanceName } = before.sim.seed;
      before.sim.faults.inject({ ...answer, method: 'GET', path: /serverless\/.+\/backup\/snapshots$/ });
      const list = await listSnapshotRows(client, projectId, {
        name: serverlessInstanceName,
        kind: 'serverless',
      });
      expect(list.rows.length).toBeGreaterThan(0);
      expect(list.rows.every((r) => r.source === 'flex')).toBe(true);
      expect(list.notice).toContain(`(${answer.status} ${answer.errorCode})`);
    },
  );

  it.each([
    { status: 404, errorCode: 'SNAPSHOT_NOT_FOUND' },
    { status: 400, errorCode: 'VALIDATION_ERROR' },
  ])('does not fall back on $status $errorCode, which is about the request', async (answer) => {
    const client = before.client();
    const { projectId, serverlessInstanceName } = before.sim.seed;
    const id = before.sim.store.listServerlessSnapshots(projectId, serverlessInstanceName)[0]?.id ?? '';
    before.sim.faults.inject({ ...answer, method: 'GET', path: /serverless\/.+\/backup\/snapshots\// });
    const error = await client
      .getServerlessSnapshot(projectId, serverlessInstanceName, id)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AtlasApiError);
    expect(error).toMatchObject(answer);
    expect(served(before.sim, 'GET', /flexClusters/)).toHaveLength(0);
  });
});
