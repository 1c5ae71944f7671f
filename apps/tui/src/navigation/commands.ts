import { tabsFor } from './deployment-kinds.js';
import type { NavAction } from './page-stack.js';
import { routeCluster, routeProject, type ClusterTab, type Route } from './routes.js';
import { tabSwitch } from './tabs.js';

export type CommandName = ClusterTab | 'projects' | 'clusters' | 'jobs' | 'help' | 'quit';

export interface Command {
  name: CommandName;
  help: string;
}

/** Commands for `:`; the same names the views have. */
export const commands: readonly Command[] = [
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

/** What a command asks of the shell; the page stack itself is not the commands' business. */
export type CommandOutcome =
  | { kind: 'navigate'; action: NavAction }
  | { kind: 'help' }
  | { kind: 'quit' }
  | { kind: 'warn'; text: string }
  | { kind: 'none' };

const warn = (text: string): CommandOutcome => ({ kind: 'warn', text });
const needsProject = warn('Open a project first (Enter on a project).');

function toTab(route: Route, tab: ClusterTab): CommandOutcome {
  const switched = tabSwitch(route, tab);
  if (!switched) return { kind: 'none' };
  if ('warn' in switched) return warn(switched.warn);
  return { kind: 'navigate', action: { type: 'replace', route: switched.route } };
}

/** Reads what was typed at `:` (a prefix is enough) against the page on screen. */
export function resolveCommand(text: string, route: Route): CommandOutcome {
  const wanted = text.trim().toLowerCase().replace(/^:/, '');
  if (wanted === '') return { kind: 'none' };
  const matches = matchCommands(wanted);
  const command = matches.find((c) => c.name === wanted) ?? matches[0];
  if (!command) return warn(`No command :${wanted} (try :projects, :snapshots, :restores, :jobs)`);
  const project = routeProject(route);
  const cluster = routeCluster(route);
  switch (command.name) {
    case 'projects':
      return { kind: 'navigate', action: { type: 'reset', routes: [{ view: 'projects' }] } };
    case 'clusters':
      if (!project) return needsProject;
      return { kind: 'navigate', action: { type: 'unwindTo', route: { view: 'clusters', project } } };
    case 'jobs':
      return { kind: 'navigate', action: { type: 'open', route: { view: 'jobs' } } };
    case 'help':
      return { kind: 'help' };
    case 'quit':
      return { kind: 'quit' };
    case 'buckets':
      if (cluster && tabsFor(cluster.kind).includes('buckets')) return toTab(route, 'buckets');
      if (!project) return needsProject;
      return { kind: 'navigate', action: { type: 'push', route: { view: 'buckets', project } } };
    case 'snapshots':
    case 'restores':
    case 'exports':
    case 'schedule':
      if (!cluster || !project)
        return warn(`:${command.name} needs a cluster: open one first (Enter on a cluster).`);
      return toTab(route, command.name);
  }
}
