import { Box, useApp as useInkApp } from 'ink';
import { Component, useCallback, useMemo, useState, useSyncExternalStore, type ReactNode } from 'react';
import { ActionFlow, type FlowRequest } from '../forms/action-flow.js';
import { AppContext, type AppContextValue, type Status } from './app-context.js';
import { describeError } from '../terminal/format.js';
import { HelpScreen } from './help-screen.js';
import { KeyboardRoot, useKeys } from '../keys/key-router.js';
import { findBinding, globalKeys, keyName, tabAt, unavailableReason, viewKeys } from '../keys/keymap.js';
import { editLine, lineAtEnd } from '../terminal/line-editor.js';
import {
  breadcrumbs,
  matchCommands,
  routeCluster,
  routeProject,
  tabsFor,
  type ClusterTab,
  type Route,
} from '../navigation/routes.js';
import type { AppServices } from '../services/app-services.js';
import { useTerminalSize, type Size } from '../hooks/use-terminal-size.js';
import { useSyncState } from '../hooks/use-sync-state.js';
import { linesFor } from '../components/list-view.js';
import { BucketsView } from '../views/buckets.js';
import { ClustersView } from '../views/clusters.js';
import { ExportsView } from '../views/exports.js';
import { JobsView } from '../views/jobs.js';
import { ProjectsView } from '../views/projects.js';
import { RestoresView } from '../views/restores.js';
import { ScheduleView } from '../views/schedule.js';
import { SnapshotsView } from '../views/snapshots.js';
import { Text } from '../components/text.js';
import type { TestFault } from '../startup/cli-args.js';
import { FaultTrigger } from './test-fault.js';

export interface AppProps {
  services: AppServices;
  /** Fixed terminal size (tests, benchmarks); otherwise the terminal's, following resizes. */
  size?: Size;
  initialRoutes?: Route[];
  initialStatus?: Status | undefined;
  onQuit?: () => void;
  now?: () => number;
  /** Only for the crash tests on the simulator (see test-fault.tsx). */
  testFault?: TestFault;
}

interface Frame {
  route: Route;
  filter: string;
}

type Overlay =
  | { kind: 'help' }
  | { kind: 'command'; text: string }
  | { kind: 'filter' }
  | { kind: 'flow'; request: FlowRequest; id: number };

const statusColor = { info: undefined, ok: 'green', warn: 'yellow', error: 'red' } as const;

/** Keeps a rendering bug in one view from taking the whole terminal down. */
class ViewBoundary extends Component<
  { children: ReactNode; resetKey: string },
  { error: unknown; key: string }
> {
  override state = { error: undefined as unknown, key: this.props.resetKey };
  static getDerivedStateFromError(error: unknown) {
    return { error };
  }
  static getDerivedStateFromProps(props: { resetKey: string }, state: { error: unknown; key: string }) {
    return props.resetKey === state.key ? null : { error: undefined, key: props.resetKey };
  }
  override render() {
    if (this.state.error !== undefined)
      return (
        <Text color="red">{`✖ This view failed: ${describeError(this.state.error).text} (esc: back)`}</Text>
      );
    return this.props.children;
  }
}

