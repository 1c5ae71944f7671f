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
