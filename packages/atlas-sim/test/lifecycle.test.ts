import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DAY, MINUTE, startTestSim, type ApiErrorBody, type Page, type TestSim } from './support/sim.js';

interface Snapshot {
  id: string;
  status: string;
  createdAt: string;
  expiresAt: string;
  description?: string;
  snapshotType: string;
  storageSizeBytes?: number;
}

interface RestoreJob {
  id: string;
  cancelled: boolean;
  failed: boolean;
  expired: boolean;
  finishedAt?: string;
  deliveryUrl?: string[];
  expiresAt?: string;
  timestamp: string;
}

let t: TestSim;
beforeEach(async () => {
  t = await startTestSim();
});
afterEach(async () => {
  await t.sim.close();
});

const snapshots = () => `/groups/${t.g}/clusters/${t.rs}/backup/snapshots`;

async function takeSnapshot(body: Record<string, unknown> = {}) {
  return t.client.call<Snapshot & ApiErrorBody>(snapshots(), { method: 'POST', body });
}

async function completedSnapshotId(): Promise<string> {
  const list = await t.client.call<Page<Snapshot>>(snapshots());
  return list.body.results.find((s) => s.status === 'completed')?.id ?? '';
}

describe('on-demand snapshots', () => {
  it('move queued → inProgress → completed with the clock', async () => {
    const taken = await takeSnapshot({ description: 'before deploy', retentionInDays: 3 });
    expect(taken.status).toBe(200);
    expect(taken.body).toMatchObject({
      status: 'queued',
      snapshotType: 'onDemand',
      description: 'before deploy',
    });
    expect(Date.parse(taken.body.expiresAt) - Date.parse(taken.body.createdAt)).toBe(3 * DAY);
    const get = () => t.client.call<Snapshot>(`${snapshots()}/${taken.body.id}`);
    t.sim.clock.advance(10_000);
    expect((await get()).body.status).toBe('inProgress');
    t.sim.clock.advance(2 * MINUTE - 1);
    expect((await get()).body.status).toBe('inProgress');
    t.sim.clock.advance(1);
    const done = await get();
    expect(done.body.status).toBe('completed');
    expect(done.body.storageSizeBytes).toBeGreaterThan(0);
  });

  it('allow one at a time per cluster (409 while one is queued or in progress)', async () => {
    expect((await takeSnapshot()).status).toBe(200);
    const second = await takeSnapshot();
    expect(second.status).toBe(409);
    expect(second.body.errorCode).toBe('SNAPSHOT_ALREADY_IN_PROGRESS');
    // Another cluster is independent.
    const other = await t.client.call(`/groups/${t.g}/clusters/${t.sharded}/backup/snapshots`, {
      method: 'POST',
      body: {},
    });
    expect(other.status).toBe(200);
    t.sim.clock.advance(5 * MINUTE);
    expect((await takeSnapshot()).status).toBe(200);
  });

  it('fail when the test plans a failure', async () => {
    t.sim.store.failNextSnapshot(t.g, t.rs);
    const taken = await takeSnapshot();
    t.sim.clock.advance(10 * MINUTE);
    const got = await t.client.call<Snapshot>(`${snapshots()}/${taken.body.id}`);
    expect(got.body.status).toBe('failed');
    expect((await takeSnapshot()).status).toBe(200);
  });

  it('appear first in the list immediately', async () => {
    const taken = await takeSnapshot({ description: 'marker-123' });
    const list = await t.client.call<Page<Snapshot>>(`${snapshots()}?itemsPerPage=5`);
    expect(list.body.results[0]?.id).toBe(taken.body.id);
    expect(list.body.results[0]?.description).toBe('marker-123');
  });
});

