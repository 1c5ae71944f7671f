/** How many requests the simulator answered, in total and per operation: what benches measure. */
export interface RequestCounts {
  /** Every request, OAuth token requests included. */
  total: number;
  /** Requests to the Atlas Administration API (`/api/atlas/v2...`). */
  atlas: number;
  /** 429 answers, from the rate limiter or injected. */
  rateLimited: number;
  /** Per operation id; `(oauth)` for the token endpoints, `(unrouted)` for paths no operation serves. */
  byOperation: Record<string, { requests: number; rateLimited: number }>;
}

export class RequestCounter {
  private total = 0;
  private atlas = 0;
  private rateLimited = 0;
  private readonly byOperation = new Map<string, { requests: number; rateLimited: number }>();

  count(path: string, operationId: string | undefined, status: number): void {
    this.total++;
    const oauth = path.startsWith('/api/oauth/');
    if (!oauth) this.atlas++;
    const limited = status === 429;
    if (limited) this.rateLimited++;
    const key = operationId ?? (oauth ? '(oauth)' : '(unrouted)');
    let entry = this.byOperation.get(key);
    if (!entry) {
      entry = { requests: 0, rateLimited: 0 };
      this.byOperation.set(key, entry);
    }
    entry.requests++;
    if (limited) entry.rateLimited++;
  }

  snapshot(): RequestCounts {
    const byOperation: RequestCounts['byOperation'] = {};
    for (const [key, value] of this.byOperation) byOperation[key] = { ...value };
    return { total: this.total, atlas: this.atlas, rateLimited: this.rateLimited, byOperation };
  }

  reset(): void {
    this.total = 0;
    this.atlas = 0;
    this.rateLimited = 0;
    this.byOperation.clear();
  }
}
