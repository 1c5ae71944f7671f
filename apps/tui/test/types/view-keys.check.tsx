/**
 * Compile-time checks (`pnpm run typecheck` reads this file; nothing runs it): a view that
 * declares a key's action must handle it, and a view is drawn only for its own routes. Each
 * `@ts-expect-error` fails the typecheck if the mistake below it ever compiles.
 */
import { defineKeys, type ActionOf, type Handlers } from '../../src/keys/bindings.js';
import { ListView } from '../../src/views/list-view.js';
import { useViewKeys } from '../../src/views/use-view-keys.js';
import { defineView, type ViewEntry, type ViewProps } from '../../src/views/view.js';

const keys = defineKeys({
  actions: [
    { keys: ['w'], action: 'watch', help: 'watch the job' },
    { keys: ['c'], action: 'cancel', help: 'cancel the job', changes: true },
  ],
  tabs: false,
  list: true,
});

const listProps = {
  rows: [] as string[],
  loading: false,
  columns: [],
  rowKey: (row: string) => row,
  detailTitle: (row: string) => row,
  detail: () => [],
  emptyText: '',
  width: 80,
  height: 20,
};

export function EveryActionHandled(props: ViewProps<'jobs', typeof keys>) {
  return (
    <ListView
      {...listProps}
      route={props.route}
      keys={props.keys}
      handlers={{ watch: () => undefined, cancel: () => undefined }}
    />
  );
}

export function AnActionUnhandled(props: ViewProps<'jobs', typeof keys>) {
  return (
    <ListView
      {...listProps}
      route={props.route}
      keys={props.keys}
      // @ts-expect-error `cancel` is declared and has no handler
      handlers={{ watch: () => undefined }}
    />
  );
}

export function AHandlerForNoKey(props: ViewProps<'jobs', typeof keys>) {
  return (
    <ListView
      {...listProps}
      route={props.route}
      keys={props.keys}
      // @ts-expect-error `dismiss` is no key of this view
      handlers={{ watch: () => undefined, cancel: () => undefined, dismiss: () => undefined }}
    />
  );
}

type JobHandlers = Handlers<ActionOf<typeof keys.actions>, string | undefined>;
// @ts-expect-error the handler record must cover every declared action
export const unhandled: JobHandlers = { watch: () => undefined };

export const tabsOnly = defineKeys({ actions: [], tabs: true, list: false });

export function ListKeysWithoutAList(props: ViewProps<'schedule', typeof tabsOnly>) {
  // @ts-expect-error keys without the list's take no list handlers…
  useViewKeys({ route: props.route, keys: props.keys, handlers: {}, target: () => undefined, list: {} });
  return null;
}

export function ListKeysUnhandled(props: ViewProps<'jobs', typeof keys>) {
  useViewKeys({
    route: props.route,
    keys: props.keys,
    handlers: { watch: () => undefined, cancel: () => undefined },
    target: () => undefined,
    // @ts-expect-error …and keys with them need them all
    list: undefined,
  });
  return null;
}

export const jobsEntry: ViewEntry<'jobs'> = defineView('jobs', keys, EveryActionHandled);

// @ts-expect-error a view for jobs pages cannot be registered for the restores pages
export const misplaced: ViewEntry<'restores'> = defineView('jobs', keys, EveryActionHandled);

// @ts-expect-error nor drawn for them under their name
export const misnamed = defineView('restores', keys, EveryActionHandled);
