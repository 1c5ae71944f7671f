import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fieldsOf, startTestSim, type ApiErrorBody, type Page, type TestSim } from './support/sim.js';

let t: TestSim;
let snapshotId: string;
let stagingGroup: string;
let stagingCluster: string;
beforeAll(async () => {
  t = await startTestSim();
  const list = await t.client.call<Page<{ id: string; status: string }>>(
    `/groups/${t.g}/clusters/${t.rs}/backup/snapshots`,
  );
  snapshotId = list.body.results.find((s) => s.status === 'completed')?.id ?? '';
  const staging = t.sim.seed.projects[1];
  stagingGroup = staging?.id ?? '';
  stagingCluster = staging?.clusters[0]?.name ?? '';
});
afterAll(async () => {
  await t.sim.close();
});

const restore = (body: unknown) =>
  t.client.call<ApiErrorBody>(`/groups/${t.g}/clusters/${t.rs}/backup/restoreJobs`, { method: 'POST', body });

describe('restore rules', () => {
  it('needs a snapshot and a target for automated restores', async () => {
    const res = await restore({ deliveryType: 'automated' });
    expect(res.status).toBe(400);
    expect(res.body.errorCode).toBe('VALIDATION_ERROR');
    expect(fieldsOf(res.body)).toEqual(['snapshotId', 'targetClusterName', 'targetGroupId']);
  });

  it('refuses a target on download restores', async () => {
    const res = await restore({
      deliveryType: 'download',
      snapshotId,
      targetClusterName: stagingCluster,
      targetGroupId: stagingGroup,
    });
    expect(res.status).toBe(400);
    expect(fieldsOf(res.body)).toEqual(['targetClusterName', 'targetGroupId']);
  });

  it('needs exactly one way of naming the point in time', async () => {
    const target = { targetClusterName: stagingCluster, targetGroupId: stagingGroup };
    const pit = Math.floor(t.sim.clock.now() / 1000) - 3600;
    const both = await restore({
      deliveryType: 'pointInTime',
      ...target,
      pointInTimeUTCSeconds: pit,
      oplogTs: pit,
      oplogInc: 1,
    });
    expect(fieldsOf(both.body)).toEqual(['pointInTimeUTCSeconds']);
    const neither = await restore({ deliveryType: 'pointInTime', ...target });
    expect(fieldsOf(neither.body)).toEqual(['pointInTimeUTCSeconds']);
    const halfOplog = await restore({ deliveryType: 'pointInTime', ...target, oplogTs: pit });
    expect(fieldsOf(halfOplog.body)).toEqual(['oplogInc']);
    const withSnapshot = await restore({
      deliveryType: 'pointInTime',
      ...target,
      snapshotId,
      pointInTimeUTCSeconds: pit,
    });
    expect(fieldsOf(withSnapshot.body)).toEqual(['snapshotId']);
    const tooEarly = await restore({
      deliveryType: 'pointInTime',
      ...target,
      pointInTimeUTCSeconds: 1_000_000,
    });
    expect(tooEarly.status).toBe(400);
    expect(fieldsOf(tooEarly.body)).toEqual(['pointInTimeUTCSeconds']);
    const future = await restore({
      deliveryType: 'pointInTime',
      ...target,
      pointInTimeUTCSeconds: pit + 7200,
    });
    expect(fieldsOf(future.body)).toEqual(['pointInTimeUTCSeconds']);
    const ok = await restore({ deliveryType: 'pointInTime', ...target, oplogTs: pit, oplogInc: 3 });
    expect(ok.status).toBe(200);
  });

  it('names a missing target cluster or snapshot with 404', async () => {
    const noCluster = await restore({
      deliveryType: 'automated',
      snapshotId,
      targetClusterName: 'nope',
      targetGroupId: stagingGroup,
    });
    expect(noCluster.status).toBe(404);
    expect(noCluster.body.errorCode).toBe('CLUSTER_NOT_FOUND');
    const noSnapshot = await restore({
      deliveryType: 'automated',
      snapshotId: 'aaaaaaaaaaaaaaaaaaaaaaaa',
      targetClusterName: stagingCluster,
      targetGroupId: stagingGroup,
    });
    expect(noSnapshot.status).toBe(404);
    expect(noSnapshot.body.errorCode).toBe('SNAPSHOT_NOT_FOUND');
    const badEnum = await restore({ deliveryType: 'teleport' });
    expect(badEnum.status).toBe(400);
    expect(fieldsOf(badEnum.body)).toEqual(['deliveryType']);
  });
});

