import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The built TUI in a real terminal: tmux runs it with no Atlas credentials, the test types keys
 * with send-keys and reads the screen with capture-pane.
 */
const root = resolve(import.meta.dirname, '..', '..');
const main = join(root, 'apps', 'tui', 'dist', 'main.js');
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const socket = `atlas-tui-e2e-${process.pid}`;
const session = 'tui';

function tmux(...args: string[]) {
  return spawnSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
}

const screen = () => tmux('capture-pane', '-p', '-t', session).stdout ?? '';

async function waitForScreen(check: (text: string) => boolean, what: string, ms = 20_000): Promise<string> {
  const deadline = Date.now() + ms;
  for (;;) {
    const text = screen();
    if (check(text)) return text;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}. Screen:\n${text}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const keys = (...k: string[]) => tmux('send-keys', '-t', session, ...k);

/** Filters the list and opens the first match, one key at a time, as a person would. */
async function openByFilter(text: string) {
  keys('/');
  await waitForScreen((s) => s.includes('/▏'), 'the filter prompt');
  keys('-l', text);
  await waitForScreen((s) => s.includes(`/${text}▏`), `the filter /${text}`);
  keys('Enter');
  await waitForScreen((s) => s.includes(`filter /${text} (esc clears)`), 'the filter to be kept');
  keys('Enter');
}

if (!hasTmux)
  console.warn('tui-terminal: tmux is not installed; skipping (CI installs it: apt-get install tmux)');

describe.skipIf(!hasTmux)('the TUI in a real terminal (tmux)', () => {
  let dir: string;

  beforeAll(() => {
    if (!existsSync(main)) {
      const built = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
      if (built.status !== 0) throw new Error(`build failed: ${built.stderr}`);
    }
    dir = mkdtempSync(join(tmpdir(), 'atlas-tui-e2e-'));
    // A clean environment: no Atlas credentials (so the simulator starts) and no CI flag, which
    // would make Ink print only the final frame.
    const env = [
      `PATH=${process.env.PATH ?? '/usr/bin:/bin'}`,
      `HOME=${dir}`,
      'TERM=xterm-256color',
      'LANG=C.UTF-8',
      `ATLAS_TUI_AUDIT_LOG=${join(dir, 'audit.jsonl')}`,
    ];
    const started = tmux(
      'new-session',
      '-d',
      '-s',
      session,
      '-x',
      '120',
      '-y',
      '36',
      'env',
      '-i',
      ...env,
      process.execPath,
      main,
    );
    expect(started.status, started.stderr).toBe(0);
  });

  afterAll(() => {
    tmux('kill-server');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('starts on the simulator, browses to snapshots, shows help, and quits', async () => {
    const first = await waitForScreen(
      (s) => s.includes('SIMULATOR') && s.includes('Production'),
      'the project list',
    );
    expect(first).toMatch(/NAME.\s+ID\s+ENV\s+CLUSTERS/);
    expect(first).toContain('no credentials set');

    await openByFilter('Production');
    await waitForScreen(
      (s) => s.includes('Production [PRODUCTION] › clusters') && s.includes('[SERVERLESS]'),
      'the clusters',
    );

    await openByFilter('orders-prod');
    const snapshots = await waitForScreen(
      (s) => s.includes('orders-prod (replica set) › snapshots') && /\d+ items/.test(s),
      'the snapshots',
    );
    expect(snapshots).toMatch(/ID\s+TYPE\s+STATUS\s+CREATED.\s+EXPIRES\s+SIZE\s+DESCRIPTION/);
    expect(snapshots).toContain('SIMULATOR');

    keys('?');
    await waitForScreen((s) => s.includes('Keys — snapshots'), 'the help screen');
    keys('Escape');
    await waitForScreen((s) => /\d+ items/.test(s), 'the list again');

    // Resizing reflows the layout to the new width.
    tmux('resize-window', '-t', session, '-x', '90', '-y', '30');
    await waitForScreen(
      (s) => s.split('\n').every((line) => line.length <= 90) && /\d+ items/.test(s),
      'the narrower layout',
    );

    keys('q');
    const deadline = Date.now() + 10_000;
    while (tmux('has-session', '-t', session).status === 0) {
      if (Date.now() > deadline) throw new Error(`the TUI did not quit on q. Screen:\n${screen()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  });
});
