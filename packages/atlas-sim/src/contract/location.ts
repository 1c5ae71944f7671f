import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SPEC_FILE = 'backup-subset.json';

/** The monorepo root: the nearest directory above this file holding pnpm-workspace.yaml. */
export function findRepoRoot(from = dirname(fileURLToPath(import.meta.url))): string | undefined {
  let dir = from;
  for (;;) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * Where the official contract lives: `ATLAS_OPENAPI_DIR` if set, else `../shared/atlas-openapi`
 * beside the repository (the layout of the workplace and of CI).
 */
export function specDirectory(): string | undefined {
  const override = process.env.ATLAS_OPENAPI_DIR;
  if (override) return resolve(override);
  const root = findRepoRoot();
  return root ? resolve(root, '..', 'shared', 'atlas-openapi') : undefined;
}

/** Path of the contract file when present, else undefined. */
export function findSpecFile(): string | undefined {
  const dir = specDirectory();
  const file = dir ? join(dir, SPEC_FILE) : undefined;
  return file && existsSync(file) ? file : undefined;
}
