import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { openPostgres } from '@atlas-backups/core';
import { Agent } from 'undici';
import { FakeSlack } from '../../../test/support/slack/fake-slack.js';
import { signRequest } from '../../../test/support/slack/sign.js';
import { commandBodies, startSimProcess, summarise } from './ack-latency.js';
import type { ServersReady } from './ack-servers.js';
import { childMessage } from './child-message.js';
import { signedBurst } from './signed-burst.js';

type ServersMessage = ServersReady | { type: 'idle' };

const signingSecret = 'bench-signing-secret';
const botToken = 'xoxb-bench';

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
  const slack = await FakeSlack.start({ botToken });
  const sim = await startSimProcess([]);
  const children: ChildProcess[] = [];
  const agent = new Agent({ connections: concurrency });
  try {
    const start = async () => {
      const child = fork(fileURLToPath(new URL('./ack-servers.ts', import.meta.url)), [], {
        execArgv: ['--conditions=source', '--import', 'tsx'],
        env: {
          ...process.env,
          ...sim.env,
          BENCH_SIGNING_SECRET: signingSecret,
          BENCH_BOT_TOKEN: botToken,
          BENCH_SLACK_API_URL: slack.apiUrl,
          BENCH_DATABASE_URL: `${url}?options=${encodeURIComponent(`-c search_path=${schema}`)}`,
        },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      children.push(child);
      return { child, url: (await childMessage<ServersMessage, 'ready'>(child, 'ready')).ours };
    };
    const replicas = [await start(), await start()];
    const idle = async () => {
      await Promise.all(
        replicas.map(({ child }) => {
          const done = childMessage<ServersMessage, 'idle'>(child, 'idle');
          child.send({ type: 'idle' });
          return done;
        }),
      );
    };
    const text = `snapshots orders-prod --project ${sim.env.MONGODB_ATLAS_PROJECT_ID} --limit 5`;
    const burst = () =>
      commandBodies(concurrency, text, () => slack.newResponseUrl()).map((b) =>
        signRequest(signingSecret, b),
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
