import { setMaxListeners } from 'node:events';
import {
  errorLogText,
  JobLeases,
  JobPoller,
  type AtlasClient,
  type FollowedJob,
  type FollowedJobStore,
  type JobRef,
  type JobState,
} from '@atlas-backups/core';
import type { Logger, webApi } from '@slack/bolt';
import { jobFinishedReply, jobMessage, type JobMessageInput } from '../blocks/job.js';
import type { SlackMessage } from '../blocks/message.js';
import { CoalescingSender, realSleep, SlidingWindowLimiter, type Sleep } from './rate-limit.js';

/** Rows of core's followed-jobs table that belong to the Slack bot. */
export const slackWatcher = 'slack';

/** Where a followed job is shown, kept as the followed job's context. */
export interface JobMessageContext {
  channelId: string;
  title: string;
  requestedBy: string;
  startedAt: number;
  /** The message being updated; absent until it is posted. */
  messageTs?: string | undefined;
}

export interface JobFollowerOptions {
  atlas: AtlasClient;
  slack: webApi.WebClient;
  store: FollowedJobStore;
  logger: Logger;
  /** How often Atlas is asked about a job. */
  pollIntervalMs?: number;
  /** Give up following after this long (the job itself is untouched). */
  timeoutMs?: number;
  /** Least time between two edits of one message. */
  minUpdateIntervalMs?: number;
  /** Edits per minute across all job messages (chat.update is Slack Tier 3). */
  updatesPerMinute?: number;
  now?: () => number;
  sleep?: Sleep;
  /**
   * Which jobs this replica follows (one replica per job at a time). By default a lease of its
   * own with ATLAS_BOT_LEASE_SECONDS' default: with one process it holds every job.
   */
  leases?: JobLeases;
  /** The lease's length when `leases` is not given. */
  leaseMs?: number;
  /**
   * Reads the followed jobs' states: one list call per cluster and job kind each round, however
   * many jobs are followed there (made from `pollIntervalMs`, `now` and `sleep` when not given).
   */
  poller?: JobPoller;
}

export interface StartJobInput {
  channelId: string;
  title: string;
  job: JobRef;
  requestedBy: string;
  /** The approval request that started it, when there was one. */
  requestId?: string | undefined;
}

export type StartJobResult =
  { posted: true; messageTs: string } | { posted: false; reason: 'already_followed' };

function contextOf(job: FollowedJob): JobMessageContext | undefined {
  const c = job.context as Partial<JobMessageContext> | null;
  if (!c || typeof c.channelId !== 'string' || typeof c.title !== 'string') return undefined;
  return {
    channelId: c.channelId,
    title: c.title,
    requestedBy: typeof c.requestedBy === 'string' ? c.requestedBy : 'unknown',
    startedAt: typeof c.startedAt === 'number' ? c.startedAt : Date.parse(job.createdAt),
    messageTs: typeof c.messageTs === 'string' ? c.messageTs : undefined,
  };
}

/**
 * Posts one message per started job and keeps it current with `chat.update` as the job moves,
 * then replies in its thread when the job ends. Edits are coalesced and rate-limited; the jobs
 * are kept in core's followed-jobs table so a restarted bot carries on where it stopped.
 */
export class JobFollower {
  private readonly limiter: SlidingWindowLimiter;
  private readonly controller = stopSignal();
  private readonly running = new Map<number, Promise<void>>();
  /** One per followed job, so a job whose lease is lost stops alone. */
  private readonly stops = new Map<number, AbortController>();
  private readonly now: () => number;
  readonly leases: JobLeases;
  private leaseTimer: ReturnType<typeof setInterval> | undefined;
  private readonly poller: JobPoller;

  constructor(private readonly options: JobFollowerOptions) {
    this.now = options.now ?? Date.now;
    this.leases = options.leases ?? new JobLeases({ store: options.store, ttlMs: options.leaseMs });
    this.poller =
      options.poller ??
      new JobPoller(options.atlas, {
        intervalMs: options.pollIntervalMs ?? 5_000,
        clock: { now: this.now, wait: options.sleep ?? realSleep },
      });
    this.limiter = new SlidingWindowLimiter(options.updatesPerMinute ?? 45, 60_000, this.now, options.sleep);
  }

  /** Posts the job's message in the channel and follows it, unless the bot already follows that job. */
  async start(input: StartJobInput): Promise<StartJobResult> {
    const context: JobMessageContext = {
      channelId: input.channelId,
      title: input.title,
      requestedBy: input.requestedBy,
      startedAt: this.now(),
    };
    const row = await this.options.store.follow(input.job, {
      watcher: slackWatcher,
      requestId: input.requestId,
      context,
    });
    const existing = contextOf(row);
    if (this.running.has(row.id) || existing?.messageTs !== undefined || row.state !== 'following')
      return { posted: false, reason: 'already_followed' };
    // Another replica may be posting the same job's message: the lease decides who does.
    if (!(await this.leases.acquire(row.id))) return { posted: false, reason: 'already_followed' };
    const messageTs = await this.post(row, context);
    this.watch(row.id);
    return { posted: true, messageTs };
  }

  /**
   * Follows the jobs nobody follows: those a previous run left unfinished, and those of a replica
   * that stopped renewing its leases. Then keeps doing so, and renews this replica's leases,
   * until `stop()`.
   */
  async resume(): Promise<number> {
    const taken = await this.takeUp();
    if (!this.leaseTimer && !this.controller.signal.aborted) {
      this.leaseTimer = setInterval(() => {
        void this.tend().catch((error: unknown) =>
          this.options.logger.warn(`renewing job leases failed: ${errorLogText(error)}`),
        );
      }, this.leases.intervalMs);
      this.leaseTimer.unref();
    }
    return taken;
  }

