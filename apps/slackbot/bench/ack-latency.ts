import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'undici';
import { startSimProcess } from '../../../packages/core/bench/sim-process.js';
import { percentile, summarise } from '../../../packages/core/bench/stats.js';
import { FakeSlack } from '../../../test/support/slack/fake-slack.js';
import { signRequest } from '../../../test/support/slack/sign.js';
import type { ServersMessage } from './ack-servers.js';
import {
  askChild,
  benchBotToken,
  benchSigningSecret,
  childMessage,
  forkBenchServer,
} from './child-message.js';
import { signedBurst } from './signed-burst.js';

let seq = 0;
export function commandBodies(count: number, text: string, responseUrl: () => string): string[] {
  return Array.from({ length: count }, () => {
    seq += 1;
    return new URLSearchParams({
      token: 'x',
      team_id: 'T0000001',
      channel_id: `C${String(seq % 7).padStart(8, '0')}`,
      user_id: 'U0BENCH01',
      user_name: 'bench',
      command: '/atlas',
      text,
      response_url: responseUrl(),
      trigger_id: `${seq}.bench.trigger`,
    }).toString();
  });
}

export interface AckLatencyOptions {
  /** Commands per burst (default 200). */
  concurrency?: number;
  /** Measured rounds per app and scenario, after one warm-up round each (default 10). */
  rounds?: number;
  /** How long the simulator holds each answer in the slow scenario (default 2,000 ms). */
  atlasDelayMs?: number;
}

/**
 * Time from sending to HTTP 200 for bursts of signed `/atlas snapshots …` commands over
 * loopback: the bot against a bare Bolt app that only acks, in alternating rounds, with Atlas
 * answering at once and with every Atlas answer held `atlasDelayMs`. Both apps share one
 * process (not the load generator's); the simulator and the fake Slack run elsewhere. The bot
 * acknowledges before it asks Atlas, so the delay should not show in its figures.
 */
export async function benchAckLatency(options: AckLatencyOptions = {}) {
  const concurrency = options.concurrency ?? 200;
  const rounds = options.rounds ?? 10;
  const delayMs = options.atlasDelayMs ?? 2_000;
  const slack = await FakeSlack.start({ botToken: benchBotToken });
  const dir = mkdtempSync(join(tmpdir(), 'bench-slackbot-'));
  const results: Record<string, unknown> = {};
  try {
    const scenarios = [
      { name: 'atlasImmediate', faults: [] as string[] },
      { name: `atlasDelayed${delayMs}ms`, faults: ['--faults', `slow:${delayMs}ms`] },
    ];
    for (const scenario of scenarios) {
      const sim = await startSimProcess(scenario.faults);
      const child = forkBenchServer(new URL('./ack-servers.ts', import.meta.url), slack.apiUrl, {
        ...sim.env,
        BENCH_DB_PATH: join(dir, `${scenario.name}.sqlite`),
      });
      const agents = {
        ours: new Agent({ connections: concurrency }),
        bare: new Agent({ connections: concurrency }),
      };
      const samples = { ours: [] as number[], bare: [] as number[] };
      const roundP99 = { ours: [] as number[], bare: [] as number[] };
      try {
        const ready = await childMessage<ServersMessage, 'ready'>(child, 'ready');
        const text = `snapshots orders-prod --project ${ready.projectId} --limit 5`;
        for (let round = 0; round <= rounds; round += 1) {
          // Alternate which goes first, so drift favours neither.
          const order = round % 2 === 0 ? (['ours', 'bare'] as const) : (['bare', 'ours'] as const);
          for (const which of order) {
            const bodies = commandBodies(concurrency, text, () => slack.newResponseUrl());
            const signed = bodies.map((b) => signRequest(benchSigningSecret, b));
            const times = await signedBurst(
              which === 'ours' ? ready.ours : ready.bare,
              signed,
              agents[which],
            );
            // Let the bot's follow-up work (Atlas, then response_url) end before the next burst.
            if (which === 'ours') await askChild<ServersMessage, 'idle'>(child, 'idle');
            if (round > 0) {
              samples[which].push(...times);
              roundP99[which].push(
                percentile(
                  [...times].sort((a, b) => a - b),
                  99,
                ),
              );
            }
          }
          slack.reset();
        }
      } finally {
        if (child.exitCode === null) {
          child.send({ type: 'stop' });
          await once(child, 'exit');
        }
        await sim.stop();
        await agents.ours.close();
        await agents.bare.close();
      }
      const o = summarise(samples.ours);
      const b = summarise(samples.bare);
      // One slow round (a collector pause, another process) moves the pooled p99 a lot; the
      // median of the rounds' p99s says what a typical burst sees.
      const typical = (xs: number[]) =>
        percentile(
          [...xs].sort((a, b) => a - b),
          50,
        );
      results[scenario.name] = {
        bot: { ...o, roundP99MedianMs: Math.round(typical(roundP99.ours) * 100) / 100 },
        bareBolt: { ...b, roundP99MedianMs: Math.round(typical(roundP99.bare) * 100) / 100 },
        p99Ratio: Math.round((o.p99Ms / b.p99Ms) * 100) / 100,
        roundP99Ratio: Math.round((typical(roundP99.ours) / typical(roundP99.bare)) * 100) / 100,
        medianRatio: Math.round((o.medianMs / b.medianMs) * 100) / 100,
        target: 'p99 ratio <= 1.2',
      };
    }
  } finally {
    await slack.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return { concurrency, rounds, ...results };
}
