import type { RunningSimulator, SimulatorOptions } from '@atlas-backups/atlas-sim';
import { startContractCheckedSimulator } from '@atlas-backups/atlas-sim/testing';
import { AtlasClient, type AtlasClientOptions } from '../../src/index.js';

export interface SimHarness {
  sim: RunningSimulator;
  /** Backoff waits the client asked for, instead of waiting them. */
  sleeps: number[];
  client(overrides?: Partial<AtlasClientOptions>): AtlasClient;
  close(): Promise<void>;
}

/**
 * A simulator on a free loopback port with a manual clock, and clients for it whose retry waits
 * are recorded rather than slept, so retry behaviour is asserted without slowing the suite.
 * Every response it gives is checked against the official Atlas contract when that is present;
 * `close()` fails the test on any violation.
 */
export async function simHarness(options: SimulatorOptions = {}): Promise<SimHarness> {
  const sim = await startContractCheckedSimulator({ clock: 'manual', ...options });
  const clients: AtlasClient[] = [];
  const sleeps: number[] = [];
  return {
    sim,
    sleeps,
    client(overrides = {}) {
      const client = new AtlasClient({
        baseUrl: sim.url,
        credentials: {
          kind: 'serviceAccount',
          clientId: sim.credentials.clientId,
          clientSecret: sim.credentials.clientSecret,
        },
        sleep: async (ms) => {
          sleeps.push(ms);
        },
        ...overrides,
      });
      clients.push(client);
      return client;
    },
    async close() {
      await Promise.all(clients.map((c) => c.close()));
      await sim.close();
    },
  };
}

/** Requests the simulator served that match, e.g. `posts(sim, /restoreJobs$/)`. */
export function served(sim: RunningSimulator, method: string, path: RegExp) {
  return sim.requests.filter((r) => r.method === method && path.test(r.path));
}

/**
 * A seeded project's first replica set and a completed snapshot of it, as a restore of that
 * snapshot onto its own cluster asks for them.
 */
export async function selfRestore(h: SimHarness, projectName: string) {
  const project = h.sim.seed.projects.find((p) => p.name === projectName);
  const cluster = project?.clusters.find((c) => c.kind === 'replicaSet')?.name;
  if (!project || !cluster) throw new Error(`no ${projectName} replica set in the seed`);
  const page = await h.client().listSnapshots(project.id, cluster, { itemsPerPage: 50 });
  const snapshot = page.results.find((s) => s.status === 'completed');
  if (!snapshot) throw new Error('no completed snapshot');
  return {
    groupId: project.id,
    clusterName: cluster,
    snapshotId: snapshot.id,
    targetGroupId: project.id,
    targetClusterName: cluster,
  };
}
