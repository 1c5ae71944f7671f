import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  actionCatalogue,
  ActionService,
  actionForKind,
  deploymentRefusal,
  FilePolicyEngine,
  defaultPolicyDocument,
  localOperatorPolicy,
  MemoryAuditLog,
  watchJob,
  type Actor,
  type JobUpdate,
} from '../src/index.js';
import { served, simHarness, type SimHarness } from './support/sim.js';

const actor: Actor = { id: 'local:alice', displayName: 'alice', source: 'tui' };
const now = new Date('2026-11-27T12:00:00Z');
const MINUTE = 60_000;
let h: SimHarness;
let audit: MemoryAuditLog;

beforeEach(async () => {
  h = await simHarness({ now });
  audit = new MemoryAuditLog();
});
afterEach(async () => {
  await h.close();
});

const service = () =>
  new ActionService({ client: h.client(), policy: localOperatorPolicy, audit, now: () => h.sim.clock.now() });

async function flexSource() {
  const { projectId, flexClusterName } = h.sim.seed;
  const page = await h.client().listFlexSnapshots(projectId, flexClusterName, { itemsPerPage: 50 });
  const snap = page.results.find((s) => s.status === 'COMPLETED');
  if (!snap) throw new Error('no completed Flex snapshot');
  return { groupId: projectId, clusterName: flexClusterName, snapshotId: snap.id };
}

const flexRestoreCreates = () => served(h.sim, 'POST', /flexClusters\/[^/]+\/backup\/restoreJobs$/).length;
const flexDownloads = () => served(h.sim, 'POST', /flexClusters\/[^/]+\/backup\/download$/).length;

async function follow(ref: NonNullable<Awaited<ReturnType<ActionService['request']>>> & object) {
  if (ref.status !== 'executed' || !ref.result.job) throw new Error('no job');
  const updates: JobUpdate[] = [];
  for await (const u of watchJob(h.client(), ref.result.job, {
    pollIntervalMs: 1000,
    sleep: async (ms) => {
      h.sim.clock.advance(Math.max(ms, MINUTE));
    },
    now: () => h.sim.clock.now(),
  })) {
    updates.push(u);
  }
  return updates;
}

