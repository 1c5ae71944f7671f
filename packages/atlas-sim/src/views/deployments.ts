import type {
  ClusterRecord,
  ExportBucketRecord,
  FlexClusterRecord,
  ProjectRecord,
  ServerlessInstanceRecord,
} from '../model/types.js';
import { API, clusterPath, groupPath, iso, selfLinks } from './format.js';

export function projectView(
  p: ProjectRecord,
  clusterCount: number,
  baseUrl: string,
): Record<string, unknown> {
  return {
    clusterCount,
    created: iso(p.created),
    id: p.id,
    links: selfLinks(baseUrl, groupPath(p.id)),
    name: p.name,
    orgId: p.orgId,
    regionUsageRestrictions: 'COMMERCIAL_FEDRAMP_REGIONS_ONLY',
    tags: p.tags,
    withDefaultAlertsSettings: true,
  };
}

function majorVersion(version: string): string {
  return version.split('.').slice(0, 2).join('.');
}

function hosts(c: ClusterRecord): string[] {
  const out: string[] = [];
  c.shards.forEach((_, shard) => {
    for (let node = 0; node < 3; node++) {
      out.push(
        `${c.name.toLowerCase()}-shard-${shard.toString().padStart(2, '0')}-${node.toString().padStart(2, '0')}.${c.hostLabel.split('.')[1]}.mongodb.net:27017`,
      );
    }
  });
  return out;
}

function connectionStrings(c: ClusterRecord): Record<string, string> {
  const srvHost = `${c.hostLabel}.mongodb.net`;
  const standard = `mongodb://${hosts(c).join(',')}/?ssl=true&authSource=admin`;
  return { standard, standardSrv: `mongodb+srv://${srvHost}` };
}

/** Hardware spec for a region config; AWS adds its volume fields, the 2024-08-05 shape adds disk size. */
function hardware(c: ClusterRecord, nodeCount: number, withDisk: boolean): Record<string, unknown> {
  return {
    ...(c.provider === 'AWS' ? { diskIOPS: 3000 } : {}),
    ...(withDisk ? { diskSizeGB: c.diskSizeGB } : {}),
    ...(c.provider === 'AWS' ? { ebsVolumeType: 'STANDARD' } : {}),
    instanceSize: c.instanceSize,
    nodeCount,
  };
}

function regionConfig(c: ClusterRecord, withDisk: boolean): Record<string, unknown> {
  const autoScaling = { compute: { enabled: false, scaleDownEnabled: false }, diskGB: { enabled: true } };
  return {
    analyticsAutoScaling: autoScaling,
    analyticsSpecs: hardware(c, 0, withDisk),
    autoScaling,
    electableSpecs: hardware(c, 3, withDisk),
    priority: 7,
    providerName: c.provider,
    readOnlySpecs: hardware(c, 0, withDisk),
    regionName: c.region,
  };
}

function commonCluster(c: ClusterRecord, baseUrl: string): Record<string, unknown> {
  return {
    backupEnabled: true,
    biConnector: { enabled: false, readPreference: 'SECONDARY' },
    clusterType: c.kind === 'sharded' ? 'SHARDED' : 'REPLICASET',
    configServerManagementMode: 'ATLAS_MANAGED',
    ...(c.kind === 'sharded' ? { configServerType: 'EMBEDDED' } : {}),
    connectionStrings: connectionStrings(c),
    createDate: iso(c.createdAt),
    diskWarmingMode: 'FULLY_WARMED',
    encryptionAtRestProvider: 'NONE',
    featureCompatibilityVersion: majorVersion(c.mongoDBVersion),
    globalClusterSelfManagedSharding: false,
    groupId: c.groupId,
    id: c.id,
    labels: [],
    links: selfLinks(baseUrl, clusterPath(c.groupId, c.name)),
    mongoDBMajorVersion: majorVersion(c.mongoDBVersion),
    mongoDBVersion: c.mongoDBVersion,
    name: c.name,
    paused: c.paused,
    pitEnabled: c.pitEnabled,
  };
}

function tail(c: ClusterRecord): Record<string, unknown> {
  return {
    rootCertType: 'ISRGROOTX1',
    stateName: 'IDLE',
    tags: c.tags,
    terminationProtectionEnabled: c.terminationProtectionEnabled,
    versionReleaseSystem: 'LTS',
  };
}

/** ClusterDescription20240805: one replication spec per shard, disk size per region config. */
export function clusterView20240805(c: ClusterRecord, baseUrl: string): Record<string, unknown> {
  return {
    ...commonCluster(c, baseUrl),
    redactClientLogData: false,
    replicaSetScalingStrategy: 'WORKLOAD_TYPE',
    replicationSpecs: c.shards.map((s) => ({
      id: s.replicationSpecId,
      regionConfigs: [regionConfig(c, true)],
      zoneId: s.zoneId,
      zoneName: 'Zone 1',
    })),
    ...tail(c),
  };
}

