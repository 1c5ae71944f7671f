import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { waitFor, type FakeSlack } from './fake-slack.js';
import { botToken, signingSecret } from './harness.js';

const root = resolve(import.meta.dirname, '..', '..', '..');
/** The built bot, as `pnpm slackbot` runs it. */
export const builtBot = join(root, 'apps', 'slackbot', 'dist', 'main.js');

/** Builds the apps once when the built bot is missing (a focused run before `pnpm run build`). */
export function ensureBuilt(): void {
  if (existsSync(builtBot)) return;
  const built = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`build failed: ${built.stderr}`);
}

/**
 * The environment of a bot in HTTP mode against the fake Slack, on any free port, with no Atlas
 * credentials (so it runs on its embedded simulator) and nothing inherited but PATH and HOME.
 */
export function botEnv(slack: FakeSlack, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    SLACK_BOT_TOKEN: botToken,
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_API_URL: slack.apiUrl,
    PORT: '0',
    LOG_LEVEL: 'info',
    ...extra,
  };
}

/** `node apps/slackbot/dist/main.js` as a child process, its output kept line by line. */
export class BotProcess {
  readonly lines: string[] = [];
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;

  /** `script` and `cwd`: another copy of the built bot (e.g. a deployed dist), run where it lies. */
  constructor(env: Record<string, string>, options: { script?: string; cwd?: string } = {}) {
    this.child = spawn(process.execPath, [options.script ?? builtBot], {
      cwd: options.cwd ?? root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [this.child.stdout, this.child.stderr])
      if (stream) createInterface({ input: stream }).on('line', (line) => this.lines.push(line));
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  get output(): string {
    return this.lines.join('\n');
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The port a listener says it is on (`listening`, matched against each line), once it says so. */
  async port(listening: RegExp, what: string): Promise<string> {
    const line = await waitFor(
      () => this.lines.find((l) => listening.test(l)) ?? (!this.running && 'exited'),
      what,
      30_000,
    );
    const port = /port (\d+)/.exec(line)?.[1];
    if (!port) throw new Error(`the bot did not start:\n${this.output}`);
    return port;
  }

  /** The Slack request URL once the bot says it listens. */
  async url(): Promise<string> {
    const port = await this.port(/Listening for Slack on port \d+/, 'the bot to listen');
    return `http://127.0.0.1:${port}/slack/events`;
  }

  /** Sends a signal without waiting for the process to end (see `exited`). */
  signal(signal: NodeJS.Signals): void {
    if (this.running) this.child.kill(signal);
  }

  /** Asks the bot to stop (SIGTERM), as a service manager would; `SIGKILL` for one that hangs. */
  async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    this.signal(signal);
    await this.exited;
  }
}
