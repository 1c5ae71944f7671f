// First, so React and Ink load their production builds (see production-env.js).
import '#production-env';
import { writeSync } from 'node:fs';
import { loadAtlasConnection, terminalSafe, type AtlasConnection } from '@atlas-backups/core';
import { openAtlas, type AtlasRuntime } from '@atlas-backups/runtime';
import { render } from 'ink';
import { Boot } from './startup/boot.js';
import { parseArgs, readTuiEnv, usage, UsageError } from './startup/cli-args.js';
import { openTuiPolicy, type TuiPolicy } from './startup/policy.js';
import { describeError } from './terminal/format.js';
import { defaultAuditPath } from './services/app-services.js';
import { takeOverTerminal } from './terminal/terminal-session.js';

function fail(message: string, code = 2): never {
  // Messages may quote a setting's value: shown, never obeyed.
  process.stderr.write(`atlas-backups: ${terminalSafe(message, { keepLineFeeds: true })}\n`);
  process.exit(code);
}

function start(): void {
  let cli;
  try {
    cli = parseArgs(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) fail(`${error.message}\n\n${usage}`);
    throw error;
  }
  if (cli.help) {
    process.stdout.write(`${usage}\n`);
    return;
  }

  let env: ReturnType<typeof readTuiEnv>;
  let connection: AtlasConnection;
  let policy: TuiPolicy;
  try {
    env = readTuiEnv();
    policy = openTuiPolicy();
    connection = loadAtlasConnection();
  } catch (error) {
    fail(describeError(error).text);
  }
  if (env.ATLAS_TUI_TEST_FAULT !== undefined && connection.mode !== 'simulator')
    fail('ATLAS_TUI_TEST_FAULT is for tests on the built-in simulator: unset it to use Atlas');
  if (!process.stdin.isTTY) fail('the terminal UI needs an interactive terminal (stdin is not a TTY)');

  // A terminal that goes away (closed window, dropped SSH) ends the program quietly.
  process.stdout.on('error', () => process.exit(0));

  const terminal = takeOverTerminal();

  let runtime: AtlasRuntime | undefined;
  const opening = openAtlas({ simulator: { speed: cli.simSpeed ?? 60 } });
  opening.then(
    (r) => {
      runtime = r;
    },
    () => undefined, // Boot shows the failure
  );

  // Every way out ends here, and each leaves the terminal as it was found: a quit (q, Ctrl-C,
  // :quit) and a signal close Atlas first; a crash does not wait for anything.
  let ending = false;
  const end = (code: number, crash?: { error: unknown }) => {
    if (ending && !crash) return;
    const first = !ending;
    ending = true;
    if (first) {
      try {
        instance.unmount();
      } catch {
        // A broken tree may not unmount; the terminal is restored all the same.
      }
    }
    if (crash) {
      terminal.restore();
      writeSync(2, crashReport(crash.error));
      process.exit(code);
    }
    void (async () => {
      await runtime?.close().catch(() => undefined);
      terminal.restore();
      process.exit(code);
    })();
  };

  const instance = render(
    <Boot
      connection={connection}
      readOnly={cli.readOnly || env.ATLAS_TUI_READ_ONLY === true}
      projectId={cli.projectId}
      runtime={opening}
      auditPath={defaultAuditPath(env)}
      refreshMs={(env.ATLAS_TUI_REFRESH_SECONDS ?? 5) * 1000}
      policy={policy}
      onQuit={() => end(0)}
      testFault={env.ATLAS_TUI_TEST_FAULT}
    />,
    // 120 fps caps the render throttle at about 8 ms, so a key press is drawn within a frame.
    { exitOnCtrlC: false, patchConsole: true, maxFps: 120 },
  );
  // Ink ends on its own only when rendering failed (its error boundary caught it).
  instance.waitUntilExit().then(
    () => end(0),
    (error: unknown) => end(1, { error }),
  );
  process.on('SIGTERM', () => end(128 + 15));
  process.on('SIGHUP', () => end(128 + 1));
  process.on('SIGINT', () => end(128 + 2));
  process.on('uncaughtException', (error) => end(1, { error }));
  process.on('unhandledRejection', (error) => end(1, { error }));
}

/** What a crash prints once the screen is back: what failed and where, for a bug report. */
function crashReport(error: unknown): string {
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return `atlas-backups: the terminal UI stopped on an unexpected error (a bug: please report it with what follows)\n${terminalSafe(detail, { keepLineFeeds: true })}\n`;
}

start();