describe('body validation', () => {
  const take = (body: unknown) =>
    t.client.call<ApiErrorBody>(`/groups/${t.g}/clusters/${t.rs}/backup/snapshots`, { method: 'POST', body });

  it('requires retentionInDays >= 1 and an integer', async () => {
    const zero = await take({ retentionInDays: 0 });
    expect(zero.status).toBe(400);
    expect(zero.body.badRequestDetail?.fields).toEqual([
      { field: 'retentionInDays', description: 'must be at least 1' },
    ]);
    const text = await take({ retentionInDays: '5' });
    expect(fieldsOf(text.body)).toEqual(['retentionInDays']);
  });

  it('rejects unknown and read-only attributes with INVALID_ATTRIBUTE', async () => {
    const res = await take({ description: 'x', retention: 5 });
    expect(res.status).toBe(400);
    expect(res.body.errorCode).toBe('INVALID_ATTRIBUTE');
    expect(res.body.detail).toBe('Invalid attribute retention specified.');
    const readOnly = await take({ id: 'aaaaaaaaaaaaaaaaaaaaaaaa' });
    expect(fieldsOf(readOnly.body)).toEqual(['id']);
    const nested = await t.client.call<ApiErrorBody>(`/groups/${t.g}/clusters/${t.rs}/backup/exports`, {
      method: 'POST',
      body: {
        snapshotId,
        exportBucketId: t.sim.seed.exportBucketId,
        customData: [{ key: 'a', value: 'b', x: 1 }],
      },
    });
    expect(fieldsOf(nested.body)).toEqual(['customData[0].x']);
  });

  it('reports missing required attributes', async () => {
    const res = await t.client.call<ApiErrorBody>(
      `/groups/${t.g}/clusters/${t.rs}/backup/snapshots/${snapshotId}`,
      {
        method: 'PATCH',
        body: { retentionUnit: 'DAYS' },
      },
    );
    expect(res.status).toBe(400);
    expect(res.body.errorCode).toBe('MISSING_ATTRIBUTE');
    expect(fieldsOf(res.body)).toEqual(['retentionValue']);
    const unit = await t.client.call<ApiErrorBody>(
      `/groups/${t.g}/clusters/${t.rs}/backup/snapshots/${snapshotId}`,
      {
        method: 'PATCH',
        body: { retentionUnit: 'FORTNIGHTS', retentionValue: 2 },
      },
    );
    expect(fieldsOf(unit.body)).toEqual(['retentionUnit']);
  });

  it('rejects malformed JSON and non-object bodies', async () => {
    const res = await t.client.call<ApiErrorBody>(`/groups/${t.g}/clusters/${t.rs}/backup/snapshots`, {
      method: 'POST',
      body: [1, 2],
    });
    expect(res.status).toBe(400);
    expect(res.body.errorCode).toBe('INVALID_JSON');
  });
});

describe('query and path parameters', () => {
  it('bounds itemsPerPage to 1..500 and pageNum to >= 1', async () => {
    const base = `/groups/${t.g}/clusters/${t.rs}/backup/snapshots`;
    for (const query of ['itemsPerPage=0', 'itemsPerPage=501', 'itemsPerPage=ten', 'pageNum=0']) {
      const res = await t.client.call<ApiErrorBody>(`${base}?${query}`);
      expect(res.status, query).toBe(400);
      expect(fieldsOf(res.body)).toEqual([query.split('=')[0]]);
    }
    expect((await t.client.call(`${base}?itemsPerPage=500`)).status).toBe(200);
    expect((await t.client.call<ApiErrorBody>(`${base}?includeCount=maybe`)).status).toBe(400);
  });

  it('checks path parameter patterns', async () => {
    const group = await t.client.call<ApiErrorBody>(`/groups/not-a-group/clusters`);
    expect(group.status).toBe(400);
    expect(group.body.errorCode).toBe('INVALID_GROUP_ID');
    const snap = await t.client.call<ApiErrorBody>(`/groups/${t.g}/clusters/${t.rs}/backup/snapshots/XYZ`);
    expect(snap.status).toBe(400);
    expect(fieldsOf(snap.body)).toEqual(['snapshotId']);
    const name = await t.client.call<ApiErrorBody>(`/groups/${t.g}/clusters/-bad/backup/snapshots`);
    expect(fieldsOf(name.body)).toEqual(['clusterName']);
    const unknownGroup = await t.client.call<ApiErrorBody>(`/groups/${'b'.repeat(24)}`);
    expect(unknownGroup.status).toBe(404);
    expect(unknownGroup.body.errorCode).toBe('GROUP_NOT_FOUND');
    const unknownCluster = await t.client.call<ApiErrorBody>(`/groups/${t.g}/clusters/ghost`);
    expect(unknownCluster.body.errorCode).toBe('CLUSTER_NOT_FOUND');
  });
});
