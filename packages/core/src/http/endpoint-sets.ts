/**
 * Atlas counts requests in token buckets per endpoint set and scope. It does not publish which
 * endpoints share a set, so the client groups its own calls the way the buckets behave in
 * practice: the project list (scoped to the identity), backup snapshots, restores and downloads,
 * other backup settings, and everything else about deployments (scoped to the project).
 */
export type EndpointSet =
  'projects' | 'deployments' | 'backupSnapshots' | 'backupRestores' | 'backupSettings';

export function endpointSetOfPath(path: string): EndpointSet {
  const bare = path.split('?', 1)[0] ?? path;
  if (/^\/api\/atlas\/v2\/groups\/?$/.test(bare)) return 'projects';
  if (/\/(restoreJobs|collectionRestoreJobs)(\/|$)|\/backup\/download$/.test(bare)) return 'backupRestores';
  if (bare.includes('/backup/snapshots')) return 'backupSnapshots';
  if (bare.includes('/backup')) return 'backupSettings';
  return 'deployments';
}

/** The project a path is about, when it is about one. */
export function projectOfPath(path: string): string | undefined {
  return /^\/api\/atlas\/v2\/groups\/([^/?]+)/.exec(path)?.[1];
}

/**
 * The bucket a request is counted in: its endpoint set and the project (or, for the project
 * list, the identity, which is the same for every request of one connection).
 */
export function bucketKeyOf(path: string): string {
  let key = bucketKeys.get(path);
  if (key === undefined) {
    const set = endpointSetOfPath(path);
    const project = set === 'projects' ? undefined : projectOfPath(path);
    key = project === undefined ? `${set}|identity` : `${set}|${project}`;
    // Paths repeat (the same lists and jobs are read again and again); the cache stays small.
    if (bucketKeys.size >= 2_000) bucketKeys.clear();
    bucketKeys.set(path, key);
  }
  return key;
}

const bucketKeys = new Map<string, string>();
