import { ConfigError } from '@atlas-backups/core';

/**
 * The Slack workspace (or, for an org-wide install, the Enterprise Grid organisation) this bot
 * serves. Requests signed with the app's secret can still come from elsewhere: another
 * workspace the app is installed in, or a person from another organisation in a shared
 * channel. Only this one may run anything.
 */
export interface Workspace {
  /** The workspace (`T…`); undefined for an org-wide install, which serves every workspace of `enterpriseId`. */
  teamId: string | undefined;
  /** The Enterprise Grid organisation (`E…`) the workspace belongs to, if any. */
  enterpriseId: string | undefined;
}

/** The part of `auth.test`'s answer that names the workspace. */
export interface AuthTestIdentity {
  team_id?: string | undefined;
  enterprise_id?: string | undefined;
  is_enterprise_install?: boolean | undefined;
}

/**
 * The workspace the bot token belongs to, per `auth.test`; SLACK_TEAM_ID, when set, must agree
 * (for an org-wide install it chooses one workspace of the organisation).
 */
export function pinnedWorkspace(identity: AuthTestIdentity, configuredTeamId?: string): Workspace {
  const enterpriseId = identity.enterprise_id || undefined;
  const orgWide = identity.is_enterprise_install === true;
  const tokenTeam = orgWide ? undefined : identity.team_id || undefined;
  if (configuredTeamId !== undefined && tokenTeam !== undefined && configuredTeamId !== tokenTeam)
    throw new ConfigError(
      'SLACK_TEAM_ID',
      `is ${configuredTeamId}, but SLACK_BOT_TOKEN belongs to workspace ${tokenTeam}; set SLACK_TEAM_ID to ${tokenTeam} (or unset it), or use that workspace's bot token`,
    );
  const teamId = configuredTeamId ?? tokenTeam;
  if (teamId === undefined && enterpriseId === undefined)
    throw new ConfigError(
      'SLACK_TEAM_ID',
      "is needed: Slack's auth.test named no workspace for SLACK_BOT_TOKEN; set SLACK_TEAM_ID to the workspace id (T…)",
    );
  return { teamId, enterpriseId };
}

export function describeWorkspace(w: Workspace): string {
  if (w.teamId && w.enterpriseId) return `workspace ${w.teamId} (organisation ${w.enterpriseId})`;
  if (w.teamId) return `workspace ${w.teamId}`;
  return `every workspace of organisation ${w.enterpriseId ?? '?'}`;
}

/** Where a request says it comes from: every team and enterprise id it carries. */
export interface RequestOrigin {
  teams: string[];
  enterprises: string[];
}

const idOf = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const field = (v: unknown, key: string): unknown =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>)[key] : undefined;

/**
 * The ids a slash command (`team_id`, `enterprise_id`, form fields), an interaction (`team`,
 * `enterprise`, `user.team_id`, `view.team_id`) or a Socket Mode payload carries. Every one
 * is checked: a person from another organisation in a shared channel shows up in `user.team_id`.
 */
export function requestOrigin(body: unknown): RequestOrigin {
  const teams = [
    field(body, 'team_id'),
    field(field(body, 'team'), 'id'),
    field(field(body, 'user'), 'team_id'),
    field(field(body, 'view'), 'team_id'),
  ]
    .map(idOf)
    .filter((v): v is string => v !== undefined);
  const enterprises = [field(body, 'enterprise_id'), field(field(body, 'enterprise'), 'id')]
    .map(idOf)
    .filter((v): v is string => v !== undefined);
  return { teams: [...new Set(teams)], enterprises: [...new Set(enterprises)] };
}

export type OriginCheck = { ok: true } | { ok: false; origin: string };

/** Whether a request comes from the pinned workspace; anything unknown or unnamed is refused. */
export function checkOrigin(pinned: Workspace | undefined, body: unknown): OriginCheck {
  const origin = requestOrigin(body);
  const shown = () =>
    [...origin.teams, ...origin.enterprises].join(', ') || 'no workspace named in the request';
  if (!pinned) return { ok: false, origin: shown() };
  if (pinned.teamId !== undefined) {
    if (origin.teams.length === 0 || origin.teams.some((t) => t !== pinned.teamId))
      return { ok: false, origin: shown() };
  } else if (origin.enterprises.length === 0) return { ok: false, origin: shown() };
  if (origin.enterprises.some((e) => e !== pinned.enterpriseId)) return { ok: false, origin: shown() };
  return { ok: true };
}
