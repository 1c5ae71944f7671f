import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' || name === 'dist' ? [] : sources(path);
    return /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

const mutatingClientMethods = [
  'takeSnapshot',
  'updateSnapshotRetention',
  'createExportJob',
  'createRestoreJob',
  'createCollectionRestoreJob',
  'cancelRestoreJob',
  'createFlexRestoreJob',
  'downloadFlexSnapshot',
];

describe('design rules', () => {
  it('the apps change Atlas only through the core action service', () => {
    const offenders = ['apps/tui/src', 'apps/slackbot/src'].flatMap((dir) =>
      sources(join(root, dir)).flatMap((file) => {
        const text = readFileSync(file, 'utf8');
        return mutatingClientMethods
          .filter((method) => new RegExp(`\\.${method}\\(`).test(text))
          .map((method) => `${relative(root, file)} calls ${method}`);
      }),
    );
    expect(offenders).toEqual([]);
  });

  it('core knows nothing of Slack or Ink', () => {
    const offenders = sources(join(root, 'packages/core/src')).filter((file) =>
      /from '(@slack\/[^']*|ink|react)'/.test(readFileSync(file, 'utf8')),
    );
    expect(offenders.map((f) => relative(root, f))).toEqual([]);
    const manifest = JSON.parse(readFileSync(join(root, 'packages/core/package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    expect(Object.keys(manifest.dependencies ?? {}).filter((d) => /^(@slack\/|ink$|react$)/.test(d))).toEqual(
      [],
    );
  });

  it('the simulator is an independent implementation of Atlas', () => {
    const offenders = sources(join(root, 'packages/atlas-sim/src')).filter((file) =>
      readFileSync(file, 'utf8').includes('@atlas-backups/core'),
    );
    expect(offenders).toEqual([]);
  });
});
