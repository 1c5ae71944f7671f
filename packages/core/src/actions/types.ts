import type { z } from 'zod';
import type { AtlasClient } from '../client/atlas-client.js';
import type { ClusterKind } from '../schemas/clusters.js';
import type { JobRef } from '../watch/job-state.js';

/** Who asked. Front ends fill this from their own identity (a Slack user, the local OS user). */
export interface Actor {
  /** Stable id: a Slack user id (`U0123`) or `local:<username>`. */
  id: string;
  displayName?: string | undefined;
  source: 'slack' | 'tui' | 'cli';
  /** Slack user group ids the actor belongs to, when known. */
  groups?: string[] | undefined;
  /** Where the request was made (Slack channel id), when it matters to policy. */
  channel?: string | undefined;
}

export type ActionRisk = 'safe' | 'costly' | 'destructive';

/** What will happen, in plain words, shown before anything is done and kept with approvals. */
export interface ActionPreview {
  action: string;
  title: string;
  /** Facts: source, target, times. One line each. */
  lines: string[];
  /** Consequences someone must accept: data replaced, backups lost earlier, data copied out. */
  warnings: string[];
  risk: ActionRisk;
  projectId: string;
  projectName?: string | undefined;
  production: boolean;
  /** For destructive actions on production projects: the text the user must type to confirm. */
  confirmPhrase?: string | undefined;
}

export interface ActionResult {
  action: string;
  /** One line for people: "Snapshot 65f… queued on Cluster0". */
  summary: string;
  /** The job to follow, when the action started one. */
  job?: JobRef | undefined;
  /** The Atlas object as returned. */
  atlas: unknown;
  /** True when the create's answer was lost and the job was found by looking it up. */
  reconciled: boolean;
  requestRef: string;
}

export interface ActionContext {
  client: AtlasClient;
  now: () => number;
  signal?: AbortSignal | undefined;
}

/** What a definition's `preview` returns; the service adds the project and the confirmation. */
export type PreviewBody = Omit<
  ActionPreview,
  'action' | 'projectId' | 'projectName' | 'production' | 'confirmPhrase'
> & {
  /** What a production confirmation asks the user to type (the cluster whose data is at stake). */
  confirmTarget?: string;
};

/** A request whose answer from Atlas was lost (the process stopped while it was being sent). */
export interface LostRequest {
  requestRef: string;
  /** When it was claimed for sending, ms since the epoch. */
  startedAt: number;
  /** Atlas job ids that cannot be its own: credited to other requests, or there before it was sent. */
  excludedJobIds: ReadonlySet<string>;
}

/** Whether Atlas shows the effect of a lost request; only a positive sighting counts as done. */
export type Sighting =
  { found: true; summary: string; job: JobRef | undefined } | { found: false; detail: string };

/**
 * Everything about one action, in one place: its parameters, what it applies to, how it is
 * explained before it happens, how it is done, and how it is recognised in Atlas when the answer
 * to doing it was lost. The ActionService runs every definition through the same checks.
 */
export interface ActionDefinition<S extends z.ZodType = z.ZodType> {
  name: string;
  title: string;
  /** What a front end says while it runs: "Taking a snapshot". */
  doing: string;
  /** Coarse class for policy and UI; a preview may raise it (shortening retention). */
  baseRisk: ActionRisk;
  /** The deployments it works on; front ends offer it only there (`deploymentRefusal`). */
  deploymentKinds: readonly ClusterKind[];
  params: S;
  preview(ctx: ActionContext, params: z.output<S>): Promise<PreviewBody>;
  execute(ctx: ActionContext, params: z.output<S>, requestRef: string): Promise<ActionResult>;
  /**
   * After a restart, whether a request that was being sent reached Atlas, decided by looking
   * (never by sending again). Lookup errors propagate: the request stays undecided.
   */
  recognise(ctx: LookupContext, params: z.output<S>, lost: LostRequest): Promise<Sighting>;
  /**
   * For actions whose jobs carry no marker of the request (restores): the ids of jobs that
   * already match before it is sent, so that after a restart an older identical job is not
   * taken for it.
   */
  matchingBefore?(ctx: LookupContext, params: z.output<S>): Promise<string[]>;
}

/** What a lookup in Atlas needs. */
export type LookupContext = Pick<ActionContext, 'client' | 'signal'>;
