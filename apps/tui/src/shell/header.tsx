import type { RequestScheduler } from '@atlas-backups/core';
import { useSyncExternalStore, type ReactNode } from 'react';
import { Text } from '../components/text.js';
import { tabsFor } from '../navigation/deployment-kinds.js';
import { breadcrumbs, routeCluster, type Route } from '../navigation/routes.js';
import type { JobsStore } from '../services/jobs-store.js';

/**
 * The top line, from the first frame (while Atlas is opened) to the last: where the data comes
 * from, whether changes are off, then what the caller adds.
 */
export function Header({
  mode,
  readOnly,
  children,
}: {
  mode: 'atlas' | 'simulator';
  readOnly: boolean;
  children: ReactNode;
}) {
  return (
    <Text wrap="truncate">
      {mode === 'simulator' ? (
        <Text backgroundColor="yellow" color="black" bold>
          {' SIMULATOR '}
        </Text>
      ) : (
        <Text backgroundColor="green" color="black" bold>
          {' ATLAS '}
        </Text>
      )}
      {readOnly ? (
        <Text backgroundColor="red" color="white" bold>
          {' READ-ONLY '}
        </Text>
      ) : null}
      {children}
    </Text>
  );
}

/** How many of the jobs started here still run (redrawn on its own as they move). */
export function RunningJobs({ jobs }: { jobs: JobsStore }) {
  const list = useSyncExternalStore(jobs.subscribe, jobs.getSnapshot);
  const running = list.filter((j) => !j.done).length;
  if (running === 0) return null;
  return <Text color="cyan">{`  ⟳ ${running} job${running === 1 ? '' : 's'} running (J)`}</Text>;
}

/** Says when refreshes wait for the request budget or for Atlas's rate limit to pass. */
export function HeldBack({ scheduler }: { scheduler: RequestScheduler }) {
  const held = useSyncExternalStore(scheduler.subscribe, scheduler.getHeldBack);
  if (held === 0) return null;
  return <Text color="yellow">{`  ⏸ ${held} held back (budget)`}</Text>;
}

/** A cluster's tabs, on pages that are one of them. */
export function locationTabs(route: Route) {
  const cluster = routeCluster(route);
  return cluster ? tabsFor(cluster.kind) : undefined;
}

/** Where the page is: breadcrumbs, and the cluster's tabs with the current one marked. */
export function Location({ route }: { route: Route }) {
  const tabs = locationTabs(route);
  return (
    <>
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
    </>
  );
}
