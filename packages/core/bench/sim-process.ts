import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

export interface SimProcess {
  env: Record<string, string>;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Runs the built simulator in its own process (own core), so a benchmark measures the client
 * and not the server it shares a thread with. Reads the `export`-able lines it prints at start.
 */
export async function startSimProcess(args: string[] = []): Promise<SimProcess> {
  const child = spawn(process.execPath, ['packages/atlas-sim/dist/cli.js', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const env: Record<string, string> = {};
  const lines = createInterface({ input: child.stdout });
  const deadline = setTimeout(() => child.kill(), 30_000);
  for await (const line of lines) {
    const m = /^(MONGODB_ATLAS_[A-Z_]+)=(.*)$/.exec(line);
    if (m?.[1] && m[2] !== undefined) env[m[1]] = m[2];
    if (env.MONGODB_ATLAS_BASE_URL && env.MONGODB_ATLAS_CLIENT_SECRET && env.MONGODB_ATLAS_PRIVATE_API_KEY)
      break;
  }
  clearTimeout(deadline);
  if (!env.MONGODB_ATLAS_BASE_URL) throw new Error('the simulator did not print its address');
  child.stdout?.resume();
  return {
    env,
    child,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
