import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Who is waiting for a request: a person who pressed a key or typed a Slack command
 * (`interactive`), or nobody in particular: a refresh, a job poll (`background`). Background
 * work spends the request budget and gives way; interactive work goes first and is never held
 * back by the budget.
 */
export type RequestPriority = 'interactive' | 'background';

// The priority travels with the async call chain, so a page walk or a job watch started in the
// background marks every request it makes without threading an option through each call.
const priorityOfCall = new AsyncLocalStorage<RequestPriority>();

/** Runs `fn` with every Atlas request it makes (however deep) sent at `priority`. */
export function withPriority<T>(priority: RequestPriority, fn: () => T): T {
  return priorityOfCall.run(priority, fn);
}

/** Runs `fn` as background work: refreshes and polling nobody is waiting for. */
export function inBackground<T>(fn: () => T): T {
  return priorityOfCall.run('background', fn);
}

/** The priority of the request being made now: interactive unless a caller said otherwise. */
export function currentPriority(): RequestPriority {
  return priorityOfCall.getStore() ?? 'interactive';
}
