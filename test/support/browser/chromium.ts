import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium: Playwright's own browser downloads cannot run here. */
export const chromiumPath = '/usr/bin/chromium';
export const chromiumAvailable = existsSync(chromiumPath);

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

const root = resolve(import.meta.dirname, '..', '..', '..');
/** The playground page's script, as `pnpm run build` bundles it. */
export const builtPage = join(root, 'apps', 'playground', 'dist', 'web', 'app.js');

/** Builds once when the page script is missing (a focused run before `pnpm run build`). */
export function ensurePageBuilt(): void {
  if (existsSync(builtPage)) return;
  const built = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`build failed: ${built.stderr}`);
}

/** Where screenshots go: PLAYGROUND_SCREENSHOTS when set (to look at them), else a temp folder. */
export function screenshotDir(): string {
  const dir = process.env.PLAYGROUND_SCREENSHOTS
    ? resolve(process.env.PLAYGROUND_SCREENSHOTS)
    : join(tmpdir(), 'atlas-playground-screenshots');
  mkdirSync(dir, { recursive: true });
  return dir;
}
