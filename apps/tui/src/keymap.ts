import { deploymentRefusal, isActionName, type ActionName } from '@atlas-backups/core';
import type { Key } from 'ink';
import type { ClusterTab, Route, ViewName } from './routes.js';

/**
 * Every key the app answers, per view. The views dispatch from these tables and `?` prints them,
 * so help cannot drift from behaviour.
 */
export interface Binding<A extends string = string> {
  /** Key names as `keyName` produces them: `enter`, `up`, `ctrl-r`, `n`, `R`. */
  keys: string[];
  action: A;
  help: string;
  /** Changes something in Atlas: hidden in the footer and refused in read-only mode. */
  changes?: boolean;
  /** Label in the footer's short list; bindings without one are only in the help screen. */
  hint?: string;
}

export function keyName(input: string, key: Key): string {
  if (key.return) return 'enter';
  if (key.escape) return 'escape';
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.pageUp) return 'pageup';
  if (key.pageDown) return 'pagedown';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.tab) return key.shift ? 'shift-tab' : 'tab';
  if (key.backspace || key.delete) return 'backspace';
  if (key.ctrl && input.length === 1) return `ctrl-${input.toLowerCase()}`;
  // Text of more than one character is a paste (or fast typing): never a key, even when it reads
  // `enter` or `q`. Prompts and fields take it from `input`.
  return input.length === 1 || (input.length === 2 && (input.codePointAt(0) ?? 0) > 0xffff) ? input : '';
}

export const globalKeys: Binding[] = [
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
];

export const listKeys: Binding[] = [
  { keys: ['up', 'k'], action: 'up', help: 'previous row' },
  { keys: ['down', 'j'], action: 'down', help: 'next row' },
  { keys: ['pageup', 'ctrl-b'], action: 'pageUp', help: 'previous page' },
  { keys: ['pagedown', 'ctrl-f'], action: 'pageDown', help: 'next page' },
  { keys: ['home', 'g'], action: 'first', help: 'first row' },
  { keys: ['end', 'G'], action: 'last', help: 'last row' },
  { keys: ['s'], action: 'sort', help: 'sort by the next column', hint: 'sort' },
  { keys: ['S'], action: 'reverse', help: 'reverse the sort order' },
];

const tabKeys: Binding[] = [
  {
    keys: ['tab', 'right'],
    action: 'nextTab',
    help: 'next tab (snapshots, restores, exports, buckets, schedule)',
    hint: 'tab',
  },
  { keys: ['shift-tab', 'left'], action: 'prevTab', help: 'previous tab' },
  { keys: ['1', '2', '3', '4', '5'], action: 'tabNumber', help: 'go to tab by number' },
];

export const viewKeys: Record<ViewName, Binding[]> = {
  projects: [
    { keys: ['enter'], action: 'open', help: "open the project's clusters", hint: 'open' },
    ...listKeys,
  ],
  clusters: [
    { keys: ['enter'], action: 'open', help: "open the cluster's snapshots", hint: 'open' },
    ...listKeys,
  ],
  snapshots: [
    {
      keys: ['enter'],
      action: 'open',
      help: 'fetch the snapshot (serverless: with the Flex fallback)',
      hint: 'fetch',
    },
    {
      keys: ['n'],
      action: 'snapshot.take',
      help: 'take an on-demand snapshot',
      changes: true,
      hint: 'snapshot',
    },
    {
      keys: ['e'],
      action: 'snapshot.retention',
      help: "change the snapshot's retention",
      changes: true,
      hint: 'retention',
    },
    {
      keys: ['x'],
      action: 'export.create',
      help: 'export the snapshot to a bucket',
      changes: true,
      hint: 'export',
    },
    {
      keys: ['R'],
      action: 'restore',
      help: 'restore: onto a cluster, to a point in time, or download',
      changes: true,
      hint: 'restore',
    },
    ...tabKeys,
    ...listKeys,
  ],
  restores: [
    { keys: ['c'], action: 'restore.cancel', help: 'cancel the restore job', changes: true, hint: 'cancel' },
    { keys: ['w'], action: 'watch', help: 'watch the job in the jobs view', hint: 'watch' },
    { keys: ['R'], action: 'restore', help: 'start a restore', changes: true },
    ...tabKeys,
    ...listKeys,
  ],
  exports: [
    { keys: ['w'], action: 'watch', help: 'watch the job in the jobs view', hint: 'watch' },
    ...tabKeys,
    ...listKeys,
  ],
  buckets: [...tabKeys, ...listKeys],
  schedule: [...tabKeys],
  jobs: [
    { keys: ['enter'], action: 'open', help: 'go to the job’s cluster' },
    { keys: ['d'], action: 'dismiss', help: 'remove a finished job from the list', hint: 'dismiss' },
    ...listKeys,
  ],
};

export function findBinding(bindings: Binding[], name: string): Binding | undefined {
  return bindings.find((b) => b.keys.includes(name));
}

export const readOnlyReason = 'read-only mode (--read-only)';

/** The core action a binding starts; `restore` opens the form of the three restores, which apply alike. */
function coreAction(action: string): ActionName | undefined {
  if (isActionName(action)) return action;
  return action === 'restore' ? 'restore.automated' : undefined;
}

/** Why an action cannot be used here, or undefined when it can. */
export function unavailableReason(binding: Binding, route: Route, readOnly: boolean): string | undefined {
  if (binding.changes && readOnly) return readOnlyReason;
  const cluster = 'cluster' in route ? route.cluster : undefined;
  const action = coreAction(binding.action);
  if (binding.changes && cluster && action) {
    const refusal = deploymentRefusal(action, cluster);
    if (refusal) return refusal;
  }
  if (binding.action === 'snapshot.take' && cluster && !cluster.backupEnabled) {
    return `cloud backup is off for ${cluster.name}`;
  }
  return undefined;
}

export function tabAt(tabs: ClusterTab[], current: ClusterTab, step: number): ClusterTab {
  const index = tabs.indexOf(current);
  const next = (index + step + tabs.length) % tabs.length;
  return tabs[next] ?? current;
}
