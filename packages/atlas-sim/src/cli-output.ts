import type { SimulatorCredentials } from './auth/credentials.js';
import type { SeedSummary } from './seed/summary.js';

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
  return lines;
}
