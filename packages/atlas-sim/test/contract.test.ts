import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operations } from '../src/api/index.js';
import { timings } from '../src/index.js';
import { contractAvailable, loadContract, specDirectory, type ContractValidator } from '../src/testing.js';
import { startTestSim, type ApiErrorBody, type TestSim } from './support/sim.js';

const available = contractAvailable();
if (!available) {
  console.log(
    `[atlas-sim] contract tests skipped: the official contract is missing at ${specDirectory() ?? '../shared/atlas-openapi'}`,
  );
}

describe.skipIf(!available)('the official contract', () => {
  let contract: ContractValidator;
  beforeAll(() => {
    const loaded = loadContract();
    if (!loaded) throw new Error('contract unexpectedly missing');
    contract = loaded;
  });

  it('lists every served operation with the same method, path, success status and versions', () => {
    for (const op of operations) {
      const spec = contract.operation(op.operationId);
      expect(spec, op.operationId).toBeDefined();
      if (!spec) continue;
      expect(`${spec.method} ${spec.path}`, op.operationId).toBe(`${op.method} ${op.path}`);
      expect(Object.keys(spec.successResponses), op.operationId).toEqual([String(op.successStatus)]);
      const specVersions = Object.values(spec.versionMeta ?? {})
        .map((v) => ({ date: v['x-xgen-version'], ...(v['x-sunset'] ? { sunset: v['x-sunset'] } : {}) }))
        .sort((a, b) => String(a.date).localeCompare(String(b.date)));
      expect(
        [...op.versions].sort((a, b) => a.date.localeCompare(b.date)),
        op.operationId,
      ).toEqual(specVersions);
    }
  });

  it('is served in full for the backup operations the contract lists', () => {
    const served = new Set(operations.map((op) => op.operationId));
    // The contract's writes to export buckets and schedules are not used by the project.
    const unused = new Set([
      'createGroupBackupExportBucket',
      'updateGroupBackupExportBucket',
      'deleteGroupBackupExportBucket',
      'updateGroupClusterBackupSchedule',
      'deleteGroupClusterBackupSchedule',
    ]);
    const missing = contract.operationIds().filter((id) => !served.has(id) && !unused.has(id));
    expect(missing).toEqual([]);
  });

  it('catches a response that breaks it', () => {
    const problems = contract.check({
      operationId: 'getGroupClusterBackupSnapshot',
      method: 'GET',
      path: '/x',
      status: 200,
      mediaType: 'application/vnd.atlas.2023-01-01+json',
      body: { id: 'not-hex', status: 'sleeping', createdAt: 'yesterday' },
      envelope: false,
    });
    expect(problems.join('\n')).toMatch(/pattern|enum|format/);
    expect(
      contract.check({
        operationId: 'x',
        method: 'GET',
        path: '/',
        status: 404,
        mediaType: 'application/json',
        body: { error: 404 },
        envelope: false,
      }),
    ).not.toEqual([]);
  });
});

