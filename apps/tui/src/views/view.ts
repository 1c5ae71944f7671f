import { createElement, type ComponentType, type ReactNode } from 'react';
import { keyTable, type Binding, type ViewKeys } from '../keys/bindings.js';
import type { RouteOf, ViewName } from '../navigation/routes.js';

/** What the shell gives a view: its page's route, its keys (from the registry) and its room. */
export interface ViewProps<V extends ViewName, K extends ViewKeys> {
  route: RouteOf<V>;
  keys: K;
  width: number;
  height: number;
}

/** A view as the shell knows it: its keys and how to draw it for a route. */
export interface ViewEntry<V extends ViewName> {
  view: V;
  /** Every key of the view, in the order help and the footer show them. */
  keys: readonly Binding[];
  /** Whether `/` filters it (lists only). */
  filterable: boolean;
  // A property, not a method: a view drawn for another view's route does not compile.
  render: (props: { route: RouteOf<V>; width: number; height: number }) => ReactNode;
}

/** Registers a view: the component is handed exactly the keys help and the footer show for it. */
export function defineView<V extends ViewName, K extends ViewKeys>(
  view: V,
  keys: K,
  Component: ComponentType<ViewProps<V, K>>,
): ViewEntry<V> {
  return {
    view,
    keys: keyTable(keys),
    filterable: keys.list,
    render: (props) => createElement(Component, { ...props, keys }),
  };
}

/** Handlers of actions on the selected row; without one, `none` says what to select. */
export const onSelected =
  <T>(none: () => void) =>
  (run: (row: T) => void) =>
  (row: T | undefined): void => {
    if (row === undefined) none();
    else run(row);
  };
