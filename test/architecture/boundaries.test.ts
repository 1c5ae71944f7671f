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
    const offenders = ['apps/tui/src', 'apps/slackbot/src', 'apps/playground/src'].flatMap((dir) =>
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

  it('the Slack simulator is an independent implementation of Slack', () => {
    const offenders = sources(join(root, 'packages/slack-sim/src')).flatMap((file) =>
      importsOf(file)
        .filter((spec) => !spec.startsWith('.') && !spec.startsWith('node:'))
        .map((spec) => `${relative(root, file)} imports ${spec}`),
    );
    expect(offenders).toEqual([]);
  });

  it('the playground imports only what it is allowed to, and the bot only by its entry point', () => {
    const allowed = new Set([
      '@atlas-backups/atlas-sim',
      '@atlas-backups/core',
      '@atlas-backups/runtime',
      '@atlas-backups/slack-sim',
      '@atlas-backups/slackbot',
      '@slack/bolt',
      'zod',
    ]);
    const offenders = sources(join(root, 'apps/playground/src')).flatMap((file) =>
      importsOf(file)
        .filter((spec) => !spec.startsWith('.') && !spec.startsWith('node:') && !allowed.has(spec))
        .map((spec) => `${relative(root, file)} imports ${spec}`),
    );
    expect(offenders).toEqual([]);
  });

  it("the playground's page loads nothing from elsewhere and runs no code but its own", () => {
    const web = join(root, 'apps/playground/web');
    const offenders = sources(join(web, 'src')).flatMap((file) =>
      importsOf(file)
        .filter((spec) => !spec.startsWith('.') && spec !== '@atlas-backups/slack-sim/block-kit')
        .map((spec) => `${relative(root, file)} imports ${spec}`),
    );
    for (const file of ['index.html', 'style.css']) {
      const text = readFileSync(join(web, file), 'utf8');
      if (/(https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}/i.test(text)) offenders.push(`${file} names another host`);
      if (/<script(?![^>]*\bsrc=)/i.test(text)) offenders.push(`${file} has inline script`);
    }
    // Text reaches the page as text: no markup is ever parsed from a string.
    for (const file of sources(join(web, 'src'))) {
      const text = readFileSync(file, 'utf8');
      if (/\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write|new Function|\beval\(/.test(text))
        offenders.push(`${relative(root, file)} parses markup or code from a string`);
    }
    expect(offenders).toEqual([]);
  });
});

/** The module specifiers a source file imports or re-exports (static and dynamic). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found = [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(?\s*)'([^']+)'/g)].map((m) => m[1] ?? '');
  return [...new Set(found)];
}
