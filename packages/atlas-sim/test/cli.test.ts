import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CliError, DEFAULT_CLI_PORT, parseCli } from '../src/cli-args.js';
import { exportLines } from '../src/cli-output.js';
import { DEFAULT_CREDENTIALS } from '../src/index.js';

describe('CLI flags', () => {
  it('uses documented defaults and environment fallbacks', () => {
    const plain = parseCli([], {});
    expect(plain).toEqual({ help: false, options: { port: DEFAULT_CLI_PORT } });
    const env = parseCli([], {
      ATLAS_SIM_PORT: '0',
      ATLAS_SIM_SEED: '9',
      ATLAS_SIM_SPEED: '60',
      ATLAS_SIM_LARGE: '1',
      ATLAS_SIM_FAULTS: '429:0.1',
    });
    expect(env).toEqual({
      help: false,
      options: { port: 0, seed: 9, speed: 60, large: true, faults: '429:0.1' },
    });
    const flags = parseCli(
      ['--port', '0', '--seed=3', '--now', '2025-01-01T00:00:00Z', '--public-key', 'abcdefgh'],
      { ATLAS_SIM_SEED: '9' },
    );
    expect(flags).toEqual({
      help: false,
      options: {
        port: 0,
        seed: 3,
        now: new Date('2025-01-01T00:00:00Z'),
        credentials: { publicKey: 'abcdefgh' },
      },
    });
    expect(parseCli(['-h'], {})).toEqual({ help: true });
    expect(parseCli(['--rate-limit', 'on'], {})).toEqual({
      help: false,
      options: { port: DEFAULT_CLI_PORT, rateLimit: {} },
    });
    expect(parseCli([], { ATLAS_SIM_RATE_LIMIT: '10:5/60s' })).toEqual({
      help: false,
      options: {
        port: DEFAULT_CLI_PORT,
        rateLimit: { capacity: 10, refillRate: 5, refillDurationSeconds: 60 },
      },
    });
    expect(parseCli(['--rate-limit', 'off'], { ATLAS_SIM_RATE_LIMIT: 'on' })).toEqual({
      help: false,
      options: { port: DEFAULT_CLI_PORT },
    });
  });

  it('names the bad flag', () => {
    const cases: [string[], RegExp][] = [
      [['--port', '70000'], /--port/],
      [['--seed', 'x'], /--seed/],
      [['--speed', '0'], /--speed/],
      [['--now', 'soon'], /--now/],
      [['--faults', '429:7'], /--faults/],
      [['--rate-limit', 'lots'], /--rate-limit/],
      [['--bogus'], /bogus/],
    ];
    for (const [argv, message] of cases) expect(() => parseCli(argv, {}), argv.join(' ')).toThrow(message);
    expect(() => parseCli(['--port', 'x'], {})).toThrow(CliError);
  });

  it('prints export lines a shell can use as they are', () => {
    expect(exportLines('http://127.0.0.1:7700', DEFAULT_CREDENTIALS)).toEqual([
      'MONGODB_ATLAS_BASE_URL=http://127.0.0.1:7700',
      `MONGODB_ATLAS_CLIENT_ID=${DEFAULT_CREDENTIALS.clientId}`,
      `MONGODB_ATLAS_CLIENT_SECRET=${DEFAULT_CREDENTIALS.clientSecret}`,
      `MONGODB_ATLAS_PUBLIC_API_KEY=${DEFAULT_CREDENTIALS.publicKey}`,
      `MONGODB_ATLAS_PRIVATE_API_KEY=${DEFAULT_CREDENTIALS.privateKey}`,
    ]);
    expect(exportLines('http://x', { ...DEFAULT_CREDENTIALS, clientSecret: "it's" })[2]).toBe(
      `MONGODB_ATLAS_CLIENT_SECRET='it'\\''s'`,
    );
  });
});

describe('CLI process', () => {
  it('starts on a free port, prints sourceable output and stops on SIGTERM', async () => {
    const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
    const child = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', cli, '--port', '0', '--seed', '5'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.setEncoding('utf8');
    const ready = new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: string) => {
        out += chunk;
        if (out.includes('Ctrl-C')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`CLI exited early with ${code}`)));
    });
    await ready;
    const lines = out.trim().split('\n');
    expect(lines.slice(0, 5).map((l) => l.split('=')[0])).toEqual([
      'MONGODB_ATLAS_BASE_URL',
      'MONGODB_ATLAS_CLIENT_ID',
      'MONGODB_ATLAS_CLIENT_SECRET',
      'MONGODB_ATLAS_PUBLIC_API_KEY',
      'MONGODB_ATLAS_PRIVATE_API_KEY',
    ]);
    for (const line of lines.slice(5)) expect(line.startsWith('# ')).toBe(true);
    const url = lines[0]?.split('=')[1] ?? '';
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${url}/api/atlas/v2/groups`);
    expect(res.status).toBe(401);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
