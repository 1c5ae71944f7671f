import type { SimulatorOptions } from '../../src/index.js';
import { startContractCheckedSimulator, type ContractCheckedSimulator } from '../../src/testing.js';
import { TestClient } from './client.js';

/** Before the serverless backup sunset (2026-01-22), so every operation answers. */
export const T0 = new Date('2025-06-02T12:00:00Z');

export interface TestSim {
  sim: ContractCheckedSimulator;
  client: TestClient;
  g: string;
  rs: string;
  sharded: string;
  flex: string;
  serverless: string;
}

/** A contract-checked simulator on a manual clock at T0, with a bearer-token client. */
export async function startTestSim(options: SimulatorOptions = {}): Promise<TestSim> {
  const sim = await startContractCheckedSimulator({ clock: 'manual', now: T0, ...options });
  return {
    sim,
    client: new TestClient(sim),
    g: sim.seed.projectId,
    rs: sim.seed.replicaSetName,
    sharded: sim.seed.shardedClusterName,
    flex: sim.seed.flexClusterName,
    serverless: sim.seed.serverlessInstanceName,
  };
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export interface Page<T> {
  links: { href: string; rel: string }[];
  results: T[];
  totalCount?: number;
}

export interface ApiErrorBody {
  detail: string;
  error: number;
  errorCode: string;
  reason: string;
  parameters: unknown[];
  badRequestDetail?: { fields: { field: string; description: string }[] };
}

export function fieldsOf(body: unknown): string[] {
  return ((body as ApiErrorBody).badRequestDetail?.fields ?? []).map((f) => f.field);
}
