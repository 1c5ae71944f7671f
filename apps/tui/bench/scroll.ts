// The built TUI always runs React's production build; measure the same React, not its dev checks.
import '#production-env';
import { startSimulator } from '@atlas-backups/atlas-sim';
import { median, percentile, round } from './pty.js';
import { openTui } from './tui.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Key press to next frame while scrolling the snapshots of a cluster with 10,000 of them: the
 * real app on the simulator's large data set, rendered by Ink as in the terminal (same options as
 * the TUI), keys spaced like key repeat (about 30 a second). Frames are counted where Ink
 * finishes each render.
 */
export async function benchScrollLatency(presses = 300) {
  const sim = await startSimulator({ clock: 'manual', large: true });
  const renders: number[] = [];
  const renderTimes: number[] = [];
  const tui = await openTui(sim, sim.seed.replicaSetName, {
    refreshMs: 0,
    render: {
      maxFps: 120,
      onRender: ({ renderTime }) => {
        renders.push(performance.now());
        renderTimes.push(renderTime);
      },
    },
  });
  const { stdout } = tui;
  try {
    const loadStarted = performance.now();
    const deadline = Date.now() + 60_000;
    while (!/10000 items/.test(stdout.last)) {
      if (Date.now() > deadline)
        throw new Error(`the 10,000 snapshots did not load: ${stdout.last.slice(-3000)}`);
      await sleep(20);
    }
    const loadMs = performance.now() - loadStarted;
    const latencies: number[] = [];
    const warmUp = 20;
    for (let i = 0; i < presses + warmUp; i += 1) {
      const before = renders.length;
      const pressed = performance.now();
      tui.press('\u001b[B');
      while (renders.length === before) await new Promise((resolve) => setImmediate(resolve));
      if (i >= warmUp) latencies.push((renders[before] ?? pressed) - pressed);
      await sleep(33);
    }
    // The first page (500 rows) is read at once, older pages as the selection nears them.
    const position = [...stdout.last.matchAll(/\((\d+)\/\d+\)/g)].at(-1)?.[1];
    // Every press moved the selection by one row: none was lost.
    const expectedRow = presses + warmUp + 1;
    const keyRenders = renderTimes.slice(-presses);
    return {
      snapshots: 10_000,
      presses,
      selectedRowAfter: Number(position),
      selectedRowExpected: expectedRow,
      warmUpPresses: warmUp,
      listLoadMs: round(loadMs),
      keyToFrameMs: {
        median: round(median(latencies)),
        p90: round(percentile(latencies, 90)),
        p99: round(percentile(latencies, 99)),
        max: round(Math.max(...latencies)),
      },
      inkRenderMs: { median: round(median(keyRenders)), p99: round(percentile(keyRenders, 99)) },
      note: 'only the rows that fit the terminal are drawn; Ink renders at up to 120 fps as in the TUI',
    };
  } finally {
    await tui.close();
    await sim.close();
  }
}
