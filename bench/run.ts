/**
 * `pnpm bench`: prints the project's speed and memory figures. Each entry imports a package's
 * bench function and prints what it returns; none of these are tests and none assert.
 */
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

interface Entry {
  title: string;
  file: string;
  fn: string;
  target: string;
}

const entries: Entry[] = [
  {
    title: 'Atlas client vs bare undici (snapshot GET, loopback)',
    file: 'packages/core/bench/client.ts',
    fn: 'benchClient',
    target: 'client overhead, validation included, at most 1.25x bare undici',
  },
  {
    title: 'Simulator throughput (snapshot GET, one core)',
    file: 'packages/atlas-sim/bench/throughput.ts',
    fn: 'benchSimulatorThroughput',
    target: 'at least 5,000 req/s',
  },
  {
    title: 'TUI start-up to first full frame vs bare Ink hello',
    file: 'apps/tui/bench/startup.ts',
    fn: 'benchTuiStartup',
    target: 'at most 1.5x bare Ink',
  },
  {
    title: 'TUI keypress to next frame, scrolling 10,000 snapshots',
    file: 'apps/tui/bench/scroll.ts',
    fn: 'benchScrollLatency',
    target: 'under 16 ms',
  },
  {
    title: 'Atlas request budget: idle TUI, job following, ten TUIs and the bot under Atlas-like limits',
    file: 'apps/tui/bench/budget.ts',
    fn: 'benchBudget',
    target: 'idle TUI ≤ 12 requests/min; 50 jobs ≤ 1.5x 5 jobs; 0 interactive 429s',
  },
  {
    title: 'Slack ack latency: 200 signed slash commands at once',
    file: 'apps/slackbot/bench/ack-latency.ts',
    fn: 'benchAckLatency',
    target: 'p99 at most 1.2x a bare Bolt app, also with Atlas answering after 2 s',
  },
  {
    title: 'Slack Approve click to ack: 50 signed clicks at once',
    file: 'apps/slackbot/bench/approve-ack.ts',
    fn: 'benchApproveClickAck',
    target: 'p99 well under Slack’s 3 s; every approved request runs exactly once',
  },
  {
    title: 'Approval decisions through the store',
    file: 'packages/core/bench/approvals.ts',
    fn: 'benchApprovalDecisions',
    target: 'report decisions/s and p99 Approve-click-to-ack',
  },
];

const only = process.argv.slice(2);
let failed = false;
for (const entry of entries) {
  if (only.length > 0 && !only.some((o) => entry.file.includes(o))) continue;
  console.log(`\n## ${entry.title}\n   target: ${entry.target}`);
  if (!existsSync(entry.file)) {
    console.log('   (not built yet)');
    continue;
  }
  try {
    const mod = (await import(pathToFileURL(entry.file).href)) as Record<string, unknown>;
    const fn = mod[entry.fn];
    if (typeof fn !== 'function') throw new Error(`${entry.file} does not export ${entry.fn}`);
    const figures: unknown = await (fn as () => Promise<unknown>)();
    for (const line of JSON.stringify(figures, null, 2).split('\n')) console.log(`   ${line}`);
  } catch (error) {
    failed = true;
    console.log(`   FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
}
process.exitCode = failed ? 1 : 0;
