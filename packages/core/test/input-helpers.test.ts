import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  deploymentKindFromError,
  formatLabels,
  listRestoreJobRows,
  parseLabelText,
  parseLabels,
} from '../src/index.js';
import { simHarness, type SimHarness } from './support/sim.js';

describe('key=value labels', () => {
  it('reads each item at its first =, trimmed, and names the first item that is not key=value', () => {
    expect(parseLabels(['ticket=INC-1', ' note = a=b ', 'empty='])).toEqual({
      labels: [
        { key: 'ticket', value: 'INC-1' },
        { key: 'note', value: 'a=b' },
        { key: 'empty', value: '' },
      ],
    });
    expect(parseLabels(['ok=1', 'novalue', 'x=2'])).toEqual({
      error: '"novalue" is not key=value',
      item: 'novalue',
    });
    expect(parseLabels(['=orphan'])).toEqual({ error: '"=orphan" is not key=value', item: '=orphan' });
    expect(parseLabels([''])).toEqual({ error: '"" is not key=value', item: '' });
  });

  it('splits one text by the surface’s separator, skipping blank pieces, in any script', () => {
    expect(parseLabelText('a=1, b = two ,', ',')).toEqual({
      labels: [
        { key: 'a', value: '1' },
        { key: 'b', value: 'two' },
      ],
    });
    expect(parseLabelText('팀=데이터베이스\n\n  note=sev 1, still one  \n', '\n')).toEqual({
      labels: [
        { key: '팀', value: '데이터베이스' },
        { key: 'note', value: 'sev 1, still one' },
      ],
    });
    expect(parseLabelText('a=1\nticket INC-7', '\n')).toEqual({
      error: '"ticket INC-7" is not key=value',
      item: 'ticket INC-7',
    });
    expect(
      formatLabels([
        { key: 'ticket', value: 'INC-1' },
        { key: 'note', value: 'sev 1' },
      ]),
    ).toBe('ticket=INC-1, note=sev 1');
  });
});

describe('against the simulator', () => {
  let h: SimHarness;
  beforeEach(async () => {
    h = await simHarness({ now: new Date('2026-11-27T12:00:00Z') });
  });
  afterEach(async () => {
    await h.close();
  });

  it('tells a Flex cluster or serverless instance from Atlas refusing its name on the cluster API', async () => {
    const { projectId, flexClusterName, serverlessInstanceName, replicaSetName } = h.sim.seed;
    const client = h.client();
    const refusal = (name: string) => client.listRestoreJobs(projectId, name).catch((e: unknown) => e);
    expect(deploymentKindFromError(await refusal(flexClusterName))).toBe('flex');
    expect(deploymentKindFromError(await refusal(serverlessInstanceName))).toBe('serverless');
    expect(deploymentKindFromError(await refusal('NoSuchCluster'))).toBeUndefined();
    expect(deploymentKindFromError(new Error('CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API'))).toBeUndefined();
    await expect(client.listRestoreJobs(projectId, replicaSetName)).resolves.toBeDefined();
  });

  it('lists restore jobs as the same rows for dedicated and Flex clusters', async () => {
    const { projectId, flexClusterName, replicaSetName } = h.sim.seed;
    const client = h.client();
    const flexSnapshot = (await client.listFlexSnapshots(projectId, flexClusterName)).results.find(
      (s) => s.status === 'COMPLETED',
    );
    if (!flexSnapshot) throw new Error('no completed Flex snapshot in the seed');
    const download = await client.downloadFlexSnapshot(projectId, flexClusterName, flexSnapshot.id);

    const flexRows = await listRestoreJobRows(client, projectId, { name: flexClusterName, kind: 'flex' });
    expect(flexRows.find((r) => r.id === download.value.id)).toMatchObject({
      delivery: 'download',
      snapshotId: flexSnapshot.id,
      source: 'flex',
      state: { phase: expect.any(String) },
    });

    const dedicated = await client.listRestoreJobs(projectId, replicaSetName, { itemsPerPage: 500 });
    const rows = await listRestoreJobRows(client, projectId, { name: replicaSetName, kind: 'replicaSet' });
    expect(rows.map((r) => r.id)).toEqual(dedicated.results.map((j) => j.id));
    expect(rows.length).toBeGreaterThan(1);
    expect(rows.every((r) => r.source === 'dedicated')).toBe(true);
    const limited = await listRestoreJobRows(
      client,
      projectId,
      { name: replicaSetName, kind: 'replicaSet' },
      { limit: 1 },
    );
    expect(limited.map((r) => r.id)).toEqual(dedicated.results.slice(0, 1).map((j) => j.id));
  });
});
