import { tabsFor } from './deployment-kinds.js';
import type { ClusterTab, Route } from './routes.js';

/** A tab by name, by position (0 is the first), or the next or previous one. */
export type TabTarget = ClusterTab | number | 'next' | 'prev';

export function tabAt(tabs: ClusterTab[], current: ClusterTab, step: number): ClusterTab {
  const index = tabs.indexOf(current);
  const next = (index + step + tabs.length) % tabs.length;
  return tabs[next] ?? current;
}

/**
 * The route of another of the cluster's tabs; a warning when the cluster has no such tab;
 * undefined when the page is not one of a cluster's tabs.
 */
export function tabSwitch(route: Route, to: TabTarget): { route: Route } | { warn: string } | undefined {
  if (!('cluster' in route) || !route.cluster) return undefined;
  const { project, cluster, view: current } = route;
  const tabs = tabsFor(cluster.kind);
  const tab =
    typeof to === 'number'
      ? tabs[to]
      : to === 'next'
        ? tabAt(tabs, current, 1)
        : to === 'prev'
          ? tabAt(tabs, current, -1)
          : to;
  if (!tab || !tabs.includes(tab)) return { warn: `${cluster.name} has no ${String(to)} view` };
  return { route: { view: tab, project, cluster } };
}
