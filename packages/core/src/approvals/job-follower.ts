import type { AtlasClient } from '../client/atlas-client.js';
import type { FollowedJobStore } from '../store/followed-jobs.js';
import { type FollowedJob } from '../store/followed-jobs.js';
import type { JobRef } from '../watch/job-state.js';
import { watchJob, type JobUpdate, type WatchOptions } from '../watch/watch-job.js';

export interface JobFollowerOptions {
  client: AtlasClient;
  store: FollowedJobStore;
  /** Called with each change of a followed job's state; the last one is terminal. */
  onUpdate: (job: FollowedJob, update: JobUpdate) => void | Promise<void>;
  /** Called when watching a job stops with an error (it stays `following`, to be resumed later). */
  onError?: (job: FollowedJob, error: unknown) => void;
  watch?: Omit<WatchOptions, 'signal'>;
}

/**
 * Follows Atlas jobs whose progress someone is showing, keeping the list in the database so a
 * restarted process picks them up again with `resume()`. A job is marked done once it ends.
 */
export class JobFollower {
  private readonly watching = new Map<number, { abort: AbortController; done: Promise<void> }>();

  constructor(private readonly options: JobFollowerOptions) {}

  /** Records and starts following a job; following it again under the same watcher is a no-op. */
  async follow(
    ref: JobRef,
    options: { watcher?: string; requestId?: string; context?: unknown } = {},
  ): Promise<FollowedJob> {
    const followed = await this.options.store.follow(ref, options);
    this.watch(followed);
    return followed;
  }

  /** Starts following every job still marked `following` (after a restart, or after an approval ran). */
  async resume(watcher?: string): Promise<FollowedJob[]> {
    const jobs = await this.options.store.active(watcher);
    for (const job of jobs) this.watch(job);
    return jobs;
  }

  /** Starts following the jobs an approval request started. */
  async followRequest(requestId: string): Promise<FollowedJob[]> {
    const jobs = (await this.options.store.forRequest(requestId)).filter((j) => j.state === 'following');
    for (const job of jobs) this.watch(job);
    return jobs;
  }

  /** Settles when the watch of this followed job ends (at once if it is not being watched). */
  async settled(id: number): Promise<void> {
    await this.watching.get(id)?.done;
  }

  isWatching(id: number): boolean {
    return this.watching.has(id);
  }

  /** Stops watching (jobs stay `following` in the database, to be resumed). */
  async stop(): Promise<void> {
    const all = [...this.watching.values()];
    for (const w of all) w.abort.abort();
    await Promise.all(all.map((w) => w.done));
  }

  private watch(job: FollowedJob): void {
    if (job.state !== 'following' || this.watching.has(job.id)) return;
    const abort = new AbortController();
    const done = (async () => {
      try {
        for await (const update of watchJob(this.options.client, job.ref, {
          ...this.options.watch,
          signal: abort.signal,
        })) {
          if (update.terminal) await this.options.store.finish(job.id, update.status);
          else await this.options.store.recordStatus(job.id, update.status);
          await this.options.onUpdate((await this.options.store.get(job.id)) ?? job, update);
        }
      } catch (error) {
        this.options.onError?.(job, error);
      } finally {
        this.watching.delete(job.id);
      }
    })();
    this.watching.set(job.id, { abort, done });
  }
}