describe('retention and deletion', () => {
  it('recomputes expiresAt from the snapshot creation on a retention change', async () => {
    const id = await completedSnapshotId();
    const before = await t.client.call<Snapshot>(`${snapshots()}/${id}`);
    const res = await t.client.call<Snapshot>(`${snapshots()}/${id}`, {
      method: 'PATCH',
      body: { retentionUnit: 'WEEKS', retentionValue: 6 },
    });
    expect(res.status).toBe(200);
    expect(Date.parse(res.body.expiresAt) - Date.parse(before.body.createdAt)).toBeGreaterThanOrEqual(
      42 * DAY - 1000,
    );
    expect(Date.parse(res.body.expiresAt) - Date.parse(before.body.createdAt)).toBeLessThanOrEqual(42 * DAY);
    const months = await t.client.call<Snapshot>(`${snapshots()}/${id}`, {
      method: 'PATCH',
      body: { retentionUnit: 'MONTHS', retentionValue: 2 },
    });
    const created = new Date(before.body.createdAt);
    created.setUTCMonth(created.getUTCMonth() + 2);
    expect(Date.parse(months.body.expiresAt)).toBe(Math.floor(created.getTime() / 1000) * 1000);
  });

  it('refuses retention changes on unfinished snapshots and ones that would already be expired', async () => {
    const taken = await takeSnapshot();
    const res = await t.client.call<ApiErrorBody>(`${snapshots()}/${taken.body.id}`, {
      method: 'PATCH',
      body: { retentionUnit: 'DAYS', retentionValue: 9 },
    });
    expect(res.status).toBe(400);
    expect(res.body.errorCode).toBe('SNAPSHOT_NOT_COMPLETED');
    const list = await t.client.call<Page<Snapshot>>(`${snapshots()}?itemsPerPage=500`);
    const old = list.body.results.filter((s) => s.status === 'completed').at(-1);
    const past = await t.client.call<ApiErrorBody>(`${snapshots()}/${old?.id}`, {
      method: 'PATCH',
      body: { retentionUnit: 'DAYS', retentionValue: 1 },
    });
    expect(past.status).toBe(400);
    expect(past.body.badRequestDetail?.fields[0]?.field).toBe('retentionValue');
  });

  it('deletes snapshots (204) and expires them when their time comes', async () => {
    // Production's Backup Compliance Policy forbids deleting (compliance.test.ts covers that).
    t.sim.store.setCompliancePolicy(t.g, undefined);
    const id = await completedSnapshotId();
    const del = await t.client.call(`${snapshots()}/${id}`, { method: 'DELETE' });
    expect(del.status).toBe(204);
    expect(del.text).toBe('');
    expect((await t.client.call(`${snapshots()}/${id}`)).status).toBe(404);
    const taken = await takeSnapshot({ retentionInDays: 1 });
    t.sim.clock.advance(DAY);
    expect((await t.client.call(`${snapshots()}/${taken.body.id}`)).status).toBe(404);
  });
});

