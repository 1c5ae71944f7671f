// Bundles each runnable entry point into one ESM file. Workspace packages are inlined
// (they publish TypeScript source only); third-party packages stay external so native
// modules such as better-sqlite3 load from node_modules.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

const entries = [
  ['packages/atlas-sim/src/cli.ts', 'packages/atlas-sim/dist/cli.js'],
  ['apps/tui/src/main.tsx', 'apps/tui/dist/main.js'],
  ['apps/slackbot/src/main.ts', 'apps/slackbot/dist/main.js'],
  ['apps/playground/src/main.ts', 'apps/playground/dist/main.js'],
  ['packages/core/src/cli/audit-export.ts', 'packages/core/dist/audit-export.js'],
  ['packages/core/src/cli/policy-check.ts', 'packages/core/dist/policy-check.js'],
  ['packages/core/src/cli/policy-explain.ts', 'packages/core/dist/policy-explain.js'],
].filter(([src]) => existsSync(src));

// The terminal UI inlines its third-party packages too: loading Ink, React and their dependencies
// as hundreds of separate modules took most of its start-up time. React's production build is
// chosen here (the TUI always runs it); native modules and package imports (`#…`) stay external.
const selfContained = new Set(['apps/tui/src/main.tsx']);

const selfContainedPlugin = {
  name: 'self-contained',
  setup(b) {
    b.onResolve({ filter: /^better-sqlite3$/ }, (args) => ({ path: args.path, external: true }));
    b.onResolve({ filter: /^#/ }, (args) =>
      args.importer.includes('/node_modules/') ? undefined : { path: args.path, external: true },
    );
    // Ink loads its React DevTools bridge only when DEV=true; the built TUI does not ship it, so
    // there DEV=true does nothing.
    b.onResolve({ filter: /^\.\/devtools\.js$/ }, (args) =>
      args.importer.includes('/ink/build/') ? { path: 'ink-devtools', namespace: 'absent' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'absent' }, () => ({ contents: 'export {};' }));
  },
};

// The Slack bot's dist is what gets deployed: everything is inlined except native modules and
// the optional native helpers some packages try to load (absent, they fall back to JavaScript).
// dist/package.json lists the native ones, so `npm install` in a copy of dist is all a server needs.
const deployable = new Set(['apps/slackbot/src/main.ts']);
const nativeDependencies = ['better-sqlite3'];
const optionalNative = ['bufferutil', 'utf-8-validate', 'pg-native'];

const deployablePlugin = {
  name: 'deployable',
  setup(b) {
    const external = new RegExp(`^(${[...nativeDependencies, ...optionalNative].join('|')})(/|$)`);
    b.onResolve({ filter: external }, (args) => ({ path: args.path, external: true }));
  },
};

/** dist/package.json of a deployable entry: its native dependencies at the versions installed here. */
function writeDeployManifest(entry, outfile) {
  const appDir = entry.slice(0, entry.indexOf('/src/'));
  const app = JSON.parse(readFileSync(`${appDir}/package.json`, 'utf8'));
  const dependencies = {};
  for (const name of nativeDependencies) {
    if (!app.dependencies?.[name]) continue;
    const installed = JSON.parse(readFileSync(`${appDir}/node_modules/${name}/package.json`, 'utf8'));
    dependencies[name] = installed.version;
  }
  const manifest = {
    name: `${app.name}-dist`,
    version: app.version,
    private: true,
    description: 'The built Slack bot: run `npm install` here, then `node main.js` (see DEPLOY.md).',
    type: 'module',
    main: 'main.js',
    engines: app.engines,
    scripts: { start: 'node main.js' },
    dependencies,
  };
  writeFileSync(
    `${outfile.slice(0, outfile.lastIndexOf('/'))}/package.json`,
    `${JSON.stringify(manifest, null, 2)}\n`,
  );
}

const requireBanner =
  "#!/usr/bin/env node\nimport { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);";

const externalThirdParty = {
  name: 'external-third-party',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@atlas-backups/') ? undefined : { path: args.path, external: true },
    );
  },
};

// The playground's page script: one ES module for the browser, with nothing loaded from elsewhere.
const browserEntries = [['apps/playground/web/src/main.ts', 'apps/playground/dist/web/app.js']].filter(
  ([src]) => existsSync(src),
);

await Promise.all([
  ...browserEntries.map(([entry, outfile]) =>
    build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      platform: 'browser',
      format: 'esm',
      target: 'es2022',
      conditions: ['source'],
      sourcemap: true,
      logLevel: 'warning',
    }),
  ),
  ...entries.map(([entry, outfile]) =>
    build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      conditions: ['source'],
      jsx: 'automatic',
      sourcemap: true,
      logLevel: 'warning',
      ...(deployable.has(entry)
        ? { plugins: [deployablePlugin], banner: { js: requireBanner } }
        : selfContained.has(entry)
          ? {
              plugins: [selfContainedPlugin],
              define: { 'process.env.NODE_ENV': '"production"' },
              // Inlined CommonJS packages call require() for Node's built-in modules.
              banner: { js: requireBanner },
            }
          : { plugins: [externalThirdParty], banner: { js: '#!/usr/bin/env node' } }),
    }).then(() => {
      if (deployable.has(entry)) writeDeployManifest(entry, outfile);
    }),
  ),
]);
const built = entries.length + browserEntries.length;
console.error(`built ${built} entr${built === 1 ? 'y' : 'ies'}`);
