import {
  actionForKind,
  deploymentRefusal,
  isActionName,
  type ActionName,
  type ClusterKind,
} from '@atlas-backups/core';
import type { Route } from '../navigation/routes.js';

/**
 * Keys as data: every key the app answers is a binding in a table, the tables are what `?`
 * prints and the footer hints at, and handlers are records keyed by the tables' actions, so
 * the compiler refuses a table whose action nobody handles.
 */
export interface Binding<A extends string = string> {
  /** Key names as `keyName` produces them: `enter`, `up`, `ctrl-r`, `n`, `R`. */
  keys: readonly string[];
  action: A;
  help: string;
  /** Changes something in Atlas: hidden in the footer and refused in read-only mode. */
  changes?: boolean;
  /** Label in the footer's short list; bindings without one are only in the help screen. */
  hint?: string;
}

/** A table of bindings whose actions keep their literal names (the union handlers must cover). */
export const bindings = <A extends string>(table: readonly Binding<A>[]): readonly Binding<A>[] => table;

export type ActionOf<T extends readonly Binding[]> = T[number]['action'];

/** One handler per action, given what the action applies to (the selected row, say) and the key. */
export type Handlers<A extends string, Arg = void> = { readonly [K in A]: (arg: Arg, key: string) => void };

export function findBinding<A extends string>(
  table: readonly Binding<A>[],
  name: string,
): Binding<A> | undefined {
  return table.find((b) => b.keys.includes(name));
}

export const globalKeys = bindings([
  { keys: ['?'], action: 'help', help: 'show the keys of this view', hint: 'help' },
  { keys: ['/'], action: 'filter', help: 'filter the list', hint: 'filter' },
  {
    keys: [':'],
    action: 'command',
    help: 'jump by command (:snapshots, :restores, :projects, :jobs …)',
    hint: 'command',
  },
  { keys: ['r', 'ctrl-r'], action: 'refresh', help: 'refresh now' },
  { keys: ['escape'], action: 'back', help: 'clear the filter, or go back', hint: 'back' },
  { keys: ['J'], action: 'jobs', help: 'jobs started from this terminal', hint: 'jobs' },
  { keys: ['q', 'ctrl-c'], action: 'quit', help: 'quit', hint: 'quit' },
]);
export type GlobalAction = ActionOf<typeof globalKeys>;

/** Moving through and sorting a list's rows (ListView handles them). */
export const listKeys = bindings([
  { keys: ['up', 'k'], action: 'up', help: 'previous row' },
  { keys: ['down', 'j'], action: 'down', help: 'next row' },
  { keys: ['pageup', 'ctrl-b'], action: 'pageUp', help: 'previous page' },
  { keys: ['pagedown', 'ctrl-f'], action: 'pageDown', help: 'next page' },
  { keys: ['home', 'g'], action: 'first', help: 'first row' },
  { keys: ['end', 'G'], action: 'last', help: 'last row' },
  { keys: ['s'], action: 'sort', help: 'sort by the next column', hint: 'sort' },
  { keys: ['S'], action: 'reverse', help: 'reverse the sort order' },
]);
export type ListAction = ActionOf<typeof listKeys>;

/** Moving between a cluster's tabs (the shell switches). */
export const tabKeys = bindings([
  {
    keys: ['tab', 'right'],
    action: 'nextTab',
    help: 'next tab (snapshots, restores, exports, buckets, schedule)',
    hint: 'tab',
  },
  { keys: ['shift-tab', 'left'], action: 'prevTab', help: 'previous tab' },
  { keys: ['1', '2', '3', '4', '5'], action: 'tabNumber', help: 'go to tab by number' },
]);
export type TabAction = ActionOf<typeof tabKeys>;

/** A view's keys: its own actions, then the tab and list keys it takes part in, in that order. */
export interface ViewKeys<A extends string = string, L extends boolean = boolean> {
  /** What the view does itself; each needs a handler in the view (the compiler checks). */
  actions: readonly Binding<A>[];
  tabs: boolean;
  list: L;
}

export const defineKeys = <A extends string, L extends boolean>(keys: ViewKeys<A, L>): ViewKeys<A, L> => keys;

/** Everything a view's keys do, in the order help and the footer show them. */
export function keyTable(keys: ViewKeys): readonly Binding[] {
  return [...keys.actions, ...(keys.tabs ? tabKeys : []), ...(keys.list ? listKeys : [])];
}

export const readOnlyReason = 'read-only mode (--read-only)';

/**
 * The core action a binding starts on this kind of deployment: `restore` opens the restore form
 * (its restores apply to the same deployments) and `download` its download; core picks the Flex
 * ones for a Flex cluster.
 */
function coreAction(action: string, kind: ClusterKind): ActionName | undefined {
  if (isActionName(action)) return action;
  if (action === 'restore') return actionForKind('restore.automated', kind);
  return action === 'download' ? actionForKind('restore.download', kind) : undefined;
}

/** Why an action cannot be used here, or undefined when it can. */
export function unavailableReason(binding: Binding, route: Route, readOnly: boolean): string | undefined {
  if (binding.changes && readOnly) return readOnlyReason;
  const cluster = 'cluster' in route ? route.cluster : undefined;
  const action = cluster ? coreAction(binding.action, cluster.kind) : undefined;
  const refused = binding.changes && cluster && action ? deploymentRefusal(action, cluster) : undefined;
  if (refused) return refused;
  if (binding.action === 'snapshot.take' && cluster && !cluster.backupEnabled) {
    return `cloud backup is off for ${cluster.name}`;
  }
  return undefined;
}
