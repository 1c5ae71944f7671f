import { CliError, HELP, parseCli } from './cli-args.js';
import { describeRateLimit, describeSeed, exportLines } from './cli-output.js';
import { startSimulator } from './simulator.js';

async function main(): Promise<void> {
  let command;
  try {
    command = parseCli(process.argv.slice(2), process.env);
  } catch (err) {
    if (!(err instanceof CliError)) throw err;
    process.stderr.write(`atlas-sim: ${err.message}\nRun with --help for usage.\n`);
    process.exitCode = 2;
    return;
  }
  if (command.help) {
    process.stdout.write(HELP);
    return;
  }
  const { options } = command;
  const sim = await startSimulator(options);
  // Export lines first, then only `# ` comments, so the whole output can be sourced.
  const lines = [
    ...exportLines(sim.url, sim.credentials),
    `# Atlas Administration API v2 simulator listening on ${sim.url} (simulated data, not MongoDB Atlas)`,
    `# clock: ${sim.clock.date().toISOString()} at speed ${sim.clock.speed}x; faults: ${options.faults ?? 'none'}`,
    `# rate limiting: ${describeRateLimit(sim)}`,
    ...describeSeed(sim.seed).map((line) => `# ${line}`),
    '# Ctrl-C stops the simulator.',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`atlas-sim: ${signal}, shutting down\n`);
    sim.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`atlas-sim: error while closing: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  const code = (err as { code?: string }).code;
  const message =
    code === 'EADDRINUSE'
      ? 'the port is already in use (try --port 0)'
      : err instanceof Error
        ? err.message
        : String(err);
  process.stderr.write(`atlas-sim: ${message}\n`);
  process.exit(1);
});
