import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Binding } from '../src/keys/bindings.js';
import { tabsFor } from '../src/navigation/deployment-kinds.js';
import { breadcrumbs, type Route, type ViewName } from '../src/navigation/routes.js';
import { views } from '../src/views/registry.js';
import { simNow, startTui, type TuiHarness } from './support/harness.js';

let h: TuiHarness;
/** A page of every view, on a dedicated cluster where every action is allowed. */
let pages: Record<ViewName, Route>;

beforeAll(async () => {
  h = await startTui();
  const { sim, client, services } = h;
  const p = await client.getProject(sim.seed.projectId);
  const project = { id: p.id, name: p.name, production: services.actions.policy.isProduction(p) };
  const cluster = (await client.listAllClusters(p.id)).find((c) => c.name === sim.seed.replicaSetName);
  if (!cluster) throw new Error('the seeded replica set is missing');
  pages = {
    projects: { view: 'projects' },
    clusters: { view: 'clusters', project },
    snapshots: { view: 'snapshots', project, cluster },
    restores: { view: 'restores', project, cluster },
    exports: { view: 'exports', project, cluster },
    buckets: { view: 'buckets', project, cluster },
    schedule: { view: 'schedule', project, cluster },
    jobs: { view: 'jobs' },
  };

  // Two rows at least in every list, so that every move shows.
  sim.store.addExportBucket({
    id: 'b'.repeat(24),
    groupId: p.id,
    bucketName: 'second-bucket',
    cloudProvider: 'AWS',
    iamRoleId: 'c'.repeat(24),
    region: 'us-east-1',
    requirePrivateNetworking: false,
  });
  const snapshot = sim.store
    .listSnapshots(p.id, cluster.name)
    .find((s) => s.outcome === 'succeeded' && s.createdAt < simNow.getTime() - 86_400_000);
  if (!snapshot) throw new Error('no completed snapshot to export');
  await client.createExportJob(p.id, cluster.name, {
    snapshotId: snapshot.id,
    exportBucketId: sim.seed.exportBucketId,
  });
  // Done before anyone watches it: a running job would redraw the jobs page every second.
  sim.clock.advance(86_400_000);
  // Finished jobs (so that they can be dismissed), followed from this terminal.
  for (const job of sim.store.listRestoreJobs(p.id, cluster.name).slice(0, 2))
    services.jobs.track(
      { kind: 'restore', groupId: p.id, clusterName: cluster.name, id: job.id },
      `job ${job.id}`,
    );
  await until(() => services.jobs.getSnapshot().every((j) => j.done), 'the followed jobs to end');
});

afterAll(async () => {
  await h.close();
});

async function until(check: () => boolean, what: string) {
  const deadline = Date.now() + 8_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Shows one page and waits until its data is on screen. */
async function show(view: ViewName): Promise<string> {
  h.reopen([pages[view]]);
  await h.waitFor(
    (f) => f.includes(breadcrumbs(pages[view]).join(' › ')),
    `the breadcrumbs of the ${view} page`,
  );
  return h.waitFor(view === 'schedule' ? 'Backup schedule of' : /\d+ items/, `the ${view} data`);
}

/** The key to press for a binding: a tab number other than the current tab's. */
function keyFor(view: ViewName, binding: Binding): string {
  const route = pages[view];
  if (binding.action !== 'tabNumber' || !('cluster' in route) || !route.cluster) return binding.keys[0] ?? '';
  const here = String(tabsFor(route.cluster.kind).indexOf(view as never) + 1);
  return binding.keys.find((k) => k !== here) ?? '';
}

// Moves towards the top are tried from the last row, so that they show.
const fromTheEnd = new Set(['up', 'pageUp', 'first']);

describe('the view registry', () => {
  it('has a view for every route, drawn for its page, and its help lists the keys it declares', async () => {
    expect(Object.keys(views).sort()).toEqual(Object.keys(pages).sort());
    for (const [name, entry] of Object.entries(views)) {
      expect(entry.view).toBe(name);
      const view = name as ViewName;
      const frame = await show(view);
      expect(frame).not.toContain('This view failed');
      expect(entry.keys.length).toBeGreaterThan(0);
      await h.press('?');
      const help = await h.waitFor(`Keys — ${view}`);
      for (const binding of entry.keys) expect(help).toContain(binding.help);
      await h.press('escape');
      await h.waitFor((f) => !f.includes(`Keys — ${view}`), 'help to close');
    }
  });

  it('hands every key a view declares to a handler that acts on it', { timeout: 180_000 }, async () => {
    const unhandled: string[] = [];
    for (const [name, entry] of Object.entries(views)) {
      const view = name as ViewName;
      for (const binding of entry.keys) {
        await show(view);
        if (fromTheEnd.has(binding.action)) {
          const top = h.frame();
          await h.press('end');
          await h.waitFor((f) => f !== top, `${view}: the last row selected`);
        }
        const before = h.frame();
        const key = keyFor(view, binding);
        await h.press(key);
        await h
          .waitFor((f) => f !== before, `${view}: ${key} (${binding.action}) to change the screen`)
          .catch(() => unhandled.push(`${view}: ${key} (${binding.action})`));
        expect(h.frame()).not.toContain('is disabled');
      }
    }
    expect(unhandled).toEqual([]);
  });
});

describe('the jobs page', () => {
  it('goes from a job to its cluster: Enter opens the tab that lists it', async () => {
    await show('jobs');
    const job = h.services.jobs.getSnapshot()[0];
    if (!job) throw new Error('no job followed');
    await h.select(job.ref.id, `restore ${job.ref.id}`);
    await h.waitFor(
      (f) => /^projects › Production \[PRODUCTION\] › orders-prod \(replica set\) › restores\s*$/m.test(f),
      "the job's cluster, on its restores tab",
    );
    await h.waitFor(job.ref.id, 'the job in the list');
    await h.press('escape');
    await h.waitFor('Production [PRODUCTION] › clusters');
  });
});
