import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import {
  ActionService,
  JsonlAuditLog,
  type Actor,
  type AtlasClient,
  type AuditSink,
  type WatchOptions,
} from '@atlas-backups/core';
import { ownPolicy, type TuiPolicy } from '../startup/policy.js';
import { JobsStore } from './jobs-store.js';
import { RefreshPace } from './refresh-pace.js';

/** Everything the views need, made once at start (or by a test around a simulator). */
export interface AppServices {
  client: AtlasClient;
  actions: ActionService;
  actor: Actor;
  jobs: JobsStore;
  mode: 'atlas' | 'simulator';
  /** One line naming where the data comes from; never holds a secret. */
  banner: string;
  readOnly: boolean;
  /** Automatic list refresh period; 0 turns it off. */
  refreshMs: number;
  /** Stretches the refresh period while idle and while Atlas rate limits. */
  pace: RefreshPace;
  /** Where the audit log is written, shown in the help screen. */
  auditPath: string | undefined;
  policy: TuiPolicy;
}

export interface ServicesOptions {
  client: AtlasClient;
  mode: 'atlas' | 'simulator';
  banner: string;
  readOnly?: boolean;
  audit: AuditSink;
  auditPath?: string | undefined;
  refreshMs?: number;
  watch?: Omit<WatchOptions, 'signal'>;
  actor?: Actor;
  /** The clock for checks and elapsed times (a test's simulator clock); the system's by default. */
  now?: () => number;
  /** The team's policy (ATLAS_POLICY_FILE); the terminal's own without it. */
  policy?: TuiPolicy;
}

/** The person at the keyboard, as the audit log names them. */
export function localActor(): Actor {
  let name = process.env.USER ?? 'unknown';
  try {
    name = userInfo().username;
  } catch {
    // Some containers have no passwd entry for the uid; the environment's name stands in.
  }
  return { id: `local:${name}`, displayName: name, source: 'tui' };
}

/** `$ATLAS_TUI_AUDIT_LOG`, else `$XDG_STATE_HOME/atlas-backups/tui-audit.jsonl`, else under ~/.local/state. */
export function defaultAuditPath(env: { ATLAS_TUI_AUDIT_LOG?: string; XDG_STATE_HOME?: string }): string {
  if (env.ATLAS_TUI_AUDIT_LOG) return env.ATLAS_TUI_AUDIT_LOG;
  const state = env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(state, 'atlas-backups', 'tui-audit.jsonl');
}

export function createServices(options: ServicesOptions): AppServices {
  const readOnly = options.readOnly ?? false;
  const policy = options.policy ?? ownPolicy;
  return {
    client: options.client,
    actions: new ActionService({
      client: options.client,
      policy: policy.engine,
      audit: options.audit,
      readOnly,
      ...(options.now ? { now: options.now } : {}),
    }),
    actor: options.actor ?? localActor(),
    jobs: new JobsStore(options.client, options.watch ?? { pollIntervalMs: 2_000 }, options.now),
    mode: options.mode,
    banner: options.banner,
    readOnly,
    refreshMs: options.refreshMs ?? 5_000,
    pace: new RefreshPace(options.client.scheduler),
    auditPath: options.auditPath,
    policy,
  };
}

export { JsonlAuditLog };
