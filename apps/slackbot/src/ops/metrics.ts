import type { AtlasCall, SchedulerState } from '@atlas-backups/core';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RequestKind } from './request-facts.js';
import type { MetricsSource } from './routes.js';

/** What a request came to: handled, failed in the bot, or refused because the bot is stopping. */
export type RequestOutcome = 'ok' | 'error' | 'unanswered' | 'restarting';

/** Values read when Prometheus scrapes, from whatever holds them (the store, the job follower, leases). */
export interface MetricSources {
  approvalsByState?: (() => Record<string, number> | Promise<Record<string, number>>) | undefined;
  jobsFollowed?: (() => number) | undefined;
  /** Job leases this replica holds (PostgreSQL); 0 where there are none. */
  leasesHeld?: (() => number) | undefined;
  /** The Atlas request scheduler: what waits, what is in flight, the budget left. */
  scheduler?: (() => SchedulerState) | undefined;
}

/**
 * The bot's Prometheus metrics, on a registry of its own (not prom-client's global one, so two
 * bots in one process, as in tests, never mix their figures). Counters are fed by the request
 * middleware and the Atlas call observer; gauges are read from their sources on each scrape.
 */
export class BotMetrics implements MetricsSource {
  readonly registry = new Registry();
  private readonly requests: Counter<'kind' | 'name' | 'outcome'>;
  private readonly ackSeconds: Histogram<'kind'>;
  private readonly atlasCalls: Counter<'operation' | 'status'>;
  private readonly atlasSeconds: Histogram<'operation'>;
  private sources: MetricSources = {};

  constructor(options: { processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    if (options.processMetrics ?? true)
      collectDefaultMetrics({ register: this.registry, prefix: 'atlas_bot_' });
    this.requests = new Counter({
      name: 'atlas_bot_slack_requests_total',
      help: 'Slack requests (commands, clicks, form submissions, option loads) by kind, name and outcome.',
      labelNames: ['kind', 'name', 'outcome'],
      registers,
    });
    this.ackSeconds = new Histogram({
      name: 'atlas_bot_slack_ack_seconds',
      help: 'Time from a Slack request reaching the bot to its acknowledgement (Slack allows 3 s).',
      labelNames: ['kind'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3],
      registers,
    });
    this.atlasCalls = new Counter({
      name: 'atlas_bot_atlas_calls_total',
      help: 'HTTP exchanges with the Atlas Admin API by operation and status (each attempt; 429s included).',
      labelNames: ['operation', 'status'],
      registers,
    });
    this.atlasSeconds = new Histogram({
      name: 'atlas_bot_atlas_call_seconds',
      help: 'Duration of each HTTP exchange with the Atlas Admin API.',
      labelNames: ['operation'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    const sources = () => this.sources;
    new Gauge({
      name: 'atlas_bot_approval_requests',
      help: 'Approval requests in the store by state.',
      labelNames: ['state'],
      registers,
      async collect() {
        const read = sources().approvalsByState;
        if (!read) return;
        this.reset();
        for (const [state, n] of Object.entries(await read())) this.set({ state }, n);
      },
    });
    new Gauge({
      name: 'atlas_bot_jobs_followed',
      help: 'Atlas jobs this process follows right now (their Slack messages edited in place).',
      registers,
      collect() {
        this.set(sources().jobsFollowed?.() ?? 0);
      },
    });
    new Gauge({
      name: 'atlas_bot_job_leases_held',
      help: 'Job-following leases this replica holds (0 without a shared store).',
      registers,
      collect() {
        this.set(sources().leasesHeld?.() ?? 0);
      },
    });
    const scheduler = () => sources().scheduler?.();
    const byPriority = (
      name: string,
      help: string,
      pick: (state: SchedulerState) => Record<string, number>,
    ) =>
      new Gauge({
        name,
        help,
        labelNames: ['priority'],
        registers,
        collect() {
          const state = scheduler();
          if (!state) return;
          for (const [priority, n] of Object.entries(pick(state))) this.set({ priority }, n);
        },
      });
    byPriority(
      'atlas_bot_atlas_requests_queued',
      'Atlas requests waiting to be sent, by priority (interactive: a person waits; background: refreshes, job polls).',
      (state) => state.queued,
    );
    byPriority(
      'atlas_bot_atlas_requests_in_flight',
      'Atlas requests sent and not yet answered, by priority.',
      (state) => state.inFlight,
    );
    new Gauge({
      name: 'atlas_bot_atlas_requests_held_back',
      help: 'Background Atlas requests held back by the budget, by Atlas’s reserve or by a Retry-After.',
      registers,
      collect() {
        this.set(scheduler()?.heldBack ?? 0);
      },
    });
    new Gauge({
      name: 'atlas_bot_atlas_budget_requests_per_minute',
      help: 'The background request budget per endpoint set and project (ATLAS_REQUESTS_PER_MINUTE).',
      registers,
      collect() {
        const state = scheduler();
        if (state) this.set(state.requestsPerMinute);
      },
    });
    new Gauge({
      name: 'atlas_bot_atlas_budget_left',
      help: 'Budget tokens left per endpoint set and project (below zero after interactive bursts).',
      labelNames: ['bucket'],
      registers,
      collect() {
        const state = scheduler();
        if (!state) return;
        this.reset();
        for (const b of state.buckets) this.set({ bucket: b.bucket }, b.budgetLeft);
      },
    });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** Adds (or replaces) the sources the gauges read. */
  feed(sources: MetricSources): void {
    this.sources = { ...this.sources, ...sources };
  }

  request(kind: RequestKind, name: string, outcome: RequestOutcome, ackMs: number | undefined): void {
    this.requests.inc({ kind, name, outcome });
    if (ackMs !== undefined) this.ackSeconds.observe({ kind }, ackMs / 1000);
  }

  readonly atlasCall = (call: AtlasCall): void => {
    this.atlasCalls.inc({ operation: call.operationId, status: String(call.status) });
    this.atlasSeconds.observe({ operation: call.operationId }, call.durationMs / 1000);
  };

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
