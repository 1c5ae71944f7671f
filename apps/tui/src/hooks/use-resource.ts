import { withPriority } from '@atlas-backups/core';
import { useEffect, useRef, useState } from 'react';

export interface ResourceState<T> {
  data: T | undefined;
  /** The last failure; cleared by the next success. Old data stays on screen meanwhile. */
  error: unknown;
  loading: boolean;
  /** Consecutive failures, for backoff. */
  failures: number;
  /** When the next automatic fetch is due (epoch ms), when one is scheduled. */
  nextAt: number | undefined;
  /** Fetches sent so far, as of the last change of state (tests read it). */
  fetches: number;
}

/**
 * Why a fetch runs: the view opened (`first`), its period came round (`auto`, sent as background
 * work), the user asked for fresh data (`asked`: `r`, or after a change), or the view wants the
 * next part of a long list (`more`: the user scrolled to it).
 */
export type FetchReason = 'first' | 'auto' | 'asked' | 'more';

export interface FetchContext<T> {
  reason: FetchReason;
  /** What is on screen now, to merge a fresh page into. */
  previous: T | undefined;
}

export interface ResourceOptions {
  /** Automatic refresh period; 0 turns it off. */
  refreshMs: number;
  /** Stretches a refresh period (the terminal is idle, Atlas is rate limiting). */
  pace?: ((periodMs: number) => number) | undefined;
  /** Backoff ceiling while fetches fail. */
  maxBackoffMs?: number;
  /** Changing it asks for a fetch now (the `r` key). */
  refreshToken?: number;
}

/** Next delay: the refresh period, doubled per consecutive failure, capped. */
export function nextDelay(refreshMs: number, failures: number, maxBackoffMs: number): number | undefined {
  if (failures === 0) return refreshMs > 0 ? refreshMs : undefined;
  const base = refreshMs > 0 ? refreshMs : 1_000;
  return Math.min(maxBackoffMs, base * 2 ** (failures - 1));
}

/**
 * Fetches `key`'s data and keeps it fresh. At most one request is in flight: a refresh asked for
 * meanwhile runs when it ends. While fetches fail, the period doubles up to `maxBackoffMs`.
 */
export function useResource<T>(
  key: string,
  fetcher: (signal: AbortSignal, context: FetchContext<T>) => Promise<T>,
  options: ResourceOptions,
): ResourceState<T> & { fetch: (reason: FetchReason) => void } {
  const [state, setState] = useState<ResourceState<T>>(() => initial());
  const fetcherRef = useRef(fetcher);
  fetcherRef.current = fetcher;
  const dataRef = useRef<T | undefined>(undefined);
  dataRef.current = state.data;
  const paceRef = useRef(options.pace);
  paceRef.current = options.pace;
  const controlRef = useRef<{ trigger: (reason: FetchReason) => void } | undefined>(undefined);
  const started = useRef(false);
  const maxBackoffMs = options.maxBackoffMs ?? 60_000;

  useEffect(() => {
    const abort = new AbortController();
    let inFlight = false;
    let again: FetchReason | undefined;
    let failures = 0;
    let fetches = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // A new key starts over. On mount the state is the initial one already, and setting it again
    // would draw the whole screen once more for nothing.
    if (started.current) setState(initial());
    started.current = true;

    const schedule = () => {
      const period = nextDelay(options.refreshMs, failures, maxBackoffMs);
      const delay = period === undefined ? undefined : (paceRef.current?.(period) ?? period);
      if (delay === undefined || abort.signal.aborted) {
        setState((s) => (s.nextAt === undefined ? s : { ...s, nextAt: undefined }));
        return;
      }
      timer = setTimeout(() => run('auto'), delay);
      timer.unref?.();
      setState((s) => ({ ...s, nextAt: Date.now() + delay }));
    };

    const run = (reason: FetchReason) => {
      if (abort.signal.aborted) return;
      if (inFlight) {
        // What the person asked for wins over a refresh nobody asked for.
        if (again === undefined || again === 'auto') again = reason;
        return;
      }
      if (timer) clearTimeout(timer);
      timer = undefined;
      inFlight = true;
      fetches += 1;
      // Already loading (the first fetch): the count goes out with the answer, one frame fewer.
      setState((s) => (s.loading ? s : { ...s, loading: true, fetches }));
      const context: FetchContext<T> = { reason, previous: dataRef.current };
      const fetching = () => fetcherRef.current(abort.signal, context);
      // Said outright both ways: React may run this effect from a task scheduled while a background
      // refresh was answering, and the person who just opened the view must not wait for the budget.
      withPriority(reason === 'auto' ? 'background' : 'interactive', fetching)
        .then(
          (data) => {
            failures = 0;
            dataRef.current = data;
            if (!abort.signal.aborted)
              setState((s) => ({ ...s, data, error: undefined, loading: false, failures, fetches }));
          },
          (error: unknown) => {
            failures += 1;
            if (!abort.signal.aborted) setState((s) => ({ ...s, error, loading: false, failures, fetches }));
          },
        )
        .finally(() => {
          inFlight = false;
          if (abort.signal.aborted) return;
          if (again !== undefined) {
            const next = again;
            again = undefined;
            run(next);
          } else schedule();
        });
    };

    controlRef.current = { trigger: run };
    run('first');
    return () => {
      abort.abort();
      if (timer) clearTimeout(timer);
      controlRef.current = undefined;
    };
  }, [key, options.refreshMs, maxBackoffMs]);

  const token = options.refreshToken ?? 0;
  const firstToken = useRef(token);
  useEffect(() => {
    if (token === firstToken.current) return;
    controlRef.current?.trigger('asked');
  }, [token]);

  const fetchRef = useRef((reason: FetchReason) => controlRef.current?.trigger(reason));
  return { ...state, fetch: fetchRef.current };
}

function initial<T>(): ResourceState<T> {
  return { data: undefined, error: undefined, loading: true, failures: 0, nextAt: undefined, fetches: 0 };
}

/** The resource's failure as one line for the screen, with when it is tried again. */
export function resourceProblem(
  state: ResourceState<unknown>,
  describe: (error: unknown) => string,
): string | undefined {
  if (state.error === undefined) return undefined;
  const text = describe(state.error);
  if (state.nextAt === undefined) return text;
  const seconds = Math.max(1, Math.round((state.nextAt - Date.now()) / 1000));
  return `${text} (retrying in ${seconds}s)`;
}
