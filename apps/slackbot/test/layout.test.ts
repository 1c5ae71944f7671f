import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const src = join(import.meta.dirname, '..', 'src');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : name.endsWith('.ts') ? [path] : [];
  });
}

/** Every import between the bot's own files: [importer, imported], both relative to src/. */
const imports = sources(src).flatMap((file) =>
  [...readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)].map(
    ([, spec]) =>
      [
        relative(src, file),
        relative(src, resolve(dirname(file), spec as string)).replace(/\.js$/, '.ts'),
      ] as const,
  ),
);

const room = (path: string) => (path.includes('/') ? path.slice(0, path.indexOf('/')) : path);
const features = ['commands', 'changes', 'approvals', 'forms', 'projects'];

/** What each folder must not import (README.md says why). */
const forbidden: Record<string, (imported: string) => boolean> = {
  // The Block Kit toolkit and the transport know no feature and no listener.
  blocks: (to) => [...features, 'listeners', 'slack'].includes(room(to)) || to === 'app.ts',
  slack: (to) => [...features, 'listeners'].includes(room(to)) || to === 'app.ts',
  // Features meet the listeners only through the handler contract.
  ...Object.fromEntries(
    features.map((f) => [
      f,
      (to: string) => (room(to) === 'listeners' && to !== 'listeners/handlers.ts') || to === 'app.ts',
    ]),
  ),
  listeners: (to) => to === 'app.ts',
};

describe('each folder of the bot imports only what its room allows', () => {
  it.each(Object.keys(forbidden))('%s/', (folder) => {
    const rule = forbidden[folder] as (imported: string) => boolean;
    const offenders = imports
      .filter(([from, to]) => room(from) === folder && rule(to))
      .map(([from, to]) => `${from} imports ${to}`);
    expect(offenders).toEqual([]);
  });

  it('the rules see the imports (a folder that moved would make them vacuous)', () => {
    for (const folder of Object.keys(forbidden))
      expect(
        imports.some(([from]) => room(from) === folder),
        folder,
      ).toBe(true);
  });
});
