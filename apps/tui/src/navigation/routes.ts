import type { ClusterSummary } from '@atlas-backups/core';
import { clusterKindLabel } from './deployment-kinds.js';

export interface ProjectRef {
  id: string;
  name: string;
  production: boolean;
}

/** Views that belong to one cluster (its tabs), buckets aside: they may also be a project's. */
type ClusterView = 'snapshots' | 'restores' | 'exports' | 'schedule';

export type ClusterTab = ClusterView | 'buckets';

type ClusterRoute = {
  [V in ClusterView]: { view: V; project: ProjectRef; cluster: ClusterSummary };
}[ClusterView];

/** Where a page is: each view's route carries what the view needs to show it. */
export type Route =
  | { view: 'projects' }
  | { view: 'clusters'; project: ProjectRef }
  | ClusterRoute
  /** A cluster's buckets tab, or (`:buckets` outside a cluster) the project's buckets. */
  | { view: 'buckets'; project: ProjectRef; cluster?: ClusterSummary | undefined }
  | { view: 'jobs' };

export type ViewName = Route['view'];

export type RouteOf<V extends ViewName> = Extract<Route, { view: V }>;

export function routeProject(route: Route): ProjectRef | undefined {
  return 'project' in route ? route.project : undefined;
}

export function routeCluster(route: Route): ClusterSummary | undefined {
  return 'cluster' in route ? route.cluster : undefined;
}

/** The same key for the same place: a view, its project and its cluster. */
export function routeKey(route: Route): string {
  return `${route.view}:${routeProject(route)?.id ?? ''}:${routeCluster(route)?.name ?? ''}`;
}

export function breadcrumbs(route: Route): string[] {
  if (route.view === 'projects') return ['projects'];
  if (route.view === 'jobs') return ['jobs'];
  const project = `${route.project.name}${route.project.production ? ' [PRODUCTION]' : ''}`;
  if (route.view === 'clusters') return ['projects', project, 'clusters'];
  if (!route.cluster) return ['projects', project, route.view];
  return ['projects', project, `${route.cluster.name} (${clusterKindLabel[route.cluster.kind]})`, route.view];
}
