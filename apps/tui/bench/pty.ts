import { spawn } from 'node:child_process';

export interface FirstFrame {
  /** Milliseconds from spawn to the first output containing `firstMarker`. */
  firstMs: number;
  /** Milliseconds from spawn to the first output containing every `fullMarkers` entry. */
  fullMs: number;
}

/**
 * Runs a command in a pseudo-terminal (util-linux `script`), timing how long its screen takes to
 * show the markers, then kills it. The environment has no CI flag (Ink draws nothing in CI mode)
 * and no Atlas credentials.
 */
export function timeFirstFrame(
  command: string,
  firstMarker: string,
  fullMarkers: string[],
  extraEnv: Record<string, string> = {},
  timeoutMs = 30_000,
): Promise<FirstFrame> {
  const env: Record<string, string> = {
    ...extraEnv,
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    TERM: 'xterm-256color',
    LANG: 'C.UTF-8',
    ATLAS_TUI_AUDIT_LOG: '/dev/null',
  };
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('script', ['-qfec', `stty cols 120 rows 40; exec ${command}`, '/dev/null'], {
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    let seen = '';
    let firstMs: number | undefined;
    const finish = (result: FirstFrame | Error) => {
      clearTimeout(timer);
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const timer = setTimeout(
      () => finish(new Error(`no full frame within ${timeoutMs} ms; saw: ${seen.slice(-400)}`)),
      timeoutMs,
    );
    child.stdout.on('data', (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      const now = performance.now() - started;
      if (firstMs === undefined && seen.includes(firstMarker)) firstMs = now;
      if (firstMs !== undefined && fullMarkers.every((m) => seen.includes(m)))
        finish({ firstMs, fullMs: now });
    });
    child.on('error', (error) => finish(error));
  });
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

export const round = (n: number) => Math.round(n * 100) / 100;