function Shell({
  services,
  size: fixedSize,
  initialRoutes,
  initialStatus,
  onQuit,
  now = Date.now,
}: AppProps) {
  const ink = useInkApp();
  const size = useTerminalSize(fixedSize);
  const [stack, setStack, stackRef] = useSyncState<Frame[]>(() =>
    (initialRoutes ?? [{ view: 'projects' }]).map((route) => ({ route, filter: '' })),
  );
  const [overlay, setOverlay, overlayRef] = useSyncState<Overlay | undefined>(undefined);
  const [status, setStatus] = useState<Status | undefined>(initialStatus);
  const [refreshToken, setRefreshToken] = useState(0);
  const jobsList = useSyncExternalStore(services.jobs.subscribe, services.jobs.getSnapshot);
  const running = jobsList.filter((j) => !j.done).length;

  const topOf = (frames: Frame[]): Frame =>
    frames[frames.length - 1] ?? { route: { view: 'projects' }, filter: '' };
  const top = topOf(stack);
  const route = top.route;
  // Handlers read the latest frames, which may be ahead of the last render.
  const current = () => topOf(stackRef.current);
  const setFilter = (filter: string) => setStack((s) => [...s.slice(0, -1), { ...topOf(s), filter }]);

  const quit = useCallback(() => {
    services.jobs.stopAll();
    if (onQuit) onQuit();
    else ink.exit();
  }, [services.jobs, onQuit, ink]);

  const push = useCallback((next: Route) => {
    setStack((s) => [...s, { route: next, filter: '' }]);
    setStatus(undefined);
  }, []);

  const switchTab = useCallback(
    (to: ClusterTab | number | 'next' | 'prev') => {
      const route = topOf(stackRef.current).route;
      const cluster = routeCluster(route);
      const project = routeProject(route);
      if (
        !cluster ||
        !project ||
        route.view === 'clusters' ||
        route.view === 'projects' ||
        route.view === 'jobs'
      )
        return;
      const tabs = tabsFor(cluster.kind);
      const current = route.view as ClusterTab;
      const tab =
        typeof to === 'number'
          ? tabs[to]
          : to === 'next'
            ? tabAt(tabs, current, 1)
            : to === 'prev'
              ? tabAt(tabs, current, -1)
              : to;
      if (!tab || !tabs.includes(tab)) {
        setStatus({ kind: 'warn', text: `${cluster.name} has no ${String(to)} view` });
        return;
      }
      setStack((s) => [...s.slice(0, -1), { route: { view: tab, project, cluster }, filter: '' }]);
    },
    [setStack, stackRef],
  );

  const back = () => {
    if (current().filter) {
      setFilter('');
      return;
    }
    if (stackRef.current.length > 1) {
      setStack((s) => s.slice(0, -1));
      setStatus(undefined);
    }
  };

  const runCommand = (text: string) => {
    const wanted = text.trim().toLowerCase().replace(/^:/, '');
    if (wanted === '') return;
    const exact = matchCommands(wanted).find((c) => c.name === wanted);
    const command = exact ?? matchCommands(wanted)[0];
    if (!command) {
      setStatus({
        kind: 'warn',
        text: `No command :${wanted} (try :projects, :snapshots, :restores, :jobs)`,
      });
      return;
    }
    const route = current().route;
    const project = routeProject(route);
    const cluster = routeCluster(route);
    switch (command.name) {
      case 'projects':
        setStack([{ route: { view: 'projects' }, filter: '' }]);
        return;
      case 'clusters':
        if (!project) return setStatus({ kind: 'warn', text: 'Open a project first (Enter on a project).' });
        setStack((s) => {
          const base = s.findIndex(
            (f) => f.route.view === 'clusters' && routeProject(f.route)?.id === project.id,
          );
          return base >= 0
            ? s.slice(0, base + 1)
            : [...s, { route: { view: 'clusters', project }, filter: '' }];
        });
        return;
      case 'jobs':
        if (route.view !== 'jobs') push({ view: 'jobs' });
        return;
      case 'help':
        setOverlay({ kind: 'help' });
        return;
      case 'quit':
        quit();
        return;
      case 'buckets':
        if (cluster && tabsFor(cluster.kind).includes('buckets')) return switchTab('buckets');
        if (!project) return setStatus({ kind: 'warn', text: 'Open a project first (Enter on a project).' });
        push({ view: 'buckets', project });
        return;
      default: {
        const tab = command.name as ClusterTab;
        if (!cluster || !project)
          return setStatus({
            kind: 'warn',
            text: `:${tab} needs a cluster: open one first (Enter on a cluster).`,
          });
        switchTab(tab);
      }
    }
  };

  const [flowId, setFlowId] = useState(0);
  const openFlow = useCallback((request: FlowRequest) => {
    setFlowId((n) => n + 1);
    setOverlay({ kind: 'flow', request, id: Date.now() });
    setStatus(undefined);
  }, []);

  useKeys(
    (input, key) => {
      const name = keyName(input, key);
      const binding = findBinding(globalKeys, name);
      if (!binding) return false;
      switch (binding.action) {
        case 'help':
          return setOverlay({ kind: 'help' });
        case 'filter':
          if (current().route.view === 'schedule') return;
          return setOverlay({ kind: 'filter' });
        case 'command':
          return setOverlay({ kind: 'command', text: '' });
        case 'refresh':
          setRefreshToken((t) => t + 1);
          return setStatus({ kind: 'info', text: 'Refreshing…' });
        case 'back':
          return back();
        case 'jobs':
          if (current().route.view !== 'jobs') push({ view: 'jobs' });
          return;
        case 'quit':
          return quit();
      }
    },
    'global',
    () => overlayRef.current === undefined,
  );

  // Keys for the prompts (filter, command) and the help screen. While a form opens, keys typed
  // before it is drawn are dropped rather than sent to the list behind it.
  useKeys(
    (input, key) => {
      const overlay = overlayRef.current;
      if (!overlay || overlay.kind === 'flow') return;
      const top = current();
      const name = keyName(input, key);
      if (overlay.kind === 'help') {
        if (name === 'escape' || name === '?' || name === 'q' || name === 'enter') setOverlay(undefined);
        return;
      }
      if (overlay.kind === 'filter') {
        if (name === 'enter') return setOverlay(undefined);
        if (name === 'escape') {
          setFilter('');
          return setOverlay(undefined);
        }
        const edited = editLine(lineAtEnd(top.filter), name, input, key.ctrl || key.meta);
        if (edited) setFilter(edited.text);
        return;
      }
      // command prompt
      if (name === 'escape') return setOverlay(undefined);
      if (name === 'enter') {
        setOverlay(undefined);
        return runCommand(overlay.text);
      }
      if (name === 'tab') {
        const first = matchCommands(overlay.text)[0];
        if (first) setOverlay({ kind: 'command', text: first.name });
        return;
      }
      if (name === 'backspace' && overlay.text === '') return setOverlay(undefined);
      const edited = editLine(lineAtEnd(overlay.text), name, input, key.ctrl || key.meta);
      if (edited) setOverlay({ kind: 'command', text: edited.text });
    },
    'modal',
    () => overlayRef.current !== undefined,
  );

  const context: AppContextValue = useMemo(
    () => ({
      services,
      active: () => overlayRef.current === undefined,
      filter: top.filter,
      refreshToken,
      setStatus,
      push,
      switchTab,
      openFlow,
      now,
    }),
    [services, overlay, top.filter, refreshToken, push, switchTab, openFlow, now],
  );

  const width = size.columns;
  const statusLines = status && !overlay ? linesFor(status.text, width) : 1;
  const project = routeProject(route);
  const cluster = routeCluster(route);
  const tabs = cluster && route.view !== 'clusters' ? tabsFor(cluster.kind) : undefined;
  const bodyHeight = Math.max(3, size.rows - 4 - statusLines - (tabs ? 1 : 0));

  // The view stays mounted under a dialog or help, so its rows, selection and sort survive.
  let view: ReactNode;
  let cover: ReactNode;
  const viewProps = { route, width, height: bodyHeight };
  if (overlay?.kind === 'help') {
    cover = (
      <HelpScreen
        route={route}
        readOnly={services.readOnly}
        auditPath={services.auditPath}
        width={width}
        height={bodyHeight}
      />
    );
  } else if (overlay?.kind === 'flow') {
    cover = (
      <ActionFlow
        key={flowId}
        request={overlay.request}
        width={Math.min(width, 120)}
        onClose={(changed, then) => {
          setOverlay(undefined);
          if (changed) setRefreshToken((t) => t + 1);
          if (then === 'jobs' && current().route.view !== 'jobs') push({ view: 'jobs' });
        }}
      />
    );
  }
  if (route.view === 'projects') view = <ProjectsView {...viewProps} />;
  else if (route.view === 'jobs') view = <JobsView {...viewProps} />;
  else if (route.view === 'clusters') view = <ClustersView {...viewProps} project={route.project} />;
  else if (route.view === 'buckets' && project) view = <BucketsView {...viewProps} project={project} />;
  else if (project && cluster) {
    if (route.view === 'snapshots')
      view = <SnapshotsView {...viewProps} project={project} cluster={cluster} />;
    else if (route.view === 'restores')
      view = <RestoresView {...viewProps} project={project} cluster={cluster} />;
    else if (route.view === 'exports')
      view = <ExportsView {...viewProps} project={project} cluster={cluster} />;
    else if (route.view === 'schedule')
      view = <ScheduleView project={project} cluster={cluster} width={width} height={bodyHeight} />;
  }

  const hints = [...viewKeys[route.view], ...globalKeys]
    .filter((b) => b.hint && !(b.changes && unavailableReason(b, route, services.readOnly)))
    .map((b) => `${b.keys[0] === 'escape' ? 'esc' : b.keys[0]} ${b.hint}`);

  const bottom =
    overlay?.kind === 'command' ? (
      <Text wrap="truncate">
        <Text color="cyan">{`:${overlay.text}▏`}</Text>
        <Text dimColor>{`  ${matchCommands(overlay.text)
          .map((c) => c.name)
          .join(' ')}`}</Text>
      </Text>
    ) : overlay?.kind === 'filter' ? (
      <Text color="cyan" wrap="truncate">{`/${top.filter}▏  (enter: keep · esc: clear)`}</Text>
    ) : status ? (
      <Text color={statusColor[status.kind]}>{status.text}</Text>
    ) : (
      <Text dimColor wrap="truncate">
        {top.filter ? `filter /${top.filter} (esc clears)` : ' '}
      </Text>
    );

  return (
    <AppContext.Provider value={context}>
      <Box flexDirection="column" width={width} height={size.rows - 1}>
        <Text wrap="truncate">
          {services.mode === 'simulator' ? (
            <Text backgroundColor="yellow" color="black" bold>
              {' SIMULATOR '}
            </Text>
          ) : (
            <Text backgroundColor="green" color="black" bold>
              {' ATLAS '}
            </Text>
          )}
          {services.readOnly ? (
            <Text backgroundColor="red" color="white" bold>
              {' READ-ONLY '}
            </Text>
          ) : null}
          <Text>{` ${services.banner}`}</Text>
          {running > 0 ? (
            <Text color="cyan">{`  ⟳ ${running} job${running === 1 ? '' : 's'} running (J)`}</Text>
          ) : null}
        </Text>
        <Text wrap="truncate">
          <Text color="cyan">{breadcrumbs(route).join(' › ')}</Text>
        </Text>
        {tabs ? (
          <Text wrap="truncate">
            {tabs.map((t, i) => (
              <Text key={t} inverse={t === route.view}>{` ${i + 1}:${t} `}</Text>
            ))}
          </Text>
        ) : null}
        <Box height={bodyHeight} flexDirection="column">
          {cover ? (
            <Box flexDirection="column" height={bodyHeight}>
              {cover}
            </Box>
          ) : null}
          <Box display={cover ? 'none' : 'flex'} flexDirection="column">
            <ViewBoundary resetKey={`${route.view}:${project?.id ?? ''}:${cluster?.name ?? ''}`}>
              {view}
            </ViewBoundary>
          </Box>
        </Box>
        {bottom}
        <Text dimColor wrap="truncate">
          {hints.join(' · ')}
        </Text>
      </Box>
    </AppContext.Provider>
  );
}

/** The whole terminal UI; keys go through one router so each press reaches exactly one handler. */
export function App(props: AppProps) {
  const ink = useInkApp();
  const { jobs } = props.services;
  const interrupt = () => {
    jobs.stopAll();
    if (props.onQuit) props.onQuit();
    else ink.exit();
  };
  return (
    <KeyboardRoot onInterrupt={interrupt}>
      <Shell {...props} />
      {props.testFault ? <FaultTrigger fault={props.testFault} /> : null}
    </KeyboardRoot>
  );
}
