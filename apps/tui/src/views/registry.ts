import type { ReactNode } from 'react';
import type { Route, ViewName } from '../navigation/routes.js';
import { bucketsView } from './buckets.js';
import { clustersView } from './clusters.js';
import { exportsView } from './exports.js';
import { jobsView } from './jobs.js';
import { projectsView } from './projects.js';
import { restoresView } from './restores.js';
import { scheduleView } from './schedule.js';
import { snapshotsView } from './snapshots.js';
import type { ViewEntry } from './view.js';

/** Every page the TUI can show, by the view its route names: a route without a view does not compile. */
export const views: { readonly [V in ViewName]: ViewEntry<V> } = {
  projects: projectsView,
  clusters: clustersView,
  snapshots: snapshotsView,
  restores: restoresView,
  exports: exportsView,
  buckets: bucketsView,
  schedule: scheduleView,
  jobs: jobsView,
};

/** The view of a page, drawn in the room the shell gives it. */
export function renderView(route: Route, room: { width: number; height: number }): ReactNode {
  // views[v] draws the routes of view v, and route.view is v: the one place the compiler is told.
  const render = views[route.view].render as (props: {
    route: Route;
    width: number;
    height: number;
  }) => ReactNode;
  return render({ route, ...room });
}
