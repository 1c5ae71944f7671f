import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { openPostgres } from '@atlas-backups/core';
import { Agent } from 'undici';
import { startSimProcess } from '../../../packages/core/bench/sim-process.js';
import { summarise } from '../../../packages/core/bench/stats.js';
import { FakeSlack } from '../../../test/support/slack/fake-slack.js';
import { signRequest } from '../../../test/support/slack/sign.js';
import { commandBodies } from './ack-latency.js';
import type { ServersMessage } from './ack-servers.js';
import {
  askChild,
  benchBotToken,
  benchSigningSecret,
  childMessage,
  forkBenchServer,
} from './child-message.js';
import { signedBurst } from './signed-burst.js';

/**
 * Ack latency for `concurrency` signed slash commands at once, all to one bot process beside
 * the same burst split across two, every bot on one PostgreSQL database (a schema of its own,
 * dropped after). Skipped, saying why, when PostgreSQL cannot be reached.
 */
export async function benchReplicaAckLatency(options: { concurrency?: number; rounds?: number } = {}) {
  const concurrency = options.concurrency ?? 200;
  const rounds = options.rounds ?? 6;
  const url = process.env.ATLAS_BENCH_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
  const schema = `bench_ack_${randomBytes(4).toString('hex')}`;
  let admin;
  try {
    admin = await openPostgres(url, { schema, connectTimeoutMs: 3_000 });
  } catch (error) {
    return { skipped: `PostgreSQL unreachable: ${error instanceof Error ? error.message : String(error)}` };
  }
  const slack = await FakeSlack.start({ botToken: benchBotToken });
  const sim = await startSimProcess();
  const children: ChildProcess[] = [];
  const agent = new Agent({ connections: concurrency });
  try {
    const start = async () => {
      const child = forkBenchServer(new URL('./ack-servers.ts', import.meta.url), slack.apiUrl, {
        ...sim.env,
        BENCH_DATABASE_URL: `${url}?options=${encodeURIComponent(`-c search_path=${schema}`)}`,
      });
      children.push(child);
      const ready = await childMessage<ServersMessage, 'ready'>(child, 'ready');
      return { child, url: ready.ours, projectId: ready.projectId };
    };
    const replicas = [await start(), await start()];
    const idle = async () => {
      await Promise.all(replicas.map(({ child }) => askChild<ServersMessage, 'idle'>(child, 'idle')));
    };
    const text = `snapshots orders-prod --project ${replicas[0]?.projectId ?? ''} --limit 5`;
    const burst = () =>
      commandBodies(concurrency, text, () => slack.newResponseUrl()).map((b) =>
        signRequest(benchSigningSecret, b),
      );
    const samples = { oneReplica: [] as number[], twoReplicas: [] as number[] };
    for (let round = 0; round <= rounds; round += 1) {
      const one = await signedBurst(replicas[0]?.url ?? '', burst(), agent);
      await idle();
      const signed = burst();
      const half = Math.ceil(signed.length / 2);
      const two = (
        await Promise.all([
          signedBurst(replicas[0]?.url ?? '', signed.slice(0, half), agent),
          signedBurst(replicas[1]?.url ?? '', signed.slice(half), agent),
        ])
      ).flat();
      await idle();
      slack.reset();
      // The first round warms both up (connections, JIT) and is not counted.
      if (round > 0) {
        samples.oneReplica.push(...one);
        samples.twoReplicas.push(...two);
      }
    }
    return {
      concurrency,
      rounds,
      store: 'PostgreSQL (local), one schema shared by the replicas',
      oneReplica: summarise(samples.oneReplica),
      twoReplicas: summarise(samples.twoReplicas),
    };
  } finally {
    for (const child of children) {
      if (child.exitCode === null) {
        child.send({ type: 'stop' });
        await once(child, 'exit');
      }
    }
    await agent.close();
    await sim.stop();
    await slack.close();
    await admin.run(`DROP SCHEMA "${schema}" CASCADE`).catch(() => undefined);
    await admin.close();
  }
}
