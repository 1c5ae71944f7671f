import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startSimulator, type RunningSimulator } from '@atlas-backups/atlas-sim';
import stringWidth from 'string-width';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The built TUI in a real terminal: tmux runs it with no Atlas credentials, the test types keys
 * with send-keys and reads the screen with capture-pane.
 */
const root = resolve(import.meta.dirname, '..', '..');
const main = join(root, 'apps', 'tui', 'dist', 'main.js');
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const session = 'tui';

/*
 * Each describe block gets a tmux server of its own: a server told to exit by one block's
 * kill-server may still hold its socket when the next block starts a session on it.
 */
let socket = '';
const useNewServer = (label: string) => {
  socket = `atlas-tui-e2e-${process.pid}-${label}`;
};

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
    useNewServer('browse');
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

const ensureBuilt = () => {
  if (existsSync(main)) return;
  const built = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`build failed: ${built.stderr}`);
};

/** A value quoted for sh. */
const shq = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`;

/** The pane's text; with `styled`, with its SGR sequences (inverse: `ESC[7m`). */
const paneScreen = (name: string, styled = false) =>
  tmux('capture-pane', '-p', ...(styled ? ['-e'] : []), '-t', name).stdout ?? '';
const paneFormat = (name: string, format: string) =>
  (tmux('display-message', '-p', '-t', name, format).stdout ?? '').trim();

async function waitForPane(name: string, check: (text: string) => boolean, what: string, styled = false) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const text = paneScreen(name, styled);
    if (check(text)) return text;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}. Screen:\n${text}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Runs the built TUI under sh in a new tmux session, with only the given environment. Afterwards
 * sh prints the exit code and whether the terminal is back in cooked mode (icanon, echo), and
 * waits there to be read.
 */
function startTuiPane(name: string, dir: string, extraEnv: Record<string, string> = {}) {
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dir,
    TERM: 'xterm-256color',
    LANG: 'C.UTF-8',
    ATLAS_TUI_AUDIT_LOG: join(dir, `${name}-audit.jsonl`),
    ...extraEnv,
  };
  const assignments = Object.entries(env).map(([k, v]) => shq(`${k}=${v}`));
  const script = [
    `printf 'BEFORE-TUI\\n'`,
    `env -i ${assignments.join(' ')} ${shq(process.execPath)} ${shq(main)}`,
    `code=$?`,
    `printf 'EXIT=%s TTY=%s\\n' "$code" "$(stty -a | tr ' ;' '\\n\\n' | grep -xE -- '-?(icanon|echo)' | tr '\\n' ' ')"`,
    // Kept alive, so the pane is read as the TUI left it (a dead pane hides its cursor).
    'exec sleep 600',
  ].join('; ');
  const started = tmux('new-session', '-d', '-s', name, '-x', '110', '-y', '40', 'sh', '-c', script);
  expect(started.status, started.stderr).toBe(0);
}

/** The TUI's own process: sh's child (env replaces itself with node). */
function tuiPid(name: string): number {
  const sh = paneFormat(name, '#{pane_pid}');
  const children = readFileSync(`/proc/${sh}/task/${sh}/children`, 'utf8').trim().split(/\s+/);
  const pid = Number(children[0]);
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`no TUI process under sh ${sh}`);
  return pid;
}

describe.skipIf(!hasTmux)('every way out leaves the terminal usable (tmux)', () => {
  let dir: string;
  beforeAll(() => {
    useNewServer('exit');
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'atlas-tui-exit-'));
  });
  afterAll(() => {
    tmux('kill-server');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const cases: {
    way: string;
    fault?: string;
    code: number;
    crash: boolean;
    leave(name: string): void;
  }[] = [
    { way: 'q', code: 0, crash: false, leave: (n) => tmux('send-keys', '-t', n, 'q') },
    { way: 'Ctrl-C', code: 0, crash: false, leave: (n) => tmux('send-keys', '-t', n, 'C-c') },
    { way: 'SIGTERM', code: 143, crash: false, leave: (n) => process.kill(tuiPid(n), 'SIGTERM') },
    { way: 'SIGHUP', code: 129, crash: false, leave: (n) => process.kill(tuiPid(n), 'SIGHUP') },
    {
      way: 'a render error',
      fault: 'render',
      code: 1,
      crash: true,
      leave: (n) => tmux('send-keys', '-t', n, '!'),
    },
    {
      way: 'an uncaught exception',
      fault: 'exception',
      code: 1,
      crash: true,
      leave: (n) => tmux('send-keys', '-t', n, '!'),
    },
    {
      way: 'an unhandled rejection',
      fault: 'rejection',
      code: 1,
      crash: true,
      leave: (n) => tmux('send-keys', '-t', n, '!'),
    },
  ];

  it('refuses the crash-test fault with Atlas credentials: it exists only on the simulator', () => {
    const run = spawnSync(process.execPath, [main], {
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        HOME: dir,
        MONGODB_ATLAS_CLIENT_ID: 'mdb_sa_id_0123456789abcdef01234567',
        MONGODB_ATLAS_CLIENT_SECRET: 'mdb_sa_sk_not-a-real-secret',
        ATLAS_TUI_TEST_FAULT: 'render',
      },
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('ATLAS_TUI_TEST_FAULT is for tests on the built-in simulator');
  });

  for (const [i, c] of cases.entries())
    it(`${c.way}: main screen back, cursor shown, cooked mode, exit code ${c.code}`, async () => {
      const name = `exit-${i}`;
      startTuiPane(name, dir, c.fault ? { ATLAS_TUI_TEST_FAULT: c.fault } : {});
      await waitForPane(name, (s) => s.includes('SIMULATOR') && s.includes('Production'), 'the project list');
      expect(paneFormat(name, '#{alternate_on}')).toBe('1');

      c.leave(name);
      const after = await waitForPane(name, (s) => /EXIT=\d+/.test(s), 'the TUI to end');
      expect(after).toContain(`EXIT=${c.code} `);
      expect(after).toMatch(/TTY=icanon echo\s*$/m);
      expect(paneFormat(name, '#{alternate_on}')).toBe('0');
      expect(paneFormat(name, '#{cursor_flag}')).toBe('1');
      // The main screen as it was, with none of the TUI's frame on it.
      expect(after).toContain('BEFORE-TUI');
      expect(after).not.toContain('SIMULATOR');
      if (c.crash) {
        expect(after).toContain('atlas-backups: the terminal UI stopped on an unexpected error');
        expect(after).toContain(`test fault (ATLAS_TUI_TEST_FAULT=${c.fault})`);
      }
    });
});

describe.skipIf(!hasTmux)('Atlas data and typed text in a real terminal (tmux)', () => {
  let dir: string;
  let sim: RunningSimulator;
  const name = 'text';
  const hostile = '\u001b]0;PWNED-TITLE\u0007\u001b]52;c;cHduZWQ=\u0007\u001b[31mRED\u001b[0m';

  beforeAll(async () => {
    useNewServer('text');
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'atlas-tui-text-'));
    // A still clock: no scheduled snapshot arrives ahead of the one given a description.
    sim = await startSimulator({ port: 0, host: '127.0.0.1', clock: 'manual' });
    // The production project gets the escape sequences; the others Korean, and Chinese with an accent.
    const others = ['분석 프로젝트', '中文 cafe\u0301'];
    for (const { id } of sim.seed.projects) {
      const project = sim.store.getProject(id);
      if (project) project.name = id === sim.seed.projectId ? `Prod ${hostile}` : (others.shift() ?? id);
    }
    const [snapshot] = sim.store.listSnapshots(sim.seed.projectId, 'orders-prod');
    if (snapshot) snapshot.description = `desc ${hostile} end`;
    // A server whose configuration (read before any pane runs) keeps OSC 52 writes as paste buffers.
    const conf = join(dir, 'tmux.conf');
    writeFileSync(conf, 'set-option -s set-clipboard on\n');
    const holder = tmux('-f', conf, 'new-session', '-d', '-s', 'holder', 'sleep', '600');
    expect(holder.status, holder.stderr).toBe(0);
    startTuiPane(name, dir, {
      MONGODB_ATLAS_BASE_URL: sim.url,
      MONGODB_ATLAS_CLIENT_ID: sim.credentials.clientId,
      MONGODB_ATLAS_CLIENT_SECRET: sim.credentials.clientSecret,
    });
  });
  afterAll(async () => {
    tmux('kill-server');
    await sim?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const send = (...k: string[]) => tmux('send-keys', '-t', name, ...k);
  const filterAndOpen = async (text: string) => {
    send('/');
    await waitForPane(name, (s) => s.includes('/▏'), 'the filter prompt');
    send('-l', text);
    await waitForPane(name, (s) => s.includes(`/${text}▏`), `the filter /${text}`);
    send('Enter');
    await waitForPane(name, (s) => s.includes(`filter /${text} (esc clears)`), 'the filter to be kept');
    send('Enter');
  };

  it('shows escape sequences in Atlas data instead of obeying them, and lines wide text up by cells', async () => {
    const title = paneFormat(name, '#{pane_title}');
    const list = await waitForPane(name, (s) => s.includes('PRODUCTION'), 'the project list');
    // The window title is as it was, nothing reached the clipboard, and the sequences show.
    expect(paneFormat(name, '#{pane_title}')).toBe(title);
    expect(tmux('list-buffers').stdout ?? '').toBe('');
    expect(list).toContain('Prod ␛]0;PWNED-TITLE␇');
    expect(list).toContain('中文 cafe\u0301');
    const rows = list.split('\n');
    const ids = sim.seed.projects.map((p) => p.id);
    const idCells = ids.map((id) => {
      const row = rows.find((r) => r.includes(id)) ?? '';
      return stringWidth(row.slice(0, row.indexOf(id)));
    });
    expect(new Set(idCells).size).toBe(1);

    await filterAndOpen('Prod');
    await waitForPane(name, (s) => s.includes('orders-prod'), 'the clusters');
    await filterAndOpen('orders-prod');
    const snapshots = await waitForPane(
      name,
      (s) => s.includes('description desc ␛]0;PWNED-TITLE␇'),
      'the details',
    );
    expect(snapshots).toContain('␛[31mRED␛[0m end');
    // The window title is as it was, and nothing reached the clipboard.
    expect(paneFormat(name, '#{pane_title}')).toBe(title);
    expect(paneFormat(name, '#{pane_title}')).not.toContain('PWNED');
    expect(tmux('list-buffers').stdout ?? '').toBe('');
  });

  it('types Korean, Chinese, emoji and combining marks into a form and edits them in the middle', async () => {
    send('n');
    await waitForPane(name, (s) => s.includes('Take an on-demand snapshot of orders-prod'), 'the form');
    send('-l', '한국어');
    await waitForPane(name, (s) => s.includes('한국어▏'), 'typed Korean');
    send('-l', ' 中文 cafe\u0301 🚀');
    await waitForPane(name, (s) => s.includes('한국어 中文 cafe\u0301 🚀▏'), 'the pasted text');
    send('BSpace', 'Left');
    await waitForPane(name, (s) => s.includes('cafe\u0301▏ '), 'the cursor after the accented e');
    send('BSpace');
    await waitForPane(name, (s) => s.includes('caf▏ '), 'the e and its accent gone together');
    send('-l', 'é!');
    await waitForPane(name, (s) => s.includes('café!▏ '), 'text inserted in the middle');
    send('Enter');
    await waitForPane(name, (s) => s.includes('[SAFE]'), 'the summary');
    // One key at a time: keys read in one chunk are one event to Ink.
    send('Tab');
    // Inverse (SGR 7), maybe with a colour after it, marks the focused button.
    // eslint-disable-next-line no-control-regex
    const focused = /\u001b\[7m(\u001b\[[\d;]*m)* Confirm /;
    await waitForPane(name, (s) => focused.test(s), 'Confirm focused', true);
    send('Enter');
    await waitForPane(name, (s) => /queued on orders-prod/.test(s), 'the snapshot to be taken');
    const taken = sim.store
      .listSnapshots(sim.seed.projectId, 'orders-prod')
      .find((s) => s.description?.startsWith('한국어'));
    expect(taken?.description?.startsWith('한국어 中文 café! ')).toBe(true);
  });
});
