import { Box, useApp as useInkApp } from 'ink';
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Text } from '../components/text.js';
import { ActionFlow, type FlowRequest } from '../forms/action-flow.js';
import { useSyncState } from '../hooks/use-sync-state.js';
import { useTerminalSize, type Size } from '../hooks/use-terminal-size.js';
import { findBinding, globalKeys, type GlobalAction, type Handlers } from '../keys/bindings.js';
import { KeyboardRoot, useKeys } from '../keys/key-router.js';
import { keyName } from '../keys/key-name.js';
import { resolveCommand } from '../navigation/commands.js';
import type { NavAction } from '../navigation/page-stack.js';
import { routeKey, type Route } from '../navigation/routes.js';
import { tabSwitch, type TabTarget } from '../navigation/tabs.js';
import { useNavigation } from '../navigation/use-navigation.js';
import type { AppServices } from '../services/app-services.js';
import type { TestFault } from '../startup/cli-args.js';
import { linesFor } from '../terminal/cells.js';
import { renderView, views } from '../views/registry.js';
import { AppContext, type AppContextValue, type Status } from './app-context.js';
import { Footer } from './footer.js';
import { Header, HeldBack, Location, locationTabs, RunningJobs } from './header.js';
import { HelpScreen } from './help-screen.js';
import { usePromptKeys, type Overlay } from './prompt-keys.js';
import { FaultTrigger } from './test-fault.js';
import { ViewBoundary } from './view-boundary.js';

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
  const { top, current, pages, navigate: move } = useNavigation(initialRoutes);
  const [overlay, setOverlay, overlayRef] = useSyncState<Overlay | undefined>(undefined);
  const [status, setStatus] = useState<Status | undefined>(initialStatus);
  const [refreshToken, setRefreshToken] = useState(0);
  const flows = useRef(0);
  const { route } = top;

  const quit = useCallback(() => {
    services.jobs.stopAll();
    if (onQuit) onQuit();
    else ink.exit();
  }, [services.jobs, onQuit, ink]);

  const navigate = useCallback(
    (action: NavAction) => {
      const before = pages().length;
      const after = move(action).length;
      // A page opened or closed starts with a clean status line; a tab, a jump or a filter keeps it.
      if (after !== before && (action.type === 'push' || action.type === 'open' || action.type === 'back'))
        setStatus(undefined);
    },
    [pages, move],
  );

  const switchTab = useCallback(
    (to: TabTarget) => {
      const switched = tabSwitch(current().route, to);
      if (!switched) return;
      if ('warn' in switched) setStatus({ kind: 'warn', text: switched.warn });
      else move({ type: 'replace', route: switched.route });
    },
    [current, move],
  );

  // The policy file is read again when it changes; a bad version is refused and the old one stays.
  useEffect(
    () =>
      services.policy.watch?.((result) =>
        setStatus(
          result.ok
            ? { kind: 'info', text: `Policy reloaded (version ${result.version}).` }
            : {
                kind: 'warn',
                text: `Policy file not reloaded, the previous version stays: ${result.error.message}`,
              },
        ),
      ),
    [services.policy],
  );

  const openFlow = useCallback(
    (request: FlowRequest) => {
      flows.current += 1;
      setOverlay({ kind: 'flow', request, id: flows.current });
      setStatus(undefined);
    },
    [setOverlay],
  );

  const runCommand = (text: string) => {
    const outcome = resolveCommand(text, current().route);
    switch (outcome.kind) {
      case 'navigate':
        return navigate(outcome.action);
      case 'help':
        return setOverlay({ kind: 'help' });
      case 'quit':
        return quit();
      case 'warn':
        return setStatus({ kind: 'warn', text: outcome.text });
      case 'none':
        return;
    }
  };

  const global: Handlers<GlobalAction> = {
    help: () => setOverlay({ kind: 'help' }),
    filter: () => {
      if (views[current().route.view].filterable) setOverlay({ kind: 'filter' });
    },
    command: () => setOverlay({ kind: 'command', text: '' }),
    refresh: () => {
      setRefreshToken((t) => t + 1);
      setStatus({ kind: 'info', text: 'Refreshing…' });
    },
    back: () => navigate({ type: 'back' }),
    jobs: () => navigate({ type: 'open', route: { view: 'jobs' } }),
    quit,
  };
  useKeys(
    (input, key) => {
      const name = keyName(input, key);
      const binding = findBinding(globalKeys, name);
      if (!binding) return false;
      global[binding.action](undefined, name);
    },
    'global',
    () => overlayRef.current === undefined,
  );

  usePromptKeys({
    overlay: overlayRef,
    setOverlay,
    filter: () => current().filter,
    setFilter: (text) => move({ type: 'filter', text }),
    runCommand,
  });

  const context: AppContextValue = useMemo(
    () => ({
      services,
      active: () => overlayRef.current === undefined,
      filter: top.filter,
      refreshToken,
      setStatus,
      navigate,
      switchTab,
      openFlow,
      now,
    }),
    [services, overlay, top.filter, refreshToken, navigate, switchTab, openFlow, now],
  );

  const width = size.columns;
  const statusLines = status && !overlay ? linesFor(status.text, width) : 1;
  const bodyHeight = Math.max(3, size.rows - 4 - statusLines - (locationTabs(route) ? 1 : 0));
  const { keys } = views[route.view];

  // The view stays mounted under a dialog or help, so its rows, selection and sort survive.
  let cover: ReactNode;
  if (overlay?.kind === 'help') {
    cover = (
      <HelpScreen
        route={route}
        keys={keys}
        readOnly={services.readOnly}
        auditPath={services.auditPath}
        policySource={services.policy.source}
        width={width}
        height={bodyHeight}
      />
    );
  } else if (overlay?.kind === 'flow') {
    cover = (
      <ActionFlow
        key={overlay.id}
        request={overlay.request}
        width={Math.min(width, 120)}
        onClose={(changed, then) => {
          setOverlay(undefined);
          if (changed) setRefreshToken((t) => t + 1);
          if (then === 'jobs') navigate({ type: 'open', route: { view: 'jobs' } });
        }}
      />
    );
  }

  return (
    <AppContext.Provider value={context}>
      <Box flexDirection="column" width={width} height={size.rows - 1}>
        <Header mode={services.mode} readOnly={services.readOnly}>
          <Text>{` ${services.banner}`}</Text>
          <RunningJobs jobs={services.jobs} />
          <HeldBack scheduler={services.client.scheduler} />
        </Header>
        <Location route={route} />
        <Box height={bodyHeight} flexDirection="column">
          {cover ? (
            <Box flexDirection="column" height={bodyHeight}>
              {cover}
            </Box>
          ) : null}
          <Box display={cover ? 'none' : 'flex'} flexDirection="column">
            <ViewBoundary resetKey={routeKey(route)}>
              {renderView(route, { width, height: bodyHeight })}
            </ViewBoundary>
          </Box>
        </Box>
        <Footer
          prompt={overlay?.kind === 'command' || overlay?.kind === 'filter' ? overlay : undefined}
          status={status}
          filter={top.filter}
          route={route}
          keys={keys}
          readOnly={services.readOnly}
        />
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
    <KeyboardRoot onInterrupt={interrupt} onInput={() => props.services.pace.touch()}>
      <Shell {...props} />
      {props.testFault ? <FaultTrigger fault={props.testFault} /> : null}
    </KeyboardRoot>
  );
}
