import { useCallback } from 'react';
import { useSyncState } from '../hooks/use-sync-state.js';
import { navigate, pagesFor, topPage, type NavAction, type Page, type PageStack } from './page-stack.js';
import type { Route } from './routes.js';

export interface Navigation {
  stack: PageStack;
  /** The page on screen as of this render. */
  top: Page;
  /** The page on screen now, which key handlers may be ahead of the last render on. */
  current: () => Page;
  /** All pages now (as `current`). */
  pages: () => PageStack;
  /** Applies the action and returns the pages it leaves. */
  navigate: (action: NavAction) => PageStack;
}

/** The page stack as a reducer whose latest state key handlers can read at once. */
export function useNavigation(initial: readonly Route[] | undefined): Navigation {
  const [stack, setStack, stackRef] = useSyncState<PageStack>(() => pagesFor(initial ?? []));
  const current = useCallback(() => topPage(stackRef.current), [stackRef]);
  const pages = useCallback(() => stackRef.current, [stackRef]);
  const apply = useCallback(
    (action: NavAction) => {
      const next = navigate(stackRef.current, action);
      if (next !== stackRef.current) setStack(next);
      return next;
    },
    [stackRef, setStack],
  );
  return { stack, top: topPage(stack), current, pages, navigate: apply };
}