describe.skipIf(!available)('responses across every operation', () => {
  let t: TestSim;
  let contract: ContractValidator;
  beforeAll(async () => {
    t = await startTestSim();
    const loaded = loadContract();
    if (!loaded) throw new Error('contract unexpectedly missing');
    contract = loaded;
  });
  afterAll(async () => {
    // Throws listing every response that broke the contract.
    await t.sim.close();
  });

  it('validate for every version of every read operation', async () => {
    const { g, rs, sharded, flex, serverless } = t;
    const bucket = t.sim.seed.exportBucketId;
    const calls: [string, string][] = [
      ['/groups', '2023-01-01'],
      [`/groups/${g}`, '2023-01-01'],
      [`/groups/${g}/flexClusters`, '2024-11-13'],
      [`/groups/${g}/flexClusters/${flex}`, '2024-11-13'],
      [`/groups/${g}/flexClusters/${flex}/backup/snapshots`, '2024-11-13'],
      [`/groups/${g}/flexClusters/${flex}/backup/restoreJobs`, '2024-11-13'],
      [`/groups/${g}/serverless`, '2023-01-01'],
      [`/groups/${g}/serverless/${serverless}`, '2023-01-01'],
      [`/groups/${g}/serverless/${serverless}/backup/snapshots`, '2023-01-01'],
      [`/groups/${g}/serverless/${serverless}/backup/restoreJobs`, '2023-01-01'],
      [`/groups/${g}/backup/exportBuckets`, '2023-01-01'],
      [`/groups/${g}/backup/exportBuckets`, '2024-05-30'],
      [`/groups/${g}/backup/exportBuckets/${bucket}`, '2023-01-01'],
      [`/groups/${g}/backup/exportBuckets/${bucket}`, '2024-05-30'],
    ];
    for (const cluster of [rs, sharded]) {
      for (const v of ['2023-01-01', '2023-02-01', '2024-08-05'])
        calls.push([`/groups/${g}/clusters`, v], [`/groups/${g}/clusters/${cluster}`, v]);
      for (const v of ['2023-01-01', '2024-08-05'])
        calls.push([`/groups/${g}/clusters/${cluster}/backup/schedule`, v]);
      for (const sub of ['snapshots', 'snapshots/shardedClusters', 'restoreJobs', 'exports']) {
        calls.push([`/groups/${g}/clusters/${cluster}/backup/${sub}?itemsPerPage=500`, '2023-01-01']);
      }
    }
    for (const v of ['2023-01-01', '2023-10-01']) calls.push([`/groups/${g}/backupCompliancePolicy`, v]);
    const now = t.sim.clock.now();
    for (const cluster of [rs, sharded]) {
      const snapshot = t.sim.store
        .listSnapshots(g, cluster)
        .find((s) => s.doneAt <= now && s.outcome === 'succeeded');
      const dbs = `/groups/${g}/clusters/${cluster}/backup/snapshots/${snapshot?.id}/databases`;
      const [db, coll] = cluster === rs ? ['sales', 'orders'] : ['events', 'clicks'];
      calls.push(
        [dbs, '2025-03-12'],
        [`${dbs}/${db}`, '2025-03-12'],
        [`${dbs}/${db}/collections?itemsPerPage=2`, '2025-03-12'],
        [`${dbs}/${db}/collections/${coll}`, '2025-03-12'],
        [`/groups/${g}/clusters/${cluster}/collectionRestoreJobs`, '2025-03-12'],
      );
    }
    for (const [path, version] of calls) {
      const res = await t.client.call(path, { version });
      expect(res.status, `${path} ${version}`).toBe(200);
    }
    expect(t.sim.contractChecked).toBe(true);
    expect(t.sim.contractViolations()).toEqual([]);
  });

  it('validate for collection restore jobs in every state, and their errors', async () => {
    const { g, rs } = t;
    const v = '2025-03-12';
    const base = `/groups/${g}/clusters/${rs}/collectionRestoreJobs`;
    const now = t.sim.clock.now();
    const snapshotId = t.sim.store
      .listSnapshots(g, rs)
      .find((s) => s.doneAt <= now && s.outcome === 'succeeded')?.id;
    const request = {
      snapshotId,
      targetGroupId: g,
      targetClusterName: rs,
      writeStrategy: 'CREATE_NEW',
      indexStrategy: 'ALL',
      collectionSuffix: '_contract',
      collections: [{ sourceNamespace: 'sales.orders' }, { sourceNamespace: 'sales.customers' }],
    };
    t.sim.store.failNextCollectionRestoreIndexBuild(g, rs, 'sales.customers');
    const created = await t.client.call<{ id: string }>(base, { method: 'POST', version: v, body: request });
    expect(created.status).toBe(201);
    const failing = await t.client.call<{ id: string }>(base, {
      method: 'POST',
      version: v,
      body: {
        ...request,
        collectionSuffix: undefined,
        databases: [{ sourceNamespace: 'inventory' }],
        collections: undefined,
        databaseSuffix: '_c',
      },
    });
    expect(failing.status).toBe(201);
    const { initializing, copying, finalizing } = timings.collectionRestore;
    for (const step of [0, initializing, copying / 2, copying / 2, finalizing]) {
      t.sim.clock.advance(step);
      for (const path of [
        base,
        `${base}/${created.body.id}`,
        `${base}/${created.body.id}/collections`,
        `${base}/${failing.body.id}/collections?envelope=true`,
      ])
        expect((await t.client.call(path, { version: v })).status).toBe(200);
    }
    expect(
      (await t.client.call(`${base}/${created.body.id}/collections/sales.customers`, { version: v })).status,
    ).toBe(200);
    expect((await t.client.call(base, { method: 'POST', version: v, body: {} })).status).toBe(400);
    expect((await t.client.call(`${base}/${'0'.repeat(24)}`, { version: v })).status).toBe(404);
    expect((await t.client.call(`/groups/${t.sim.seed.projects[1]?.id}/backupCompliancePolicy`)).status).toBe(
      404,
    );
    expect(t.sim.contractViolations()).toEqual([]);
  });

  it('validate for the write operations and their errors', async () => {
    const { g, sharded } = t;
    const base = `/groups/${g}/clusters/${sharded}/backup`;
    const taken = await t.client.call<{ id: string }>(`${base}/snapshots`, {
      method: 'POST',
      body: { description: 'contract' },
    });
    expect(taken.status).toBe(200);
    expect((await t.client.call(`${base}/snapshots`, { method: 'POST', body: {} })).status).toBe(409);
    t.sim.clock.advance(10 * 60_000);
    expect((await t.client.call(`${base}/snapshots/shardedCluster/${taken.body.id}`)).status).toBe(200);
    expect(
      (
        await t.client.call(`${base}/snapshots/${taken.body.id}`, {
          method: 'PATCH',
          body: { retentionUnit: 'DAYS', retentionValue: 5 },
        })
      ).status,
    ).toBe(200);
    const job = await t.client.call<{ id: string }>(`${base}/restoreJobs`, {
      method: 'POST',
      body: { deliveryType: 'download', snapshotId: taken.body.id },
    });
    expect(job.status).toBe(200);
    expect(
      (
        await t.client.call(`${base}/exports`, {
          method: 'POST',
          body: { snapshotId: taken.body.id, exportBucketId: t.sim.seed.exportBucketId },
        })
      ).status,
    ).toBe(200);
    t.sim.clock.advance(10 * 60_000);
    expect((await t.client.call(`${base}/restoreJobs?envelope=true`)).status).toBe(200);
    expect((await t.client.call(`${base}/exports?pretty=true`)).status).toBe(200);
    const refused = `${base}/snapshots/shardedCluster/${taken.body.id}`;
    expect((await t.client.call(refused, { method: 'DELETE' })).status).toBe(400);
    const policy = t.sim.store.getCompliancePolicy(g);
    t.sim.store.setCompliancePolicy(g, undefined);
    expect(
      (await t.client.call(`${base}/snapshots/shardedCluster/${taken.body.id}`, { method: 'DELETE' })).status,
    ).toBe(204);
    t.sim.store.setCompliancePolicy(g, policy);
    expect(
      (await t.client.call(`${base}/restoreJobs`, { method: 'POST', body: { deliveryType: 'automated' } }))
        .status,
    ).toBe(400);
    expect(t.sim.contractViolations()).toEqual([]);
  });

  it("refuses to cancel a sharded cluster's restore job with the 405 the contract documents", async () => {
    const { g, sharded } = t;
    const base = `/groups/${g}/clusters/${sharded}/backup`;
    const snapshot = t.sim.store
      .listSnapshots(g, sharded)
      .find((s) => s.doneAt <= t.sim.clock.now() && s.outcome === 'succeeded');
    const job = await t.client.call<{ id: string }>(`${base}/restoreJobs`, {
      method: 'POST',
      body: { deliveryType: 'download', snapshotId: snapshot?.id },
    });
    expect(job.status).toBe(200);
    const documented = contract.operation('cancelGroupClusterBackupRestoreJob')?.errorResponses?.['405'];
    expect(documented?.exampleErrorCode).toBe('ATLAS_BACKUP_CANCEL_SHARD_RESTORE_JOB_NOT_ALLOWED');

    const refused = await t.client.call<ApiErrorBody>(`${base}/restoreJobs/${job.body.id}`, {
      method: 'DELETE',
    });
    expect(refused.status).toBe(405);
    expect(refused.body).toMatchObject({
      error: 405,
      errorCode: documented?.exampleErrorCode,
      reason: 'Method Not Allowed',
    });
    expect(refused.headers.allow).toBe('GET');
    // Nothing was cancelled.
    const after = await t.client.call<{ cancelled: boolean }>(`${base}/restoreJobs/${job.body.id}`);
    expect(after.body.cancelled).toBe(false);
    expect(t.sim.contractViolations()).toEqual([]);
  });
});
