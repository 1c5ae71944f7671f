// First, so React and Ink load their production builds (see production-env.js).
import '#production-env';
import { loadAtlasConnection, type AtlasConnection } from '@atlas-backups/core';
import { openAtlas, type AtlasRuntime } from '@atlas-backups/runtime';
import { render } from 'ink';
import { Boot } from './boot.js';
import { parseArgs, readTuiEnv, usage, UsageError } from './cli-args.js';
import { describeError } from './format.js';
import { defaultAuditPath } from './services.js';

const enterAltScreen = '\u001b[?1049h\u001b[H';
const leaveAltScreen = '\u001b[?1049l';

function fail(message: string, code = 2): never {
  process.stderr.write(`atlas-backups: ${message}\n`);
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
  try {
    env = readTuiEnv();
    connection = loadAtlasConnection();
  } catch (error) {
    fail(describeError(error).text);
  }
  if (!process.stdin.isTTY) fail('the terminal UI needs an interactive terminal (stdin is not a TTY)');

  // A terminal that goes away (closed window, dropped SSH) ends the program quietly.
  process.stdout.on('error', () => process.exit(0));

  const fullscreen = process.stdout.isTTY === true;
  if (fullscreen) process.stdout.write(enterAltScreen);

  let runtime: AtlasRuntime | undefined;
  const opening = openAtlas({ simulator: { speed: cli.simSpeed ?? 60 } });
  opening.then(
    (r) => {
      runtime = r;
    },
    () => undefined, // Boot shows the failure
  );
  let quitting = false;
  const quit = () => {
    if (quitting) return;
    quitting = true;
    instance.unmount();
    void (async () => {
      await runtime?.close().catch(() => undefined);
      if (fullscreen) process.stdout.write(leaveAltScreen);
      process.exit(0);
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
      onQuit={quit}
    />,
    // 120 fps caps the render throttle at about 8 ms, so a key press is drawn within a frame.
    { exitOnCtrlC: false, patchConsole: true, maxFps: 120 },
  );
  process.on('SIGTERM', quit);
  process.on('SIGHUP', quit);
}

start();
