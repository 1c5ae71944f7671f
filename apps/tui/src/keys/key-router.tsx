import { useInput, type Key } from 'ink';
import { createContext, useContext, useLayoutEffect, useMemo, useRef, type ReactNode } from 'react';

/** Return false to let the key fall through to the layer below. */
export type KeyHandler = (input: string, key: Key) => boolean | void;

/** Dialogs and prompts (modal) take keys before the view, the view before the global keys. */
export type KeyLayer = 'modal' | 'view' | 'global';

const rank: Record<KeyLayer, number> = { modal: 2, view: 1, global: 0 };

interface Entry {
  id: number;
  layer: KeyLayer;
  handler: { current: KeyHandler };
  active: { current: boolean | (() => boolean) };
}

/**
 * Sends each key to exactly one handler: the newest active one of the highest layer, falling
 * through only when it declines. Handlers are read at dispatch time, so keys typed faster than
 * React re-subscribes still see the latest state.
 */
export class KeyRouter {
  private entries: Entry[] = [];
  private nextId = 0;
  /** Ctrl-C goes here from anywhere, forms and dialogs included. */
  interrupt: (() => void) | undefined;

  add(entry: Omit<Entry, 'id'>): () => void {
    const full = { ...entry, id: this.nextId++ };
    this.entries.push(full);
    return () => {
      this.entries = this.entries.filter((e) => e !== full);
    };
  }

  dispatch(input: string, key: Key): void {
    if (key.ctrl && input === 'c' && this.interrupt) {
      this.interrupt();
      return;
    }
    const ordered = this.entries
      .filter((e) => (typeof e.active.current === 'function' ? e.active.current() : e.active.current))
      .sort((a, b) => rank[b.layer] - rank[a.layer] || b.id - a.id);
    for (const entry of ordered) {
      if (entry.handler.current(input, key) !== false) return;
      if (entry.layer === 'modal') return;
    }
  }
}

const KeyRouterContext = createContext<KeyRouter | undefined>(undefined);

export function KeyboardRoot({
  children,
  onInterrupt,
  onInput,
}: {
  children: ReactNode;
  onInterrupt?: () => void;
  /** Any key at all (someone is at the keyboard). */
  onInput?: () => void;
}) {
  const router = useMemo(() => new KeyRouter(), []);
  router.interrupt = onInterrupt;
  useInput((input, key) => {
    onInput?.();
    return router.dispatch(input, key);
  });
  return <KeyRouterContext.Provider value={router}>{children}</KeyRouterContext.Provider>;
}

/** `active` may be a function, read when a key arrives (state may be ahead of the last render). */
export function useKeys(
  handler: KeyHandler,
  layer: KeyLayer,
  active: boolean | (() => boolean) = true,
): void {
  const router = useContext(KeyRouterContext);
  if (!router) throw new Error('useKeys outside <KeyboardRoot>');
  const handlerRef = useRef(handler);
  handlerRef.current = handler;
  const activeRef = useRef(active);
  activeRef.current = active;
  // A layout effect registers before the next key can arrive; passive effects may come later.
  useLayoutEffect(() => router.add({ layer, handler: handlerRef, active: activeRef }), [router, layer]);
}