  private async takeUp(): Promise<number> {
    const taken = await this.leases.takeUnleased(slackWatcher);
    for (const job of taken) this.watch(job.id);
    return taken.length;
  }

  private async tend(): Promise<void> {
    if (this.controller.signal.aborted) return;
    for (const id of await this.leases.renew()) {
      this.options.logger.warn(`another replica took over following job ${id}; stopping here`);
      this.stops.get(id)?.abort();
    }
    await this.takeUp();
  }

  /** Resolves when every job being followed has ended. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()]);
  }

  /** Stops following (the jobs stay recorded as following, to be resumed). */
  async stop(): Promise<void> {
    if (this.leaseTimer) clearInterval(this.leaseTimer);
    this.leaseTimer = undefined;
    this.controller.abort();
    await this.idle();
    if (!this.options.poller) this.poller.stop();
    await this.leases
      .releaseAll()
      .catch((error: unknown) =>
        this.options.logger.warn(`releasing job leases failed: ${errorLogText(error)}`),
      );
  }

  get active(): number {
    return this.running.size;
  }

  private async post(row: FollowedJob, context: JobMessageContext): Promise<string> {
    const first = jobMessage({ ...context, job: row.ref, now: this.now() });
    const posted = await this.options.slack.chat.postMessage({
      channel: context.channelId,
      text: first.text,
      blocks: first.blocks,
      unfurl_links: false,
    });
    if (!posted.ts) throw new Error('chat.postMessage returned no ts');
    await this.options.store.setContext(row.id, { ...context, messageTs: posted.ts });
    return posted.ts;
  }

  private watch(id: number): void {
    if (this.running.has(id) || this.controller.signal.aborted) return;
    const stop = new AbortController();
    this.stops.set(id, stop);
    const run = this.follow(id, AbortSignal.any([this.controller.signal, stop.signal]))
      .catch((error: unknown) =>
        this.options.logger.error(`following job ${id} failed: ${errorLogText(error)}`),
      )
      .finally(() => {
        this.running.delete(id);
        this.stops.delete(id);
      });
    this.running.set(id, run);
  }

  private async follow(id: number, signal: AbortSignal): Promise<void> {
    const { slack, logger, store } = this.options;
    let row = await store.get(id);
    if (!row || row.state !== 'following') {
      await this.leases.release(id);
      return;
    }
    let context = contextOf(row);
    if (!context) {
      logger.warn(`followed job ${id} has no Slack context; dropping it`);
      await store.finish(id);
      return;
    }
    // A crash between recording and posting leaves no message yet: post it now.
    if (context.messageTs === undefined) {
      await this.post(row, context);
      row = (await store.get(id)) ?? row;
      context = contextOf(row) ?? context;
    }
    const ctx = context;
    const ts = ctx.messageTs as string;
    const sender = new CoalescingSender<SlackMessage>({
      send: async (message) => {
        await slack.chat.update({ channel: ctx.channelId, ts, text: message.text, blocks: message.blocks });
      },
      minIntervalMs: this.options.minUpdateIntervalMs ?? 3_000,
      limiter: this.limiter,
      onError: (error) => logger.warn(`chat.update of job ${row.ref.id} failed: ${errorLogText(error)}`),
      retryDelayMs: updateRetryDelay,
      now: this.now,
      sleep: this.options.sleep,
      signal,
    });
    const view = (state: JobState | undefined, stopped?: unknown): JobMessageInput => ({
      ...ctx,
      job: row.ref,
      state,
      stopped,
      now: this.now(),
    });

    let last: JobState | undefined;
    let stopped: unknown;
    const watch = { timeoutMs: this.options.timeoutMs ?? 12 * 3_600_000, signal };
    try {
      for await (const update of this.poller.watch(row.ref, watch)) {
        last = update;
        await store.recordStatus(id, update.status);
        sender.push(jobMessage(view(update)));
      }
    } catch (error) {
      stopped = error;
      logger.warn(`stopped following ${row.ref.kind} ${row.ref.id}: ${errorLogText(error)}`);
    }
    if (signal.aborted) return; // stopping, or the lease was lost: whoever holds it carries on
    if (stopped !== undefined) sender.push(jobMessage(view(last, stopped)));
    await sender.flush();
    // Marked done first, conditionally: of two replicas that both saw the end (one whose lease
    // lapsed unnoticed), only one replies in the thread.
    const finished = await store.finish(id, last?.status);
    await this.leases.release(id);
    if (!finished) return;
    const reply = jobFinishedReply(view(last, stopped));
    await slack.chat.postMessage({
      channel: ctx.channelId,
      thread_ts: ts,
      text: reply.text,
      blocks: reply.blocks,
      unfurl_links: false,
    });
  }
}

/**
 * When to try a failed edit again: after Slack's Retry-After when rate limited, with backoff
 * after a network failure, never for a refusal (the message or channel is gone).
 */
export function updateRetryDelay(error: unknown, attempt: number): number | undefined {
  if (attempt > 5) return undefined;
  const e = error as { code?: string; retryAfter?: number };
  if (e.code === 'slack_webapi_rate_limited_error') return Math.max(1, e.retryAfter ?? 1) * 1_000;
  if (e.code === 'slack_webapi_platform_error') return undefined;
  return Math.min(30_000, 500 * 2 ** attempt);
}

/** One signal stops every followed job, so it has a listener per job in flight: no limit applies. */
function stopSignal(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}
