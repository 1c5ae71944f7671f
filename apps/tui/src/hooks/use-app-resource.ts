import { useApp } from '../shell/app-context.js';
import {
  useResource,
  type FetchContext,
  type FetchReason,
  type ResourceOptions,
  type ResourceState,
} from './use-resource.js';

/**
 * A view's resource: `useResource` paced by the app (idle terminal, Atlas rate limiting) and
 * fetched again when the user asks for fresh data (`r`).
 */
export function useAppResource<T>(
  key: string,
  fetcher: (signal: AbortSignal, context: FetchContext<T>) => Promise<T>,
  options: Omit<ResourceOptions, 'pace' | 'refreshToken'>,
): ResourceState<T> & { fetch: (reason: FetchReason) => void } {
  const app = useApp();
  return useResource(key, fetcher, {
    ...options,
    pace: app.services.pace.delay,
    refreshToken: app.refreshToken,
  });
}
