/** One served request, as tests see it in `sim.requests`. */
export interface RequestLogEntry {
  method: string;
  path: string;
  /** Raw query string without `?` ('' when none). */
  query: string;
  /** HTTP status, or 0 when the connection was reset instead of answered. */
  status: number;
  /** Simulated time the request arrived. */
  at: Date;
  operationId?: string;
}

/** A response body kept for contract checks (`recordResponses: true`). */
export interface RecordedResponse {
  operationId: string;
  method: string;
  path: string;
  status: number;
  /** Media type without parameters, e.g. `application/vnd.atlas.2023-01-01+json`. */
  mediaType: string;
  /** The body as the contract describes it (unwrapped when `envelope=true` was used). */
  body: unknown;
  envelope: boolean;
  /** The answer carries a test's view override (`store.overrideView`): off the contract on purpose. */
  offContract?: boolean;
}

export const MAX_LOG_ENTRIES = 10_000;

/** Appends to a bounded log in place, so callers can keep a reference to the array. */
export function appendBounded<T>(log: T[], entry: T): void {
  log.push(entry);
  if (log.length > MAX_LOG_ENTRIES) log.splice(0, log.length - MAX_LOG_ENTRIES + 1000);
}
