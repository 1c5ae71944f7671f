import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '@atlas-backups/atlas-sim';
import { AtlasClient, JsonlAuditLog, type AtlasClientOptions } from '@atlas-backups/core';
import { render } from 'ink-testing-library';
import { App } from '../../src/shell/app.js';
import type { Route } from '../../src/navigation/routes.js';
import { createServices, type AppServices } from '../../src/services/app-services.js';
import type { TuiPolicy } from '../../src/startup/policy.js';

/** The simulator's clock in these tests: after the serverless backup API's sunset. */
export const simNow = new Date('2026-11-27T12:00:00Z');

const keyCodes: Record<string, string> = {
  enter: '\r',
  escape: '\u001b',
  tab: '\t',
  'shift-tab': '\u001b[Z',
  up: '\u001b[A',
  down: '\u001b[B',
  right: '\u001b[C',
  left: '\u001b[D',
  backspace: '\u007f',
  home: '\u001b[H',
  end: '\u001b[F',
  'ctrl-d': '\u0004',
  pagedown: '\u001b[6~',
  pageup: '\u001b[5~',
  'ctrl-r': '\u0012',
};

export interface TuiHarness {
  sim: RunningSimulator;
  client: AtlasClient;
  services: AppServices;
  auditLog: JsonlAuditLog;
  frame(): string;
  /** Presses named keys (`enter`, `down`, …) or single characters, one at a time. */
  press(...keys: string[]): Promise<void>;
  /** Types text as one burst, as a paste or fast typing would arrive. */
  type(text: string): Promise<void>;
  /** Waits (bounded) until the frame contains the text or satisfies the predicate. */
  waitFor(expected: string | RegExp | ((frame: string) => boolean), what?: string): Promise<string>;
  /** Filters the current list and opens the first match: waits for the breadcrumbs to change. */
  open(text: string, then: string | RegExp): Promise<void>;
  /** Filters the current list and presses Enter on the first match, staying in the view. */
  select(text: string, then: string | RegExp): Promise<void>;
  /** Draws the app anew on the same simulator and services, showing these pages. */
  reopen(routes: Route[]): void;
  close(): Promise<void>;
}

export interface HarnessOptions {
  sim?: SimulatorOptions;
  readOnly?: boolean;
  refreshMs?: number;
  client?: Partial<AtlasClientOptions>;
  size?: { columns: number; rows: number };
  initialRoutes?: (sim: RunningSimulator) => Route[];
  /** Run the app's checks and elapsed times on the simulator's clock (restorable windows). */
  simClock?: boolean;
  /** The team's policy, as main.tsx opens it from the environment. */
  policy?: TuiPolicy;
}

/** The frame as running text: borders and runs of blanks become one space. */
export const flat = (frame: string) => frame.replace(/[│║]/g, ' ').replace(/\s+/g, ' ');

/** What the snapshot list shows once drawn (its sorted column) and loaded. */
export const snapshotsListed = ['CREATED▼', /\d+ items/];

/**
 * From the project list, opens `project`'s clusters and `cluster`'s snapshots, then waits for
 * `then` (each of them in turn).
 */
export async function openSnapshots(
  t: TuiHarness,
  project: string,
  cluster: string,
  then: string | RegExp | (string | RegExp)[] = /\d+ items/,
): Promise<void> {
  const [first = /\d+ items/, ...rest] = Array.isArray(then) ? then : [then];
  await t.waitFor(project, 'the project list');
  await t.open(project, '› clusters');
  await t.waitFor(cluster, 'the cluster list');
  await t.open(cluster, first);
  for (const next of rest) await t.waitFor(next);
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The real app over a real simulator (manual clock) and a real client. Backoff waits of the
 * client are skipped so a 429 storm runs in milliseconds.
 */
export async function startTui(options: HarnessOptions = {}): Promise<TuiHarness> {
  const sim = await startSimulator({ clock: 'manual', now: simNow, ...options.sim });
  const client = new AtlasClient({
    baseUrl: sim.url,
    credentials: {
      kind: 'serviceAccount',
      clientId: sim.credentials.clientId,
      clientSecret: sim.credentials.clientSecret,
    },
    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
    sleep: async () => undefined,
    ...options.client,
  });
  const dir = mkdtempSync(join(tmpdir(), 'atlas-tui-test-'));
  const auditLog = new JsonlAuditLog(join(dir, 'audit.jsonl'));
  const services = createServices({
    client,
    mode: 'simulator',
    banner: `SIMULATED Atlas at ${sim.url}`,
    readOnly: options.readOnly ?? false,
    audit: auditLog,
    auditPath: auditLog.path,
    refreshMs: options.refreshMs ?? 0,
    watch: { pollIntervalMs: 15, maxPollIntervalMs: 100 },
    actor: { id: 'local:tester', displayName: 'tester', source: 'tui' },
    ...(options.policy ? { policy: options.policy } : {}),
    ...(options.simClock ? { now: () => sim.clock.now() } : {}),
  });
  const now = options.simClock ? () => sim.clock.now() : undefined;
  const app = (routes: Route[] | undefined) => (
    <App
      services={services}
      size={options.size ?? { columns: 100, rows: 40 }}
      initialRoutes={routes}
      {...(now ? { now } : {})}
    />
  );
  let ui = render(app(options.initialRoutes?.(sim)));
  const frame = () => ui.lastFrame() ?? '';

  const waitFor: TuiHarness['waitFor'] = async (expected, what) => {
    const test =
      typeof expected === 'function'
        ? expected
        : typeof expected === 'string'
          ? (f: string) => f.includes(expected)
          : (f: string) => expected.test(f);
    const deadline = Date.now() + 8_000;
    for (;;) {
      const current = frame();
      if (test(current)) return current;
      if (Date.now() > deadline) {
        throw new Error(`Timed out waiting for ${what ?? String(expected)}. Last frame:\n${current}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };

  const press = async (...keys: string[]) => {
    for (const k of keys) {
      ui.stdin.write(keyCodes[k] ?? k);
      await tick();
    }
  };

  const filterAndEnter = async (text: string) => {
    await press('/');
    await waitFor('/▏', 'the filter prompt');
    ui.stdin.write(text);
    await waitFor(`/${text}▏`, `the filter /${text}`);
    await press('enter');
    await waitFor((f) => !f.includes(`/${text}▏`), 'the filter prompt to close');
    await press('enter');
  };

  return {
    sim,
    client,
    services,
    auditLog,
    frame,
    press,
    type: async (text) => {
      ui.stdin.write(text);
      await tick();
    },
    waitFor,
    async open(text, then) {
      const crumbs = frame().split('\n')[1];
      await filterAndEnter(text);
      await waitFor((f) => f.split('\n')[1] !== crumbs, `a new view after opening ${text}`);
      await waitFor(then);
    },
    async select(text, then) {
      await filterAndEnter(text);
      await waitFor(then);
    },
    reopen(routes) {
      ui.unmount();
      ui = render(app(routes));
    },
    async close() {
      ui.unmount();
      services.jobs.stopAll();
      await client.close();
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
