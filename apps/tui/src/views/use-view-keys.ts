import { useKeys } from '../keys/key-router.js';
import { keyName } from '../keys/key-name.js';
import {
  findBinding,
  keyTable,
  listKeys,
  tabKeys,
  unavailableReason,
  type Binding,
  type Handlers,
  type ListAction,
  type TabAction,
  type ViewKeys,
} from '../keys/bindings.js';
import type { Route } from '../navigation/routes.js';
import { useApp } from '../shell/app-context.js';

export interface ViewKeyOptions<A extends string, T, L extends boolean> {
  route: Route;
  keys: ViewKeys<A, L>;
  /** One handler per action the view declares. */
  handlers: Handlers<NoInfer<A>, T>;
  /** What the view's actions apply to when a key arrives (the selected row). */
  target(): T;
  /** Moving and sorting rows: required exactly when the keys include the list's. */
  list: L extends true ? Handlers<ListAction> : undefined;
}

const isListBinding = (b: Binding): b is Binding<ListAction> => (listKeys as readonly Binding[]).includes(b);
const isTabBinding = (b: Binding): b is Binding<TabAction> => (tabKeys as readonly Binding[]).includes(b);

/**
 * Sends a view's keys to its handlers: the tab keys to the shell, the list keys to the list,
 * the view's own actions to the view (once they are allowed here; else the status line says
 * why). Keys the view does not have fall through to the global ones.
 */
export function useViewKeys<A extends string, T, L extends boolean>(options: ViewKeyOptions<A, T, L>): void {
  const app = useApp();
  const tabs: Handlers<TabAction> = {
    nextTab: () => app.switchTab('next'),
    prevTab: () => app.switchTab('prev'),
    tabNumber: (_, key) => app.switchTab(Number(key) - 1),
  };
  useKeys(
    (input, key) => {
      const name = keyName(input, key);
      const table = keyTable(options.keys) as readonly Binding<A | ListAction | TabAction>[];
      const binding = findBinding(table, name);
      if (!binding) return false;
      if (isTabBinding(binding)) return tabs[binding.action](undefined, name);
      if (isListBinding(binding)) return options.list?.[binding.action](undefined, name);
      const reason = unavailableReason(binding, options.route, app.services.readOnly);
      if (reason) {
        app.setStatus({
          kind: 'warn',
          text: `${binding.keys[0]} (${binding.hint ?? binding.action}) is disabled: ${reason}`,
        });
        return;
      }
      options.handlers[binding.action as A](options.target(), name);
    },
    'view',
    app.active,
  );
}
