import { useCallback, useRef, useState } from 'react';

/**
 * State whose latest value key handlers can read at once. Ink renders after a key press
 * asynchronously, so a second key arriving before that render would otherwise see the old
 * value (and, say, a fast typist would lose characters).
 */
export function useSyncState<T>(
  initial: T | (() => T),
): [T, (next: T | ((previous: T) => T)) => void, { readonly current: T }] {
  const [state, setState] = useState(initial);
  const ref = useRef(state);
  const set = useCallback((next: T | ((previous: T) => T)) => {
    const value = typeof next === 'function' ? (next as (previous: T) => T)(ref.current) : next;
    ref.current = value;
    setState(value);
  }, []);
  return [state, set, ref];
}
