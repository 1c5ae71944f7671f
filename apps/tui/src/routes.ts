import { isDedicated, type ClusterKind, type ClusterSummary } from '@atlas-backups/core';

export interface ProjectRef {
  id: string;
  name: string;
  production: boolean;
}

export type ClusterTab = 'snapshots' | 'restores' | 'exports' | 'buckets' | 'schedule';

export type Route =
  | { view: 'projects' }
  | { view: 'clusters'; project: ProjectRef }
  | { view: ClusterTab; project: ProjectRef; cluster: ClusterSummary }
  | { view: 'buckets'; project: ProjectRef; cluster?: undefined }
  | { view: 'jobs' };

export type ViewName = Route['view'];

export const clusterKindLabel: Record<ClusterKind, string> = {
  replicaSet: 'replica set',
  sharded: 'sharded',
  flex: 'Flex',
  serverless: 'serverless',
};

/** What a deployment offers: Flex and serverless backups are managed by Atlas and have fewer views. */
export function tabsFor(kind: ClusterKind): ClusterTab[] {
  if (isDedicated(kind)) return ['snapshots', 'restores', 'exports', 'buckets', 'schedule'];
  if (kind === 'flex') return ['snapshots', 'restores'];
  return ['snapshots'];
}

export function routeProject(route: Route): ProjectRef | undefined {
  return 'project' in route ? route.project : undefined;
}

export function routeCluster(route: Route): ClusterSummary | undefined {
  return 'cluster' in route ? route.cluster : undefined;
}

export function breadcrumbs(route: Route): string[] {
  if (route.view === 'projects') return ['projects'];
  if (route.view === 'jobs') return ['jobs'];
  const project = `${route.project.name}${route.project.production ? ' [PRODUCTION]' : ''}`;
  if (route.view === 'clusters') return ['projects', project, 'clusters'];
  if (!route.cluster) return ['projects', project, route.view];
  return ['projects', project, `${route.cluster.name} (${clusterKindLabel[route.cluster.kind]})`, route.view];
}

export interface Command {
  name: string;
  help: string;
}

/** Commands for `:`; the same names the views have. */
export const commands: Command[] = [
  { name: 'projects', help: 'list projects' },
  { name: 'clusters', help: "list the current project's clusters" },
  { name: 'snapshots', help: "the current cluster's snapshots" },
  { name: 'restores', help: "the current cluster's restore jobs" },
  { name: 'exports', help: "the current cluster's export jobs" },
  { name: 'buckets', help: "the current project's export buckets" },
  { name: 'schedule', help: "the current cluster's backup schedule" },
  { name: 'jobs', help: 'jobs started from this terminal' },
  { name: 'help', help: 'keys of the current view' },
  { name: 'quit', help: 'leave' },
];

export function matchCommands(text: string): Command[] {
  const wanted = text.trim().toLowerCase();
  return commands.filter((c) => c.name.startsWith(wanted));
}
