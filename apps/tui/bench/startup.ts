import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { median, round, timeFirstFrame } from './pty.js';

const here = dirname(fileURLToPath(import.meta.url));
const app = resolve(here, '..');
const tui = join(app, 'dist', 'main.js');
const hello = join(app, 'dist', 'bench-hello.js');

/**
 * Time from process start to the first full frame: the TUI (starting its embedded simulator and
 * listing projects) against a bare Ink "hello" program, both in a pseudo-terminal, runs
 * alternated, medians reported.
 */
export async function benchTuiStartup(runs = 9) {
  if (!existsSync(tui)) throw new Error('apps/tui/dist/main.js is missing: run pnpm run build first');
  await build({
    entryPoints: [join(here, 'hello.tsx')],
    outfile: hello,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    jsx: 'automatic',
    packages: 'external',
    logLevel: 'warning',
  });
  const node = process.execPath;
  const measure = async (env: Record<string, string>) => {
    // One unmeasured run of each warms the file cache.
    await timeFirstFrame(`${node} ${hello}`, 'Hello', ['Hello'], env);
    await timeFirstFrame(`${node} ${tui}`, 'SIMULATOR', ['Production', 'CLUSTERS'], env);
    const helloRuns: number[] = [];
    const firstFrames: number[] = [];
    const fullFrames: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      helloRuns.push((await timeFirstFrame(`${node} ${hello}`, 'Hello', ['Hello'], env)).fullMs);
      const t = await timeFirstFrame(`${node} ${tui}`, 'SIMULATOR', ['Production', 'CLUSTERS'], env);
      firstFrames.push(t.firstMs);
      fullFrames.push(t.fullMs);
    }
    const bare = median(helloRuns);
    return {
      bareInkHelloMs: round(bare),
      tuiFirstFrameMs: round(median(firstFrames)),
      tuiFullFrameMs: round(median(fullFrames)),
      ratioFullFrameToBareInk: round(median(fullFrames) / bare),
    };
  };
  return {
    runs,
    // The TUI always loads React's production build (src/production-env.js); the fair baseline
    // is a hello program doing the same. The development-build baseline is shown for reference.
    sameReactBuild: await measure({ NODE_ENV: 'production' }),
    helloWithDevelopmentReact: await measure({}),
    note: 'full frame = header plus the project list, read from the embedded simulator started at launch',
  };
}
