import { afterEach, describe, expect, it } from 'vitest';
import { flat, startTui, type TuiHarness } from './support/harness.js';

let h: TuiHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const flexPosts = (t: TuiHarness, what: 'restoreJobs' | 'download') =>
  t.sim.requests.filter(
    (r) => r.method === 'POST' && new RegExp(`/flexClusters/[^/]+/backup/${what}$`).test(r.path),
  );
const MINUTE = 60_000;

/** The Flex cluster's snapshots, with a completed one selected; its id. */
async function selectFlexSnapshot(t: TuiHarness): Promise<string> {
  const projectId = t.sim.seed.projectId;
  const now = t.sim.clock.now();
  const snap = t.sim.store
    .listFlexSnapshots(projectId, 'sandbox-flex')
    .find((s) => s.finishTime <= now && s.outcome === 'succeeded');
  if (!snap) throw new Error('no completed Flex snapshot');
  await t.waitFor('Production', 'the project list');
  await t.open('Production', '› clusters');
  await t.waitFor('sandbox-flex', 'the cluster list');
  await t.open('sandbox-flex', /\d+ items/);
  await t.select(snap.id, new RegExp(`Snapshot ${snap.id}`));
  return snap.id;
}

describe('Flex restores and downloads in the terminal', () => {
  it('R on a Flex snapshot: picks the target, explains, needs the production name, runs once, and the jobs view follows it', async () => {
    const t = (h = await startTui({ simClock: true }));
    const snapshotId = await selectFlexSnapshot(t);
    expect(t.frame()).toContain('download');

    await t.press('R');
    const form = await t.waitFor('‹ sandbox-flex (Flex) ›', 'the target cluster choices');
    expect(form).toContain('‹ onto a cluster (overwrites it) ›');
    expect(form).not.toContain('Point in time');
    expect(form).not.toContain('What to restore');
    // Other clusters of the project are offered as targets too: Flex and dedicated.
    await t.press('down', 'down', 'down', 'right');
    await t.waitFor(/› Target cluster\s+‹ (?!sandbox-flex)/);
    await t.press('left');
    await t.waitFor(/› Target cluster\s+‹ sandbox-flex \(Flex\) ›/);
    await t.press('enter');

    const confirm = flat(await t.waitFor('[DESTRUCTIVE]'));
    expect(confirm).toContain(`Restore Flex snapshot ${snapshotId} of sandbox-flex onto sandbox-flex`);
    expect(confirm).toContain('Target: Flex cluster sandbox-flex in project Production');
    expect(confirm).toContain('The target is the source cluster itself');
    expect(confirm).toContain('Type sandbox-flex to confirm');
    await t.press('tab', 'tab', 'y');
    await t.waitFor('Type sandbox-flex exactly first.');
    expect(flexPosts(t, 'restoreJobs')).toHaveLength(0);
    await t.press('shift-tab');
    await t.type('sandbox-flex');
    await t.press('tab', 'y');
    await t.waitFor(/✔ Flex restore job [0-9a-f]{24} from sandbox-flex to sandbox-flex started/);
    expect(flexPosts(t, 'restoreJobs')).toHaveLength(1);

    await t.press('J');
    await t.waitFor(/flexRestore\s+[0-9a-f]{24}\s+sandbox-flex\s+QUEUED/);
    t.sim.clock.advance(MINUTE);
    await t.waitFor(/flexRestore\s+[0-9a-f]{24}\s+sandbox-flex\s+RUNNING/);
    t.sim.clock.advance(2 * MINUTE);
    await t.waitFor(/flexRestore\s+[0-9a-f]{24}\s+sandbox-flex\s+COMPLETED/);
    expect(flexPosts(t, 'restoreJobs')).toHaveLength(1);

    // The cluster's restores tab lists it with the Flex restore jobs Atlas keeps.
    const job = t.sim.store
      .listFlexRestoreJobs(t.sim.seed.projectId, 'sandbox-flex')
      .find((j) => j.deliveryType === 'RESTORE');
    await t.press('enter');
    await t.waitFor('› restores', "the Flex cluster's restores tab");
    await t.waitFor(new RegExp(`${job?.id ?? 'no job'}.*COMPLETED`));
  });

  it('d on a Flex snapshot: a download link, shown with its expiry when ready', async () => {
    const t = (h = await startTui({ simClock: true }));
    const snapshotId = await selectFlexSnapshot(t);

    await t.press('d');
    const form = await t.waitFor('‹ a download link (nothing overwritten) ›');
    expect(form).not.toContain('Target cluster');
    await t.press('enter');
    const confirm = flat(await t.waitFor('[COSTLY]'));
    expect(confirm).toContain(`Create a download link for Flex snapshot ${snapshotId} of sandbox-flex`);
    expect(confirm).toContain('Nothing is overwritten.');
    expect(confirm).not.toContain('to confirm:');
    await t.press('tab', 'y');
    await t.waitFor(/✔ Flex download job [0-9a-f]{24} of sandbox-flex started/);
    expect(flexPosts(t, 'download')).toHaveLength(1);

    await t.press('enter', 'J');
    await t.waitFor(/flexRestore\s+[0-9a-f]{24}\s+sandbox-flex\s+QUEUED/);
    t.sim.clock.advance(3 * MINUTE);
    const ready = flat(await t.waitFor(/sandbox-flex\s+ready\s+links ready/));
    expect(ready).toContain(`download 1 https://flex-download.atlas-sim.example/${t.sim.seed.projectId}/`);
    const job = t.sim.store
      .listFlexRestoreJobs(t.sim.seed.projectId, 'sandbox-flex')
      .find((j) => j.deliveryType === 'DOWNLOAD' && j.snapshotId === snapshotId);
    const expires = new Date(job?.expirationDate ?? 0).toISOString().slice(0, 19).replace('T', ' ');
    expect(ready).toContain(`links expire ${expires} UTC`);
  });

  it('d on a dedicated cluster’s snapshot opens the same form on download links, the dedicated action', async () => {
    const t = (h = await startTui({ simClock: true }));
    await t.waitFor('Staging', 'the project list');
    await t.open('Staging', '› clusters');
    await t.waitFor('orders-staging', 'the cluster list');
    await t.open('orders-staging', /\d+ items/);
    await t.select('Pre-release', 'Pre-release checkpoint');
    await t.press('d');
    await t.waitFor('‹ download links (nothing overwritten) ›');
    await t.press('enter');
    const confirm = flat(await t.waitFor('[COSTLY]'));
    expect(confirm).toContain('Create download links for snapshot');
    expect(confirm).not.toContain('Flex');
  });
});
