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

export interface ResourceOptions {
  /** Automatic refresh period; 0 turns it off. */
  refreshMs: number;
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
  fetcher: (signal: AbortSignal) => Promise<T>,
  options: ResourceOptions,
): ResourceState<T> {
  const [state, setState] = useState<ResourceState<T>>(() => initial());
  const fetcherRef = useRef(fetcher);
  fetcherRef.current = fetcher;
  const controlRef = useRef<{ trigger: () => void } | undefined>(undefined);
  const started = useRef(false);
  const maxBackoffMs = options.maxBackoffMs ?? 60_000;

  useEffect(() => {
    const abort = new AbortController();
    let inFlight = false;
    let again = false;
    let failures = 0;
    let fetches = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // A new key starts over. On mount the state is the initial one already, and setting it again
    // would draw the whole screen once more for nothing.
    if (started.current) setState(initial());
    started.current = true;

    const schedule = () => {
      const delay = nextDelay(options.refreshMs, failures, maxBackoffMs);
      if (delay === undefined || abort.signal.aborted) {
        setState((s) => (s.nextAt === undefined ? s : { ...s, nextAt: undefined }));
        return;
      }
      timer = setTimeout(run, delay);
      timer.unref?.();
      setState((s) => ({ ...s, nextAt: Date.now() + delay }));
    };

    const run = () => {
      if (abort.signal.aborted) return;
      if (inFlight) {
        again = true;
        return;
      }
      if (timer) clearTimeout(timer);
      timer = undefined;
      inFlight = true;
      fetches += 1;
      // Already loading (the first fetch): the count goes out with the answer, one frame fewer.
      setState((s) => (s.loading ? s : { ...s, loading: true, fetches }));
      fetcherRef
        .current(abort.signal)
        .then(
          (data) => {
            failures = 0;
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
          if (again) {
            again = false;
            run();
          } else schedule();
        });
    };

    controlRef.current = { trigger: run };
    run();
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
    controlRef.current?.trigger();
  }, [token]);

  return state;
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