describe('restore jobs', () => {
  const jobs = () => `/groups/${t.g}/clusters/${t.rs}/backup/restoreJobs`;
  const staging = () => t.sim.seed.projects[1] ?? { id: '', clusters: [{ name: '' }] };

  async function automated(): Promise<RestoreJob> {
    const res = await t.client.call<RestoreJob>(jobs(), {
      method: 'POST',
      body: {
        deliveryType: 'automated',
        snapshotId: await completedSnapshotId(),
        targetGroupId: staging().id,
        targetClusterName: staging().clusters[0]?.name,
      },
    });
    expect(res.status).toBe(200);
    return res.body;
  }

  it('finish automated restores with finishedAt', async () => {
    const job = await automated();
    expect(job).toMatchObject({ cancelled: false, failed: false, expired: false });
    expect(job.finishedAt).toBeUndefined();
    t.sim.clock.advance(5 * MINUTE);
    const done = await t.client.call<RestoreJob>(`${jobs()}/${job.id}`);
    expect(done.body.finishedAt).toBeDefined();
    expect(done.body.failed).toBe(false);
  });

  it('fail when planned', async () => {
    t.sim.store.failNextRestoreJob(t.g, t.rs);
    const job = await automated();
    t.sim.clock.advance(10 * MINUTE);
    expect((await t.client.call<RestoreJob>(`${jobs()}/${job.id}`)).body).toMatchObject({ failed: true });
  });

  it('cancel a running job (204) but not a finished one (400)', async () => {
    const job = await automated();
    expect((await t.client.call(`${jobs()}/${job.id}`, { method: 'DELETE' })).status).toBe(204);
    const cancelled = await t.client.call<RestoreJob>(`${jobs()}/${job.id}`);
    expect(cancelled.body).toMatchObject({ cancelled: true, failed: false });
    const again = await t.client.call<ApiErrorBody>(`${jobs()}/${job.id}`, { method: 'DELETE' });
    expect(again.status).toBe(400);
    expect(again.body.errorCode).toBe('CANNOT_CANCEL_RESTORE_JOB');
    const other = await automated();
    t.sim.clock.advance(10 * MINUTE);
    expect((await t.client.call(`${jobs()}/${other.id}`, { method: 'DELETE' })).status).toBe(400);
  });

  it('give download restores a deliveryUrl when ready, then expire them', async () => {
    const res = await t.client.call<RestoreJob>(jobs(), {
      method: 'POST',
      body: { deliveryType: 'download', snapshotId: await completedSnapshotId() },
    });
    expect(res.body.deliveryUrl).toBeUndefined();
    t.sim.clock.advance(3 * MINUTE);
    const ready = await t.client.call<RestoreJob>(`${jobs()}/${res.body.id}`);
    expect(ready.body.deliveryUrl?.[0]).toMatch(/^https:\/\//);
    expect(ready.body.expired).toBe(false);
    t.sim.clock.advance(60 * MINUTE);
    expect((await t.client.call<RestoreJob>(`${jobs()}/${res.body.id}`)).body.expired).toBe(true);
  });

  it('list new jobs first, immediately', async () => {
    const job = await automated();
    const list = await t.client.call<Page<RestoreJob>>(jobs());
    expect(list.body.results[0]?.id).toBe(job.id);
  });
});

describe('export jobs', () => {
  interface ExportJob {
    id: string;
    state: string;
    exportStatus: { exportedCollections: number; totalCollections: number };
    customData: { key: string; value: string }[];
    finishedAt?: string;
  }
  const exports = () => `/groups/${t.g}/clusters/${t.rs}/backup/exports`;

  it('go Queued → InProgress (collections climbing) → Successful', async () => {
    const res = await t.client.call<ExportJob>(exports(), {
      method: 'POST',
      body: {
        snapshotId: await completedSnapshotId(),
        exportBucketId: t.sim.seed.exportBucketId,
        customData: [{ key: 'k', value: 'v' }],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.state).toBe('Queued');
    expect(res.body.customData).toEqual([{ key: 'k', value: 'v' }]);
    const get = async () => (await t.client.call<ExportJob>(`${exports()}/${res.body.id}`)).body;
    t.sim.clock.advance(30_000 + 60_000);
    const early = await get();
    t.sim.clock.advance(2 * MINUTE);
    const later = await get();
    expect(early.state).toBe('InProgress');
    expect(later.exportStatus.exportedCollections).toBeGreaterThan(early.exportStatus.exportedCollections);
    expect(later.exportStatus.exportedCollections).toBeLessThan(later.exportStatus.totalCollections);
    t.sim.clock.advance(5 * MINUTE);
    const done = await get();
    expect(done.state).toBe('Successful');
    expect(done.exportStatus.exportedCollections).toBe(done.exportStatus.totalCollections);
    expect(done.finishedAt).toBeDefined();
  });

  it('need an existing bucket and a completed snapshot', async () => {
    const noBucket = await t.client.call<ApiErrorBody>(exports(), {
      method: 'POST',
      body: { snapshotId: await completedSnapshotId(), exportBucketId: 'c'.repeat(24) },
    });
    expect(noBucket.status).toBe(404);
    expect(noBucket.body.errorCode).toBe('EXPORT_BUCKET_NOT_FOUND');
    const taken = await takeSnapshot();
    const pending = await t.client.call<ApiErrorBody>(exports(), {
      method: 'POST',
      body: { snapshotId: taken.body.id, exportBucketId: t.sim.seed.exportBucketId },
    });
    expect(pending.status).toBe(400);
    expect(pending.body.errorCode).toBe('SNAPSHOT_NOT_COMPLETED');
  });
});

describe('Flex and serverless backups', () => {
  it('download a Flex snapshot: a job that gains snapshotUrl when COMPLETED', async () => {
    const base = `/groups/${t.g}/flexClusters/${t.flex}/backup`;
    const list = await t.client.call<Page<{ id: string; status: string }>>(`${base}/snapshots`, {
      version: '2024-11-13',
    });
    expect(list.body.results.length).toBeGreaterThan(0);
    const snapshotId = list.body.results[0]?.id;
    const dl = await t.client.call<{
      id: string;
      status: string;
      snapshotUrl?: string;
      deliveryType: string;
    }>(`${base}/download`, {
      method: 'POST',
      version: '2024-11-13',
      body: { snapshotId },
    });
    expect(dl.status).toBe(200);
    expect(dl.body).toMatchObject({ status: 'QUEUED', deliveryType: 'DOWNLOAD' });
    t.sim.clock.advance(10_000);
    expect(
      (
        await t.client.call<{ status: string }>(`${base}/restoreJobs/${dl.body.id}`, {
          version: '2024-11-13',
        })
      ).body.status,
    ).toBe('RUNNING');
    t.sim.clock.advance(3 * MINUTE);
    const done = await t.client.call<{ status: string; snapshotUrl?: string }>(
      `${base}/restoreJobs/${dl.body.id}`,
      { version: '2024-11-13' },
    );
    expect(done.body.status).toBe('COMPLETED');
    expect(done.body.snapshotUrl).toMatch(/^https:\/\//);
    const restore = await t.client.call<{ status: string; targetDeploymentItemName: string }>(
      `${base}/restoreJobs`,
      {
        method: 'POST',
        version: '2024-11-13',
        body: { snapshotId, targetDeploymentItemName: t.rs },
      },
    );
    expect(restore.status).toBe(200);
    expect(restore.body.targetDeploymentItemName).toBe(t.rs);
    const missing = await t.client.call<ApiErrorBody>(`${base}/restoreJobs`, {
      method: 'POST',
      version: '2024-11-13',
      body: { snapshotId, targetDeploymentItemName: 'ghost' },
    });
    expect(missing.status).toBe(404);
  });

  it('restore a Flex snapshot into another project: QUEUED → RUNNING → COMPLETED, or FAILED when planned', async () => {
    const base = `/groups/${t.g}/flexClusters/${t.flex}/backup`;
    const v = { version: '2024-11-13' };
    const staging = t.sim.seed.projects[1];
    const target = staging?.flexClusters[0];
    const snapshots = await t.client.call<Page<{ id: string; status: string }>>(`${base}/snapshots`, v);
    const snapshotId = snapshots.body.results.find((s) => s.status === 'COMPLETED')?.id;
    type FlexJob = { id: string; status: string; restoreFinishedDate?: string; snapshotUrl?: string };
    const restore = (body: Record<string, unknown>) =>
      t.client.call<FlexJob & ApiErrorBody>(`${base}/restoreJobs`, { method: 'POST', ...v, body });
    const job = await restore({ snapshotId, targetDeploymentItemName: target, targetProjectId: staging?.id });
    expect(job.status).toBe(200);
    expect(job.body).toMatchObject({
      status: 'QUEUED',
      deliveryType: 'RESTORE',
      targetProjectId: staging?.id,
    });
    const get = async (id: string) => (await t.client.call<FlexJob>(`${base}/restoreJobs/${id}`, v)).body;
    t.sim.clock.advance(5_000);
    expect((await get(job.body.id)).status).toBe('RUNNING');
    t.sim.clock.advance(2 * MINUTE);
    const done = await get(job.body.id);
    expect(done.status).toBe('COMPLETED');
    expect(done.restoreFinishedDate).toBeDefined();
    expect(done.snapshotUrl).toBeUndefined();
    const listed = await t.client.call<Page<{ id: string }>>(`${base}/restoreJobs`, v);
    expect(listed.body.results[0]?.id).toBe(job.body.id);

    t.sim.store.failNextFlexRestoreJob(t.g, t.flex);
    const failing = await restore({ snapshotId, targetDeploymentItemName: t.flex });
    t.sim.clock.advance(3 * MINUTE);
    expect((await get(failing.body.id)).status).toBe('FAILED');
    const unknownProject = await restore({
      snapshotId,
      targetDeploymentItemName: t.flex,
      targetProjectId: 'a'.repeat(24),
    });
    expect(unknownProject.body.errorCode).toBe('GROUP_NOT_FOUND');
    const unknownSnapshot = await restore({ snapshotId: 'b'.repeat(24), targetDeploymentItemName: t.flex });
    expect(unknownSnapshot.body.errorCode).toBe('SNAPSHOT_NOT_FOUND');
  });

  it('restore a serverless snapshot before the sunset', async () => {
    const base = `/groups/${t.g}/serverless/${t.serverless}/backup`;
    const list = await t.client.call<Page<{ id: string; status: string }>>(`${base}/snapshots`);
    const snapshotId = list.body.results.find((s) => s.status === 'completed')?.id;
    const res = await t.client.call<RestoreJob>(`${base}/restoreJobs`, {
      method: 'POST',
      body: { deliveryType: 'automated', snapshotId, targetClusterName: t.serverless, targetGroupId: t.g },
    });
    expect(res.status).toBe(200);
    t.sim.clock.advance(5 * MINUTE);
    expect(
      (await t.client.call<RestoreJob>(`${base}/restoreJobs/${res.body.id}`)).body.finishedAt,
    ).toBeDefined();
    const noTarget = await t.client.call<ApiErrorBody>(`${base}/restoreJobs`, {
      method: 'POST',
      body: { deliveryType: 'automated', snapshotId },
    });
    expect(noTarget.body.errorCode).toBe('MISSING_ATTRIBUTE');
  });
});
