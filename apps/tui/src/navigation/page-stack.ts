import { routeKey, type Route } from './routes.js';

/** One page: what it shows and the filter typed on it (kept while pages above it come and go). */
export interface Page {
  route: Route;
  filter: string;
}

/** The pages opened so far, the one on screen last; never empty. */
export type PageStack = readonly Page[];

/** Every way the pages change; `:` commands and keys are turned into these elsewhere. */
export type NavAction =
  /** Opens a page over the current one. */
  | { type: 'push'; route: Route }
  /** Opens a page unless it is the one on screen already. */
  | { type: 'open'; route: Route }
  /** Clears the current page's filter, or else closes the page (never the last one). */
  | { type: 'back' }
  /** Shows another page in the current one's place (a cluster's other tab). */
  | { type: 'replace'; route: Route }
  /** Goes back to the page showing `route`, closing those above it; opens it when there is none. */
  | { type: 'unwindTo'; route: Route }
  /** Starts over with these pages. */
  | { type: 'reset'; routes: Route[] }
  | { type: 'filter'; text: string };

const home: Page = { route: { view: 'projects' }, filter: '' };

export const pagesFor = (routes: readonly Route[]): PageStack =>
  routes.length === 0 ? [home] : routes.map((route) => ({ route, filter: '' }));

export const topPage = (stack: PageStack): Page => stack[stack.length - 1] ?? home;

export function navigate(stack: PageStack, action: NavAction): PageStack {
  const top = topPage(stack);
  switch (action.type) {
    case 'push':
      return [...stack, { route: action.route, filter: '' }];
    case 'open':
      return routeKey(top.route) === routeKey(action.route)
        ? stack
        : [...stack, { route: action.route, filter: '' }];
    case 'back':
      if (top.filter) return [...stack.slice(0, -1), { ...top, filter: '' }];
      return stack.length > 1 ? stack.slice(0, -1) : stack;
    case 'replace':
      return [...stack.slice(0, -1), { route: action.route, filter: '' }];
    case 'unwindTo': {
      const key = routeKey(action.route);
      const at = stack.findIndex((page) => routeKey(page.route) === key);
      return at >= 0 ? stack.slice(0, at + 1) : [...stack, { route: action.route, filter: '' }];
    }
    case 'reset':
      return pagesFor(action.routes);
    case 'filter':
      return top.filter === action.text ? stack : [...stack.slice(0, -1), { ...top, filter: action.text }];
  }
}
