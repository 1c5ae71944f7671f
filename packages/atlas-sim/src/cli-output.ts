import type { SimulatorCredentials } from './auth/credentials.js';
import type { SeedSummary } from './seed/summary.js';
import type { RunningSimulator } from './simulator.js';

/** Shell-safe single quoting, so every line stays `eval`/`source`-able whatever the value. */
function shellQuote(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]*$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The `NAME=value` lines any Atlas client can be pointed at the simulator with. */
export function exportLines(url: string, credentials: SimulatorCredentials): string[] {
  return [
    `MONGODB_ATLAS_BASE_URL=${shellQuote(url)}`,
    `MONGODB_ATLAS_CLIENT_ID=${shellQuote(credentials.clientId)}`,
    `MONGODB_ATLAS_CLIENT_SECRET=${shellQuote(credentials.clientSecret)}`,
    `MONGODB_ATLAS_PUBLIC_API_KEY=${shellQuote(credentials.publicKey)}`,
    `MONGODB_ATLAS_PRIVATE_API_KEY=${shellQuote(credentials.privateKey)}`,
  ];
}

/** Human-readable summary of the seeded data, one fact per line (callers prefix `# ` for shells). */
export function describeSeed(seed: SeedSummary): string[] {
  const lines = [`seed ${seed.seed}${seed.large ? ' (large mode)' : ''}, organization ${seed.orgId}`];
  for (const p of seed.projects) {
    lines.push(`project "${p.name}" ${p.id}`);
    for (const c of p.clusters)
      lines.push(`  cluster ${c.name} (${c.kind === 'sharded' ? 'sharded' : 'replica set'})`);
    for (const f of p.flexClusters) lines.push(`  flex cluster ${f}`);
    for (const s of p.serverlessInstances) lines.push(`  serverless instance ${s}`);
    for (const b of p.exportBucketIds) lines.push(`  export bucket ${b}`);
  }
  lines.push(`${seed.replicaSetName} has ${seed.replicaSetSnapshotCount} snapshots`);
  const name = (projectId: string): string =>
    seed.projects.find((p) => p.id === projectId)?.name ?? projectId;
  for (const id of seed.compliancePolicyProjectIds)
    lines.push(`project "${name(id)}" has a Backup Compliance Policy (snapshots cannot be deleted)`);
  for (const c of seed.continuousBackupOff)
    lines.push(`${c.clusterName} has continuous backup off (no point-in-time restores)`);
  if (seed.behindSchedule)
    lines.push(`${seed.behindSchedule.clusterName} is behind its backup schedule (recent snapshots failed)`);
  return lines;
}

/** One line saying whether and how requests are rate limited. */
export function describeRateLimit(sim: Pick<RunningSimulator, 'rateLimits'>): string {
  const limits = sim.rateLimits.limitsOf('backupSnapshots');
  if (!limits) return 'off';
  return `${limits.capacity} requests per bucket, ${limits.refillRate} back every ${limits.refillDurationSeconds} s, per endpoint set and project`;
}
