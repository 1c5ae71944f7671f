import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';

export interface ThroughputResult {
  /** Wall-clock rate over loopback (the load generator shares the machine). */
  reqPerSec: number;
  requests: number;
  seconds: number;
  /** CPU seconds the simulator process used while measured (Linux only). */
  simulatorCpuSeconds?: number;
  /** Requests per CPU second of the simulator: what one fully busy core serves (Linux only). */
  reqPerCpuSecond?: number;
}

/** utime + stime of a process in seconds, from /proc (Linux; ticks are 100 Hz there). */
function cpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

export interface ThroughputOptions {
  /** Stop after this many measured requests (default 50,000). */
  maxRequests?: number;
  /** Stop after this many seconds (default 5). */
  maxSeconds?: number;
  /** Requests in flight at once (default 32). */
  concurrency?: number;
}

interface Started {
  child: ChildProcess;
  env: Record<string, string>;
}

/**
 * Runs the simulator in its own process, so it has a core of its own and the load generator
 * does not compete with it: the measured rate is the simulator's, single-threaded as it is.
 */
async function startSimulatorProcess(): Promise<Started> {
  const built = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
  const source = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
  const args = existsSync(built) ? [built] : ['--conditions=source', '--import', 'tsx', source];
  const child = spawn(process.execPath, [...args, '--port', '0', '--seed', '1'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let errors = '';
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    errors += chunk;
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: string) => {
      out += chunk;
      if (out.includes('\n# ')) resolve();
    });
    child.once('exit', (code) =>
      reject(new Error(`simulator exited with ${String(code)} before starting: ${errors.trim()}`)),
    );
  });
  const env: Record<string, string> = {};
  for (const line of out.split('\n')) {
    const match = /^(MONGODB_ATLAS_[A-Z_]+)=(.*)$/.exec(line);
    if (match) env[match[1] as string] = match[2] as string;
  }
  return { child, env };
}

async function json(
  pool: Pool,
  path: string,
  headers: Record<string, string>,
  method: 'GET' | 'POST' = 'GET',
  body?: string,
): Promise<unknown> {
  const res = await pool.request({ path, method, headers, ...(body ? { body } : {}) });
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`${method} ${path} answered ${res.statusCode}: ${text}`);
  return JSON.parse(text) as unknown;
}

/** Snapshot GETs per second the simulator serves on one core, over loopback with bearer auth. */
export async function benchSimulatorThroughput(options: ThroughputOptions = {}): Promise<ThroughputResult> {
  const maxRequests = options.maxRequests ?? 50_000;
  const maxMs = (options.maxSeconds ?? 5) * 1000;
  const concurrency = options.concurrency ?? 32;
  const { child, env } = await startSimulatorProcess();
  const pool = new Pool(env.MONGODB_ATLAS_BASE_URL ?? '', { connections: concurrency, pipelining: 1 });
  try {
    const basic = Buffer.from(`${env.MONGODB_ATLAS_CLIENT_ID}:${env.MONGODB_ATLAS_CLIENT_SECRET}`).toString(
      'base64',
    );
    const token = (await json(
      pool,
      '/api/oauth/token',
      { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      'POST',
      'grant_type=client_credentials',
    )) as { access_token: string };
    const headers = {
      authorization: `Bearer ${token.access_token}`,
      accept: 'application/vnd.atlas.2023-01-01+json',
    };
    const groups = (await json(pool, '/api/atlas/v2/groups', headers)) as { results: { id: string }[] };
    const groupId = groups.results[0]?.id ?? '';
    const clusters = (await json(pool, `/api/atlas/v2/groups/${groupId}/clusters`, headers)) as {
      results: { name: string; clusterType: string }[];
    };
    const cluster = clusters.results.find((c) => c.clusterType === 'REPLICASET')?.name ?? '';
    const base = `/api/atlas/v2/groups/${groupId}/clusters/${cluster}/backup/snapshots`;
    const list = (await json(pool, `${base}?itemsPerPage=1`, headers)) as { results: { id: string }[] };
    const path = `${base}/${list.results[0]?.id ?? ''}`;

    const run = async (count: number, deadline: number): Promise<number> => {
      let sent = 0;
      let done = 0;
      const worker = async (): Promise<void> => {
        while (sent < count && performance.now() < deadline) {
          sent++;
          const res = await pool.request({ path, method: 'GET', headers });
          await res.body.dump();
          if (res.statusCode !== 200) throw new Error(`snapshot GET answered ${res.statusCode}`);
          done++;
        }
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
      return done;
    };

    await run(2_000, performance.now() + 2_000);
    const cpuBefore = cpuSeconds(child.pid);
    const start = performance.now();
    const requests = await run(maxRequests, start + maxMs);
    const seconds = (performance.now() - start) / 1000;
    const cpuAfter = cpuSeconds(child.pid);
    const result: ThroughputResult = {
      reqPerSec: Math.round(requests / seconds),
      requests,
      seconds: Math.round(seconds * 100) / 100,
    };
    if (cpuBefore !== undefined && cpuAfter !== undefined && cpuAfter > cpuBefore) {
      result.simulatorCpuSeconds = Math.round((cpuAfter - cpuBefore) * 100) / 100;
      result.reqPerCpuSecond = Math.round(requests / (cpuAfter - cpuBefore));
    }
    return result;
  } finally {
    await pool.close();
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

// Run directly: `node --conditions=source --import tsx packages/atlas-sim/bench/throughput.ts`.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  benchSimulatorThroughput().then(
    (r) =>
      console.log(
        `atlas-sim snapshot GET: ${r.reqPerSec} req/s (${r.requests} requests in ${r.seconds}s` +
          (r.reqPerCpuSecond ? `; ${r.reqPerCpuSecond} per simulator CPU second)` : ')'),
      ),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
