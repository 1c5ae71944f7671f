import { AsyncLocalStorage } from 'node:async_hooks';

/** Who asked for what: carried by every log line written while a Slack request is handled. */
export interface RequestContext {
  requestId: string;
  user: string | undefined;
  /** `command:snapshot take`, `click:approval_approve`, `form:restore_form`, ... */
  action: string;
}

/**
 * The request being handled, across the awaits and the background work it starts (its Atlas
 * calls, its replies), so a log line or an Atlas call is tied to the request that caused it.
 */
export const requestContext = new AsyncLocalStorage<RequestContext>();
