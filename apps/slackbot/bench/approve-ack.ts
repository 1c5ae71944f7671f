import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Agent } from 'undici';
import { startSimProcess } from '../../../packages/core/bench/sim-process.js';
import { percentile, summarise } from '../../../packages/core/bench/stats.js';
import { FakeSlack } from '../../../test/support/slack/fake-slack.js';
import { interactionBody, signRequest } from '../../../test/support/slack/sign.js';
import type { ServerMessage } from './approve-ack-server.js';
import {
  askChild,
  benchBotToken,
  benchSigningSecret,
  childMessage,
  forkBenchServer,
} from './child-message.js';
import { signedBurst } from './signed-burst.js';

const reply = <T extends ServerMessage['type']>(child: ChildProcess, type: T) =>
  childMessage<ServerMessage, T>(child, type);

let seq = 0;
/** A signed Approve click on a request's message, as Slack posts it. */
function approveClick(requestId: string, user: string, responseUrl: string) {
  seq += 1;
  const body = interactionBody({
    type: 'block_actions',
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: 'T0000001' },
    api_app_id: 'A0000001',
    token: 'x',
    container: { type: 'message', message_ts: '1700000000.000001', channel_id: 'C0BENCH001' },
    trigger_id: `${seq}.approve.trigger`,
    team: { id: 'T0000001', domain: 'bench' },
    channel: { id: 'C0BENCH001', name: 'bench' },
    response_url: responseUrl,
    actions: [
      {
        type: 'button',
        action_id: 'atlas_approval_approve',
        block_id: 'atlas_approval',
        value: requestId,
        text: { type: 'plain_text', text: 'Approve' },
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  });
  return signRequest(benchSigningSecret, body);
}

export interface ApproveAckOptions {
  /** Clicks per burst (default 50). */
  concurrency?: number;
  /** Measured bursts per scenario, after one warm-up burst each (default 8). */
  rounds?: number;
  /** Stop starting new bursts after this long (default 120 s). */
  maxMs?: number;
}

/**
 * Time from an Approve click to Slack's HTTP 200, over loopback, against the real bot in HTTP
 * mode (createSlackBot with the approval stack main wires, in its own process; the simulator
 * in another). Two scenarios, in bursts of signed `block_actions` payloads sent at once:
 * each click approving a different request (every one decides and starts a download restore
 * job after the ack), and fifty people approving the same request (one wins, the rest are
 * refused). The bot acknowledges before it asks the engine anything, so neither the decision
 * nor Atlas should show here. Also checks that each request ran exactly once.
 */
export async function benchApproveClickAck(options: ApproveAckOptions = {}) {
  const concurrency = options.concurrency ?? 50;
  const rounds = options.rounds ?? 8;
  const maxMs = options.maxMs ?? 120_000;
  const started = performance.now();
  const slack = await FakeSlack.start({ botToken: benchBotToken });
  const sim = await startSimProcess();
  const dir = mkdtempSync(join(tmpdir(), 'bench-approve-'));
  const child = forkBenchServer(new URL('./approve-ack-server.ts', import.meta.url), slack.apiUrl, {
    ...sim.env,
    BENCH_DB_PATH: join(dir, 'bot.sqlite'),
  });
  const agent = new Agent({ connections: concurrency });
  const samples = { distinct: [] as number[], sameRequest: [] as number[] };
  const roundP99 = { distinct: [] as number[], sameRequest: [] as number[] };
  let opened = 0;
  try {
    const ready = await reply(child, 'ready');
    const idle = () => askChild<ServerMessage, 'idle'>(child, 'idle');
    const open = async (count: number) => {
      const ids = reply(child, 'opened');
      child.send({ type: 'open', count });
      opened += count;
      return (await ids).ids;
    };
    const baseline = await idle();

    for (let round = 0; round <= rounds; round += 1) {
      if (performance.now() - started > maxMs) break;
      // Each click approves its own request.
      const ids = await open(concurrency);
      const distinct = await signedBurst(
        ready.url,
        ids.map((id, i) => approveClick(id, `U0APPR${String(i).padStart(4, '0')}`, slack.newResponseUrl())),
        agent,
      );
      await idle();
      // Fifty people approve one request.
      const [one] = await open(1);
      const same = await signedBurst(
        ready.url,
        Array.from({ length: concurrency }, (_, i) =>
          approveClick(one as string, `U0PEER${String(i).padStart(4, '0')}`, slack.newResponseUrl()),
        ),
        agent,
      );
      await idle();
      slack.reset();
      if (round === 0) continue; // warm-up
      samples.distinct.push(...distinct);
      samples.sameRequest.push(...same);
      roundP99.distinct.push(
        percentile(
          [...distinct].sort((a, b) => a - b),
          99,
        ),
      );
      roundP99.sameRequest.push(
        percentile(
          [...same].sort((a, b) => a - b),
          99,
        ),
      );
    }
    const final = await idle();
    const typical = (xs: number[]) =>
      Math.round(
        percentile(
          [...xs].sort((a, b) => a - b),
          50,
        ) * 1000,
      ) / 1000;
    return {
      concurrency,
      rounds: roundP99.distinct.length,
      eachClickItsOwnRequest: {
        ...summarise(samples.distinct),
        roundP99MedianMs: typical(roundP99.distinct),
      },
      fiftyClicksOneRequest: {
        ...summarise(samples.sameRequest),
        roundP99MedianMs: typical(roundP99.sameRequest),
      },
      requestsOpened: opened,
      requestsExecuted: final.executed - baseline.executed,
      restoreJobsCreated: final.restoreJobsCreated - baseline.restoreJobsCreated,
      target: 'p99 click-to-ack well under Slack’s 3 s; executed = restore jobs = requests opened',
    };
  } finally {
    if (child.exitCode === null) {
      child.send({ type: 'stop' });
      await once(child, 'exit');
    }
    await agent.close();
    await sim.stop();
    await slack.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
