import { describeError, type ErrorLine } from '../terminal/format.js';
import {
  JobPoller,
  type AtlasClient,
  type JobRef,
  type JobUpdate,
  type WatchOptions,
} from '@atlas-backups/core';

export interface TrackedJob {
  key: string;
  ref: JobRef;
  /** What was asked for, from the action's preview. */
  title: string;
  startedAt: number;
  update: JobUpdate | undefined;
  error: ErrorLine | undefined;
  /** The watch has ended: the job reached a final state, or watching failed. */
  done: boolean;
  endedAt: number | undefined;
}

type Listener = () => void;

/**
 * Jobs started (or picked) from this terminal, each followed with the core's watcher in the
 * background while the user keeps browsing. Views subscribe to it with useSyncExternalStore.
 */
export class JobsStore {
  private jobs: TrackedJob[] = [];
  private readonly listeners = new Set<Listener>();
  private readonly watches = new Map<string, AbortController>();
  /** Jobs on one cluster (of one kind) share one poll, as in the bot. */
  private readonly poller: JobPoller;

  constructor(
    client: AtlasClient,
    private readonly watchOptions: Omit<WatchOptions, 'signal'> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.poller = new JobPoller(client, {
      intervalMs: watchOptions.pollIntervalMs ?? 2_000,
      ...(watchOptions.maxPollIntervalMs === undefined
        ? {}
        : { maxIntervalMs: watchOptions.maxPollIntervalMs }),
      ...(watchOptions.sleep ? { clock: { now, wait: watchOptions.sleep } } : {}),
    });
  }

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): readonly TrackedJob[] => this.jobs;

  get running(): number {
    return this.jobs.filter((j) => !j.done).length;
  }

  /** Starts following a job; following the same job twice keeps one watch. */
  track(ref: JobRef, title: string): TrackedJob {
    const key = `${ref.kind}:${ref.groupId}:${ref.clusterName}:${ref.id}`;
    const existing = this.jobs.find((j) => j.key === key);
    if (existing && !existing.done) return existing;
    const job: TrackedJob = {
      key,
      ref,
      title,
      startedAt: this.now(),
      update: undefined,
      error: undefined,
      done: false,
      endedAt: undefined,
    };
    this.jobs = [job, ...this.jobs.filter((j) => j.key !== key)];
    this.emit();
    void this.follow(job);
    return job;
  }

  dismiss(key: string): void {
    const job = this.jobs.find((j) => j.key === key);
    if (!job?.done) return;
    this.jobs = this.jobs.filter((j) => j.key !== key);
    this.emit();
  }

  /** Stops every watch (the jobs themselves go on in Atlas). */
  stopAll(): void {
    for (const controller of this.watches.values()) controller.abort();
    this.watches.clear();
  }

  private async follow(job: TrackedJob): Promise<void> {
    const controller = new AbortController();
    this.watches.set(job.key, controller);
    try {
      for await (const update of this.poller.watch(job.ref, {
        timeoutMs: this.watchOptions.timeoutMs,
        signal: controller.signal,
      })) {
        this.patch(job.key, { update });
      }
      if (!controller.signal.aborted) this.patch(job.key, { done: true, endedAt: this.now() });
    } catch (error) {
      this.patch(job.key, { done: true, endedAt: this.now(), error: describeError(error) });
    } finally {
      if (this.watches.get(job.key) === controller) this.watches.delete(job.key);
    }
  }

  private patch(key: string, change: Partial<TrackedJob>): void {
    this.jobs = this.jobs.map((j) => (j.key === key ? { ...j, ...change } : j));
    this.emit();
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}
