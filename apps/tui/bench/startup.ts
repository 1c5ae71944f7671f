import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { median, percentile, round, timeFirstFrame } from './pty.js';

const here = dirname(fileURLToPath(import.meta.url));
const app = resolve(here, '..');
const tui = join(app, 'dist', 'main.js');
const hello = join(app, 'dist', 'bench-hello.js');
const helloBundled = join(app, 'dist', 'bench-hello-bundled.js');

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
  // For reference only: the same hello built the way scripts/build.mjs builds the TUI (its
  // packages inlined, React's production build), so the TUI's own start-up work stays visible.
  await build({
    entryPoints: [join(here, 'hello.tsx')],
    outfile: helloBundled,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
    plugins: [
      {
        name: 'no-devtools',
        setup(b) {
          b.onResolve({ filter: /^\.\/devtools\.js$/ }, (args) =>
            args.importer.includes('/ink/build/') ? { path: 'devtools', namespace: 'absent' } : undefined,
          );
          b.onLoad({ filter: /.*/, namespace: 'absent' }, () => ({ contents: 'export {};' }));
        },
      },
    ],
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);",
    },
  });
  const node = process.execPath;
  const measure = async (env: Record<string, string>, withBundledHello = false) => {
    // One unmeasured run of each warms the file cache.
    await timeFirstFrame(`${node} ${hello}`, 'Hello', ['Hello'], env);
    await timeFirstFrame(`${node} ${tui}`, 'SIMULATOR', ['Production', 'CLUSTERS'], env);
    if (withBundledHello) await timeFirstFrame(`${node} ${helloBundled}`, 'Hello', ['Hello'], env);
    const helloRuns: number[] = [];
    const bundledRuns: number[] = [];
    const firstFrames: number[] = [];
    const fullFrames: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      helloRuns.push((await timeFirstFrame(`${node} ${hello}`, 'Hello', ['Hello'], env)).fullMs);
      const t = await timeFirstFrame(`${node} ${tui}`, 'SIMULATOR', ['Production', 'CLUSTERS'], env);
      firstFrames.push(t.firstMs);
      fullFrames.push(t.fullMs);
      if (withBundledHello)
        bundledRuns.push((await timeFirstFrame(`${node} ${helloBundled}`, 'Hello', ['Hello'], env)).fullMs);
    }
    const bare = median(helloRuns);
    const quartiles = (values: number[]) =>
      `${Math.round(percentile(values, 25))}–${Math.round(percentile(values, 75))}`;
    return {
      bareInkHelloMs: round(bare),
      tuiFirstFrameMs: round(median(firstFrames)),
      tuiFullFrameMs: round(median(fullFrames)),
      ratioFullFrameToBareInk: round(median(fullFrames) / bare),
      quartilesMs: { bareInkHello: quartiles(helloRuns), tuiFullFrame: quartiles(fullFrames) },
      ...(withBundledHello
        ? {
            bundledInkHelloMs: round(median(bundledRuns)),
            ratioFullFrameToBundledInk: round(median(fullFrames) / median(bundledRuns)),
          }
        : {}),
    };
  };
  return {
    runs,
    // The TUI always loads React's production build (src/production-env.js); the fair baseline
    // is a hello program doing the same. The development-build baseline is shown for reference,
    // and so is a hello bundled like the TUI (what is left is the TUI's own start-up work).
    sameReactBuild: await measure({ NODE_ENV: 'production' }, true),
    helloWithDevelopmentReact: await measure({}),
    note: 'full frame = header plus the project list, read from the embedded simulator started at launch',
  };
}
