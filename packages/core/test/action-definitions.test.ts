import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  actionCatalogue,
  actionNames,
  deploymentRefusal,
  restoreJobMatches,
  type RestoreJob,
  type RestoreRequest,
  isActionName,
} from '../src/index.js';
import { served, simHarness, type SimHarness } from './support/sim.js';

const g = 'a'.repeat(24);
const other = 'c'.repeat(24);
const snap = 'b'.repeat(24);

describe('one rule recognises a restore job', () => {
  const job = (fields: Partial<RestoreJob>): RestoreJob => ({
    id: 'j',
    deliveryType: 'automated',
    ...fields,
  });
  const requests: RestoreRequest[] = [
    { deliveryType: 'download', snapshotId: snap },
    { deliveryType: 'automated', snapshotId: snap, targetClusterName: 'T', targetGroupId: g },
    {
      deliveryType: 'pointInTime',
      targetClusterName: 'T',
      targetGroupId: g,
      pointInTimeUTCSeconds: 1_740_821_400,
    },
    {
      deliveryType: 'pointInTime',
      targetClusterName: 'T',
      targetGroupId: g,
      oplogTs: 1_740_821_400,
      oplogInc: 3,
    },
  ];

  it('matches the job a request made, and no job that differs in what the request names', () => {
    for (const request of requests) {
      const made = job({ ...request, timestamp: '2026-11-27T12:00:00Z' });
      expect(restoreJobMatches(request, made), request.deliveryType).toBe(true);
      const differing: Partial<RestoreJob>[] = [
        { deliveryType: request.deliveryType === 'download' ? 'automated' : 'download' },
        ...(request.deliveryType === 'pointInTime' ? [] : [{ snapshotId: 'd'.repeat(24) }]),
        ...(request.deliveryType === 'download'
          ? []
          : [{ targetClusterName: 'Other' }, { targetGroupId: other }]),
        ...(request.deliveryType === 'pointInTime'
          ? [{ pointInTimeUTCSeconds: 1_740_821_401 }, { oplogTs: 1 }, { oplogInc: 4 }]
          : []),
      ];
      for (const change of differing)
        expect(restoreJobMatches(request, { ...made, ...change }), JSON.stringify(change)).toBe(false);
    }
  });
});

describe('restore actions recognise their job after a lost answer by that rule', () => {
  let h: SimHarness;
  beforeEach(async () => {
    h = await simHarness({ now: new Date('2026-11-27T12:00:00Z') });
  });
  afterEach(async () => {
    await h.close();
  });

  async function completedSnapshot(groupId: string, cluster: string): Promise<string> {
    const page = await h.client().listSnapshots(groupId, cluster, { itemsPerPage: 50 });
    const found = page.results.find((s) => s.status === 'completed');
    if (!found) throw new Error('no completed snapshot in the seed');
    return found.id;
  }

  it('the client reconciling a lost create and the action after a restart find the same job, never a similar one', async () => {
    const { projectId, replicaSetName, shardedClusterName } = h.sim.seed;
    const client = h.client();
    const snapshotId = await completedSnapshot(projectId, replicaSetName);
    const restore = actionCatalogue['restore.automated'];
    const onto = (targetClusterName: string) => ({
      groupId: projectId,
      clusterName: replicaSetName,
      snapshotId,
      targetGroupId: projectId,
      targetClusterName,
    });
    // The same snapshot restored onto another cluster: similar, but not this request's job.
    const similar = await client.createRestoreJob(projectId, replicaSetName, {
      deliveryType: 'automated',
      snapshotId,
      targetGroupId: projectId,
      targetClusterName: shardedClusterName,
    });
    const startedAt = h.sim.clock.now();
    expect(await restore.matchingBefore?.({ client }, onto(replicaSetName))).toEqual([]);
    expect(await restore.recognise({ client }, onto(replicaSetName), lost(startedAt))).toEqual({
      found: false,
      detail: `no matching restore job on ${replicaSetName}`,
    });

    h.sim.faults.inject({ kind: 'reset', when: 'after', method: 'POST', path: /restoreJobs$/ });
    const created = await client.createRestoreJob(projectId, replicaSetName, {
      deliveryType: 'automated',
      snapshotId,
      targetGroupId: projectId,
      targetClusterName: replicaSetName,
    });
    expect(created.reconciled).toBe(true);
    expect(created.value.id).not.toBe(similar.value.id);
    expect(served(h.sim, 'POST', /restoreJobs$/)).toHaveLength(2);

    expect(await restore.recognise({ client }, onto(replicaSetName), lost(startedAt))).toMatchObject({
      found: true,
      job: { kind: 'restore', id: created.value.id },
    });
    expect(await restore.matchingBefore?.({ client }, onto(shardedClusterName))).toEqual([similar.value.id]);
    // A job credited to another request is not this one's.
    expect(
      await restore.recognise({ client }, onto(replicaSetName), lost(startedAt, [created.value.id])),
    ).toMatchObject({ found: false });
  });
});

const lost = (startedAt: number, excluded: string[] = []) => ({
  requestRef: 'ref',
  startedAt,
  excludedJobIds: new Set(excluded),
});

describe('which deployments an action applies to', () => {
  it('is declared by every action, and refused for the others before any form', () => {
    const flexActions = ['restore.flex', 'restore.download.flex'];
    for (const name of actionNames.filter((n) => !flexActions.includes(n))) {
      expect(actionCatalogue[name].deploymentKinds, name).toEqual(['replicaSet', 'sharded']);
      expect(deploymentRefusal(name, { kind: 'replicaSet' })).toBeUndefined();
      expect(deploymentRefusal(name, { kind: 'sharded' })).toBeUndefined();
      expect(deploymentRefusal(name, { kind: 'flex' })).toBe(
        'Flex backups are managed by Atlas; of them this tool only restores and downloads snapshots',
      );
      expect(deploymentRefusal(name, { kind: 'serverless' })).toBe(
        'serverless backups are managed by Atlas; this tool changes dedicated clusters only',
      );
    }
    for (const name of flexActions.filter(isActionName)) {
      expect(actionCatalogue[name].deploymentKinds, name).toEqual(['flex']);
      expect(deploymentRefusal(name, { kind: 'flex' })).toBeUndefined();
      expect(deploymentRefusal(name, { kind: 'replicaSet' })).toContain('is not available for a replica set');
    }
  });
});