/** AdvancedClusterDescription (2023-02-01): one replication spec counting its shards. */
export function clusterView20230201(c: ClusterRecord, baseUrl: string): Record<string, unknown> {
  const first = c.shards[0];
  return {
    ...commonCluster(c, baseUrl),
    diskSizeGB: c.diskSizeGB,
    replicaSetScalingStrategy: 'WORKLOAD_TYPE',
    replicationSpecs: [
      {
        id: first?.replicationSpecId,
        numShards: c.shards.length,
        regionConfigs: [regionConfig(c, false)],
        zoneId: first?.zoneId,
        zoneName: 'Zone 1',
      },
    ],
    ...tail(c),
  };
}

/** LegacyAtlasCluster (2023-01-01): provider settings and a regions map. */
export function clusterView20230101(c: ClusterRecord, baseUrl: string): Record<string, unknown> {
  const first = c.shards[0];
  const hostList = hosts(c).join(',');
  const providerSettings: Record<string, unknown> =
    c.provider === 'AWS'
      ? {
          diskIOPS: 3000,
          encryptEBSVolume: true,
          instanceSizeName: c.instanceSize,
          providerName: 'AWS',
          regionName: c.region,
          volumeType: 'STANDARD',
        }
      : { instanceSizeName: c.instanceSize, providerName: c.provider, regionName: c.region };
  const common = commonCluster(c, baseUrl);
  return {
    autoScaling: { compute: { enabled: false, scaleDownEnabled: false }, diskGBEnabled: true },
    ...common,
    backupEnabled: false,
    diskSizeGB: c.diskSizeGB,
    mongoURI: `mongodb://${hostList}`,
    mongoURIUpdated: iso(c.createdAt),
    mongoURIWithOptions: `mongodb://${hostList}/?ssl=true&authSource=admin`,
    numShards: c.shards.length,
    providerBackupEnabled: true,
    providerSettings,
    replicationFactor: 3,
    replicationSpecs: [
      {
        id: first?.replicationSpecId,
        numShards: c.shards.length,
        regionsConfig: {
          [c.region]: { analyticsNodes: 0, electableNodes: 3, priority: 7, readOnlyNodes: 0 },
        },
        zoneName: 'Zone 1',
      },
    ],
    srvAddress: `mongodb+srv://${c.hostLabel}.mongodb.net`,
    ...tail(c),
  };
}

export function clusterView(c: ClusterRecord, version: string, baseUrl: string): Record<string, unknown> {
  if (version >= '2024-08-05') return clusterView20240805(c, baseUrl);
  if (version >= '2023-02-01') return clusterView20230201(c, baseUrl);
  return clusterView20230101(c, baseUrl);
}

export function flexClusterView(c: FlexClusterRecord, baseUrl: string): Record<string, unknown> {
  return {
    backupSettings: { enabled: true },
    clusterType: 'REPLICASET',
    connectionStrings: {
      standard: `mongodb://${c.name}-shard-00-00.${c.hostLabel.split('.')[1]}.mongodb.net:27017/?ssl=true`,
      standardSrv: `mongodb+srv://${c.hostLabel}.mongodb.net`,
    },
    createDate: iso(c.createdAt),
    groupId: c.groupId,
    id: c.id,
    links: selfLinks(baseUrl, `${API}/groups/${c.groupId}/flexClusters/${c.name}`),
    mongoDBVersion: c.mongoDBVersion,
    name: c.name,
    providerSettings: {
      backingProviderName: c.provider,
      diskSizeGB: 5,
      providerName: 'FLEX',
      regionName: c.region,
    },
    stateName: 'IDLE',
    tags: c.tags,
    terminationProtectionEnabled: false,
    versionReleaseSystem: 'LTS',
  };
}

export function serverlessInstanceView(
  s: ServerlessInstanceRecord,
  baseUrl: string,
): Record<string, unknown> {
  return {
    connectionStrings: { standardSrv: `mongodb+srv://${s.hostLabel}.mongodb.net` },
    createDate: iso(s.createdAt),
    groupId: s.groupId,
    id: s.id,
    links: selfLinks(baseUrl, `${API}/groups/${s.groupId}/serverless/${s.name}`),
    mongoDBVersion: s.mongoDBVersion,
    name: s.name,
    providerSettings: {
      backingProviderName: s.provider,
      effectiveProviderName: 'SERVERLESS',
      providerName: 'SERVERLESS',
      regionName: s.region,
    },
    serverlessBackupOptions: { serverlessContinuousBackupEnabled: true },
    stateName: 'IDLE',
    tags: s.tags,
    terminationProtectionEnabled: false,
  };
}

/** Both bucket versions share the AWS shape (the 2024-05-30 one is discriminated on cloudProvider). */
export function exportBucketView(b: ExportBucketRecord, baseUrl: string): Record<string, unknown> {
  return {
    _id: b.id,
    bucketName: b.bucketName,
    cloudProvider: b.cloudProvider,
    iamRoleId: b.iamRoleId,
    links: selfLinks(baseUrl, `${API}/groups/${b.groupId}/backup/exportBuckets/${b.id}`),
    region: b.region,
    requirePrivateNetworking: b.requirePrivateNetworking,
  };
}
