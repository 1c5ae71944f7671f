// Bundles each runnable entry point into one ESM file. Workspace packages are inlined
// (they publish TypeScript source only); third-party packages stay external so native
// modules such as better-sqlite3 load from node_modules.
import { existsSync } from 'node:fs';
import { build } from 'esbuild';

const entries = [
  ['packages/atlas-sim/src/cli.ts', 'packages/atlas-sim/dist/cli.js'],
  ['apps/tui/src/main.tsx', 'apps/tui/dist/main.js'],
  ['apps/slackbot/src/main.ts', 'apps/slackbot/dist/main.js'],
  ['packages/core/src/cli/audit-export.ts', 'packages/core/dist/audit-export.js'],
].filter(([src]) => existsSync(src));

const externalThirdParty = {
  name: 'external-third-party',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@atlas-backups/') ? undefined : { path: args.path, external: true },
    );
  },
};

await Promise.all(
  entries.map(([entry, outfile]) =>
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
      plugins: [externalThirdParty],
      banner: { js: '#!/usr/bin/env node' },
    }),
  ),
);
console.error(`built ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}`);
