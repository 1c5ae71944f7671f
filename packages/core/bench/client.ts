import { performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';
import { AtlasClient, mediaType } from '../src/index.js';
import { startSimProcess } from './sim-process.js';
import { summarise } from './stats.js';

async function firstSnapshot(client: AtlasClient) {
  for await (const project of client.iterateProjects()) {
    for (const c of (await client.listClusters(project.id)).results) {
      const snap = (await client.listSnapshots(project.id, c.name, { itemsPerPage: 1 })).results[0];
      if (snap) return { groupId: project.id, clusterName: c.name, snapshotId: snap.id };
    }
  }
  throw new Error('no snapshot found in the simulator');
}

async function biggestCluster(client: AtlasClient) {
  let best = { groupId: '', clusterName: '', count: -1 };
  for await (const project of client.iterateProjects()) {
    for (const c of (await client.listClusters(project.id)).results) {
      const count =
        (await client.listSnapshots(project.id, c.name, { itemsPerPage: 1, includeCount: true }))
          .totalCount ?? 0;
      if (count > best.count) best = { groupId: project.id, clusterName: c.name, count };
    }
  }
  return best;
}

/**
 * The client's cost over bare undici for a snapshot GET (auth, versioned headers, retry wrapper,
 * zod validation), measured in alternating rounds against a simulator in another process.
 */
export async function benchClient() {
  const sim = await startSimProcess(['--large']);
  const client = new AtlasClient({
    baseUrl: sim.env.MONGODB_ATLAS_BASE_URL ?? '',
    credentials: {
      kind: 'serviceAccount',
      clientId: sim.env.MONGODB_ATLAS_CLIENT_ID ?? '',
      clientSecret: sim.env.MONGODB_ATLAS_CLIENT_SECRET ?? '',
    },
  });
  const bare = new Agent({ connections: 64, keepAliveTimeout: 10_000 });
  try {
    const target = await firstSnapshot(client);
    const url = `${client.baseUrl}/api/atlas/v2/groups/${target.groupId}/clusters/${target.clusterName}/backup/snapshots/${target.snapshotId}`;
    const tokenRes = await request(`${client.baseUrl}/api/oauth/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${sim.env.MONGODB_ATLAS_CLIENT_ID}:${sim.env.MONGODB_ATLAS_CLIENT_SECRET}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    const token = ((await tokenRes.body.json()) as { access_token: string }).access_token;
    const headers = { accept: mediaType('2023-01-01'), authorization: `Bearer ${token}` };

    const viaClient = () => client.getSnapshot(target.groupId, target.clusterName, target.snapshotId);
    const viaUndici = async () => {
      const res = await request(url, { headers, dispatcher: bare });
      await res.body.json();
    };

    for (let i = 0; i < 300; i += 1) {
      await viaClient();
      await viaUndici();
    }
    const clientSamples: number[] = [];
    const undiciSamples: number[] = [];
    for (let round = 0; round < 10; round += 1) {
      for (const [fn, samples] of [
        [viaClient, clientSamples],
        [viaUndici, undiciSamples],
      ] as const) {
        for (let i = 0; i < 200; i += 1) {
          const t = performance.now();
          await fn();
          samples.push(performance.now() - t);
        }
      }
    }
    const latencyClient = summarise(clientSamples);
    const latencyUndici = summarise(undiciSamples);

    const cpuMicros = { client: [] as number[], undici: [] as number[] };
    const throughput = async (fn: () => Promise<unknown>, total = 6000, concurrency = 32) => {
      let next = 0;
      const cpu = process.cpuUsage();
      const t = performance.now();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < total) {
            next += 1;
            await fn();
          }
        }),
      );
      const used = process.cpuUsage(cpu);
      (fn === viaClient ? cpuMicros.client : cpuMicros.undici).push((used.user + used.system) / total);
      return Math.round(total / ((performance.now() - t) / 1000));
    };
    // Alternating rounds, best of each, so warm-up and drift do not favour either side.
    const rpsUndiciRounds: number[] = [];
    const rpsClientRounds: number[] = [];
    for (let round = 0; round < 3; round += 1) {
      rpsUndiciRounds.push(await throughput(viaUndici));
      rpsClientRounds.push(await throughput(viaClient));
    }
    const rpsUndici = Math.max(...rpsUndiciRounds);
    const rpsClient = Math.max(...rpsClientRounds);

    const big = await biggestCluster(client);
    const gcBefore = process.memoryUsage().heapUsed;
    let peakHeap = gcBefore;
    const sampler = setInterval(() => {
      peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    }, 5);
    const t = performance.now();
    let streamed = 0;
    for await (const snap of client.iterateSnapshots(big.groupId, big.clusterName)) {
      if (snap.id) streamed += 1;
    }
    const streamMs = performance.now() - t;
    clearInterval(sampler);
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);

    return {
      snapshotGet: {
        client: latencyClient,
        bareUndici: latencyUndici,
        medianRatio: Math.round((latencyClient.medianMs / latencyUndici.medianMs) * 100) / 100,
        p99Ratio: Math.round((latencyClient.p99Ms / latencyUndici.p99Ms) * 100) / 100,
      },
      throughputAt32: {
        clientReqPerSec: rpsClient,
        bareUndiciReqPerSec: rpsUndici,
        ratio: Math.round((rpsUndici / rpsClient) * 100) / 100,
        // CPU the calling process spends per request: the client's own cost, free of the server.
        clientCpuMicrosPerRequest: Math.round(Math.min(...cpuMicros.client)),
        bareUndiciCpuMicrosPerRequest: Math.round(Math.min(...cpuMicros.undici)),
        cpuRatio: Math.round((Math.min(...cpuMicros.client) / Math.min(...cpuMicros.undici)) * 100) / 100,
      },
      stream: {
        snapshots: streamed,
        clusterTotal: big.count,
        ms: Math.round(streamMs),
        peakHeapGrowthMiB: Math.round(((peakHeap - gcBefore) / 1024 / 1024) * 10) / 10,
      },
    };
  } finally {
    await client.close();
    await bare.close();
    await sim.stop();
  }
}
