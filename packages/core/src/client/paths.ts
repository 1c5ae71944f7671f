import { InputValidationError, type FieldIssue } from '../errors.js';
import { clusterNamePattern, objectIdPattern } from '../schemas/common.js';

const objectIdRule = { pattern: objectIdPattern, message: 'must be 24 hexadecimal digits' };
const anyNameRule = { pattern: /^[^\0]+$/u, message: 'must not be empty' };
const clusterNameRule = {
  pattern: clusterNamePattern,
  message: 'must start with a letter or digit and contain only letters, digits and -',
};

/** Every path parameter the client fills, by the name the Atlas contract gives it. */
const paramRules = {
  groupId: objectIdRule,
  clusterName: clusterNameRule,
  name: clusterNameRule,
  snapshotId: objectIdRule,
  restoreJobId: objectIdRule,
  exportId: objectIdRule,
  exportBucketId: objectIdRule,
  jobId: objectIdRule,
  // Names from a snapshot are sent as they are (encoded); MongoDB's own rules apply to them.
  databaseName: anyNameRule,
  collectionName: anyNameRule,
  sourceNamespace: anyNameRule,
};
type ParamName = keyof typeof paramRules;

/**
 * Every Atlas path this client calls, written as the contract writes it (so each can be found in
 * `atlas-admin-v2.yaml`). Names in braces are filled by `atlasPath`, checked against their rule.
 */
export const atlasPaths = {
  projects: '/api/atlas/v2/groups',
  project: '/api/atlas/v2/groups/{groupId}',
  clusters: '/api/atlas/v2/groups/{groupId}/clusters',
  cluster: '/api/atlas/v2/groups/{groupId}/clusters/{clusterName}',
  snapshots: '/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/snapshots',
  snapshot: '/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/snapshots/{snapshotId}',
  shardedSnapshots: '/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/snapshots/shardedClusters',
  shardedSnapshot:
    '/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/snapshots/shardedCluster/{snapshotId}',
  restoreJobs: '/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/restoreJobs',
  restoreJob: '/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/restoreJobs/{restoreJobId}',
  exportJobs: '/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/exports',
  exportJob: '/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/exports/{exportId}',
  exportBuckets: '/api/atlas/v2/groups/{groupId}/backup/exportBuckets',
  exportBucket: '/api/atlas/v2/groups/{groupId}/backup/exportBuckets/{exportBucketId}',
  schedule: '/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/schedule',
  compliancePolicy: '/api/atlas/v2/groups/{groupId}/backupCompliancePolicy',
  collectionRestoreJobs: '/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/collectionRestoreJobs',
  collectionRestoreJob: '/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/collectionRestoreJobs/{jobId}',
  collectionRestoreJobCollections:
    '/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/collectionRestoreJobs/{jobId}/collections',
  snapshotDatabases:
    '/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/snapshots/{snapshotId}/databases',
  snapshotDatabaseCollections:
    '/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/snapshots/{snapshotId}/databases/{databaseName}/collections',
  flexClusters: '/api/atlas/v2/groups/{groupId}/flexClusters',
  flexCluster: '/api/atlas/v2/groups/{groupId}/flexClusters/{name}',
  flexSnapshots: '/api/atlas/v2/groups/{groupId}/flexClusters/{name}/backup/snapshots',
  flexSnapshot: '/api/atlas/v2/groups/{groupId}/flexClusters/{name}/backup/snapshots/{snapshotId}',
  flexRestoreJobs: '/api/atlas/v2/groups/{groupId}/flexClusters/{name}/backup/restoreJobs',
  flexRestoreJob: '/api/atlas/v2/groups/{groupId}/flexClusters/{name}/backup/restoreJobs/{restoreJobId}',
  flexDownload: '/api/atlas/v2/groups/{groupId}/flexClusters/{name}/backup/download',
  serverlessInstances: '/api/atlas/v2/groups/{groupId}/serverless',
  serverlessInstance: '/api/atlas/v2/groups/{groupId}/serverless/{name}',
  serverlessSnapshots: '/api/atlas/v2/groups/{groupId}/serverless/{clusterName}/backup/snapshots',
  serverlessSnapshot: '/api/atlas/v2/groups/{groupId}/serverless/{clusterName}/backup/snapshots/{snapshotId}',
} as const;

export type AtlasPath = (typeof atlasPaths)[keyof typeof atlasPaths];

/** The names in braces of a path template, as a union: `'groupId' | 'clusterName'`. */
export type PathParams<T extends string> = T extends `${string}{${infer P}}${infer Rest}`
  ? P | PathParams<Rest>
  : never;

// Every template names only parameters that have a rule.
const _everyParamHasARule: PathParams<AtlasPath> extends ParamName ? true : never = true;

/** A template split at its braces: literal text at even indexes, parameter names at odd ones. */
const compiled = new Map<string, string[]>();

/** Fills a path template, refusing every parameter that breaks its rule before anything is sent. */
export function atlasPath<T extends AtlasPath>(template: T, params: Record<PathParams<T>, string>): string {
  let parts = compiled.get(template);
  if (parts === undefined) {
    parts = template.split(/[{}]/);
    compiled.set(template, parts);
  }
  const values = params as Record<string, string | undefined>;
  const issues: FieldIssue[] = [];
  let path = '';
  for (let i = 0; i < parts.length; i += 1) {
    const part = parts[i] as string;
    if (i % 2 === 0) {
      path += part;
      continue;
    }
    const value = values[part];
    const rule = paramRules[part as ParamName];
    if (typeof value !== 'string' || !rule.pattern.test(value)) {
      issues.push({ field: part, message: value ? rule.message : 'is required' });
    }
    path += encodeURIComponent(value ?? '');
  }
  if (issues.length > 0) throw new InputValidationError('request', issues);
  return path;
}