describe('Flex restores and downloads', () => {
  it('core picks the Flex action for a Flex source, by the kind Atlas reports', async () => {
    const source = await flexSource();
    const s = service();
    expect(await s.actionFor('restore.automated', source)).toBe('restore.flex');
    expect(await s.actionFor('restore.download', source)).toBe('restore.download.flex');
    const { projectId, replicaSetName } = h.sim.seed;
    expect(await s.actionFor('restore.automated', { groupId: projectId, clusterName: replicaSetName })).toBe(
      'restore.automated',
    );
    expect(actionForKind('restore.automated', 'flex')).toBe('restore.flex');
    expect(actionForKind('restore.flex', 'replicaSet')).toBe('restore.automated');
    expect(actionForKind('restore.pointInTime', 'flex')).toBe('restore.pointInTime');
    expect(deploymentRefusal('restore.pointInTime', { kind: 'flex' })).toContain(
      'of them this tool only restores and downloads snapshots',
    );
    const serverless = { groupId: projectId, clusterName: h.sim.seed.serverlessInstanceName };
    await expect(s.actionFor('restore.download', serverless)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('serverless backups are managed by Atlas') as unknown,
    });
    expect(deploymentRefusal('restore.flex', { kind: 'flex' })).toBeUndefined();
    expect(deploymentRefusal('restore.flex', { kind: 'serverless' })).toContain('not available');
  });

  it('restores a Flex snapshot onto another Flex cluster: explained as destructive, sent once, followed to COMPLETED', async () => {
    const source = await flexSource();
    const staging = h.sim.seed.projects.find((p) => p.name === 'Staging');
    if (!staging) throw new Error('no Staging project');
    const params = { ...source, targetGroupId: staging.id, targetClusterName: 'staging-flex' };
    const s = service();
    const { preview } = await s.preview(actor, 'restore.flex', params);
    expect(preview.risk).toBe('destructive');
    expect(preview.title).toContain(
      `Restore Flex snapshot ${source.snapshotId} of sandbox-flex onto staging-flex`,
    );
    expect(preview.lines).toContain(`Target: Flex cluster staging-flex in project Staging (${staging.id})`);
    expect(preview.warnings.join('\n')).toContain('Every database on staging-flex will be replaced');
    expect(flexRestoreCreates()).toBe(0);

    // The source project is production: the target's name must be typed.
    expect(preview.confirmPhrase).toBe('staging-flex');
    await expect(
      s.request(actor, 'restore.flex', params, { confirmation: { confirmed: true } }),
    ).rejects.toMatchObject({ code: 'CONFIRMATION_REQUIRED' });
    expect(flexRestoreCreates()).toBe(0);
    const outcome = await s.request(actor, 'restore.flex', params, {
      confirmation: { confirmed: true, typedPhrase: 'staging-flex' },
    });
    expect(outcome.status).toBe('executed');
    expect(flexRestoreCreates()).toBe(1);
    const job = h.sim.store
      .listFlexRestoreJobs(source.groupId, source.clusterName)
      .find((j) => j.deliveryType === 'RESTORE');
    expect(job).toMatchObject({
      deliveryType: 'RESTORE',
      snapshotId: source.snapshotId,
      targetDeploymentItemName: 'staging-flex',
      targetProjectId: staging.id,
    });

    const updates = await follow(outcome);
    expect(updates.map((u) => u.status)).toEqual(expect.arrayContaining(['QUEUED', 'COMPLETED']));
    expect(updates.at(-1)).toMatchObject({ phase: 'succeeded', terminal: true });
    expect(audit.entries.map((e) => e.event)).toEqual(['requested', 'executed']);
    expect(audit.entries[1]).toMatchObject({ action: 'restore.flex', atlasJobId: job?.id });
  });

  it('a Flex download: needs approval by default, and once ready its link and expiry are in the job state', async () => {
    const source = await flexSource();
    const policy = new FilePolicyEngine(defaultPolicyDocument);
    const { preview } = await service().preview(actor, 'restore.download.flex', source);
    const project = await h.client().getProject(source.groupId);
    const decision = await policy.decide({ actor, action: 'restore.download.flex', project, preview });
    expect(decision).toMatchObject({ allowed: true, approval: { required: 1 } });

    const s = service();
    const outcome = await s.request(actor, 'restore.download.flex', source, {
      confirmation: { confirmed: true },
    });
    expect(outcome.preview.lines).toContain('Nothing is overwritten.');
    expect(flexDownloads()).toBe(1);
    const updates = await follow(outcome);
    const last = updates.at(-1);
    expect(last?.phase).toBe('succeeded');
    expect(last?.urls?.[0]).toMatch(/^https:\/\/flex-download\..+\.tar\.gz$/);
    expect(Date.parse(last?.expiresAt ?? '')).toBeGreaterThan(h.sim.clock.now());
  });

  it('a lost answer to a Flex restore is found in Atlas, never sent again', async () => {
    const source = await flexSource();
    const params = { ...source, targetGroupId: source.groupId, targetClusterName: 'sandbox-flex' };
    h.sim.faults.inject({
      kind: 'reset',
      when: 'after',
      method: 'POST',
      path: /flexClusters\/.+\/restoreJobs$/,
    });
    const outcome = await service().request(actor, 'restore.flex', params, {
      confirmation: { confirmed: true, typedPhrase: 'sandbox-flex' },
    });
    expect(outcome.status === 'executed' && outcome.result.reconciled).toBe(true);
    expect(flexRestoreCreates()).toBe(1);
  });

  it('after a restart, a Flex restore in doubt is recognised by its job, and an older identical job is not taken for it', async () => {
    const source = await flexSource();
    const params = { ...source, targetGroupId: source.groupId, targetClusterName: 'sandbox-flex' };
    const def = actionCatalogue['restore.flex'];
    const ctx = { client: h.client() };
    const before = await def.matchingBefore?.(ctx, params);
    expect(before).toEqual([]);
    const startedAt = h.sim.clock.now();
    const outcome = await service().request(actor, 'restore.flex', params, {
      confirmation: { confirmed: true, typedPhrase: 'sandbox-flex' },
    });
    const jobId = outcome.status === 'executed' ? outcome.result.job?.id : undefined;
    const seen = await def.recognise(ctx, params, { requestRef: 'r', startedAt, excludedJobIds: new Set() });
    expect(seen).toMatchObject({ found: true, job: { kind: 'flexRestore', id: jobId } });
    const other = await def.recognise(ctx, params, {
      requestRef: 'r2',
      startedAt,
      excludedJobIds: new Set([jobId ?? '']),
    });
    expect(other).toEqual({ found: false, detail: 'no matching Flex restore job on sandbox-flex' });
    // A download of the same snapshot is not taken for the restore, nor the other way round.
    const downloads = await actionCatalogue['restore.download.flex'].matchingBefore?.(ctx, source);
    expect(downloads).not.toContain(jobId);
  });
});
