import { ConfigError, envPositiveInt, envSecret, envUrl, readEnv, type Env } from '@atlas-backups/core';
import { z } from 'zod';

export interface SlackBotConfig {
  mode: 'socket' | 'http';
  botToken: string;
  appToken: string | undefined;
  signingSecret: string | undefined;
  port: number;
  /** Web API base URL ending in `/`, when overridden. */
  apiUrl: string | undefined;
  dbPath: string;
  /** ATLAS_BOT_DATABASE_URL: PostgreSQL shared by every replica; SQLite at `dbPath` when unset. */
  databaseUrl: string | undefined;
  /** ATLAS_BOT_LEASE_SECONDS: how long a replica's hold on a followed job lasts without renewal. */
  leaseSeconds: number;
  /** ATLAS_APPROVALS_CHANNEL: where approval requests are posted besides the requester's channel. */
  approvalsChannel: string | undefined;
  /** ATLAS_AUDIT_CHANNEL: where every audit entry is also posted, one line each. */
  auditChannel: string | undefined;
  /** SLACK_TEAM_ID: the only workspace served; the bot token's own when unset. */
  teamId: string | undefined;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** HEALTH_PORT: /healthz, /readyz and /metrics on their own listener (Socket Mode has no HTTP front). */
  healthPort: number | undefined;
  /** ATLAS_BOT_SHUTDOWN_SECONDS: how long a stop (SIGTERM, SIGINT) may take before the process exits anyway. */
  shutdownSeconds: number;
}

const port = z.coerce
  .number({ error: 'must be a port number' })
  .int('must be a whole port number')
  .min(0, 'must be between 0 and 65535')
  .max(65535, 'must be between 0 and 65535');

const shutdownSeconds = z.coerce
  .number({ error: 'must be a number of seconds' })
  .int('must be a whole number of seconds')
  .min(1, 'must be between 1 and 600 seconds')
  .max(600, 'must be between 1 and 600 seconds');

const channelId = z
  .string()
  .trim()
  .regex(
    /^[CG][A-Z0-9]{2,}$/,
    'must be a Slack channel id such as C0123ABCD (from the channel’s details), not its #name',
  );

const teamId = z
  .string()
  .trim()
  .regex(
    /^T[A-Z0-9]{2,}$/,
    'must be a Slack workspace id such as T0123ABCD (in the workspace’s URL app.slack.com/client/T…), not its name or domain',
  );

/** postgres:// or postgresql:// with a host; the value itself is never echoed (it may hold a password). */
const databaseUrl = envSecret.refine((v) => {
  try {
    const u = new URL(v);
    return (u.protocol === 'postgres:' || u.protocol === 'postgresql:') && u.hostname !== '';
  } catch {
    return false;
  }
}, 'must be a PostgreSQL URL such as postgres://user:password@db.example.com:5432/atlas_bot');

/** The variables that connect the bot to a Slack app. */
export const slackVariables = ['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'SLACK_SIGNING_SECRET'] as const;

/** None of them set: there is no Slack to connect to, so `pnpm slackbot` starts the local playground. */
export function noSlackConfigured(env: Env = process.env): boolean {
  return slackVariables.every((name) => (env[name] ?? '').trim() === '');
}

/**
 * The Slack side of the configuration, checked once at start. Every problem names its variable;
 * token values are never echoed.
 */
export function loadSlackConfig(env: Env = process.env): SlackBotConfig {
  const vars = readEnv(
    {
      SLACK_BOT_TOKEN: envSecret
        .optional()
        .refine(
          (v) => v === undefined || v.startsWith('xoxb-'),
          'must be a bot token (it starts with xoxb-)',
        ),
      SLACK_APP_TOKEN: envSecret
        .optional()
        .refine(
          (v) => v === undefined || v.startsWith('xapp-'),
          'must be an app-level token (it starts with xapp-)',
        ),
      SLACK_SIGNING_SECRET: envSecret.optional(),
      PORT: port.default(3000),
      SLACK_API_URL: envUrl.optional(),
      ATLAS_BOT_DB: z.string().trim().min(1, 'must be a file path').default('.data/slackbot.sqlite'),
      ATLAS_BOT_DATABASE_URL: databaseUrl.optional(),
      ATLAS_BOT_LEASE_SECONDS: envPositiveInt('a number of seconds', 3_600).default(30),
      ATLAS_APPROVALS_CHANNEL: channelId.optional(),
      ATLAS_AUDIT_CHANNEL: channelId.optional(),
      SLACK_TEAM_ID: teamId.optional(),
      LOG_LEVEL: z
        .enum(['debug', 'info', 'warn', 'error'], { error: 'must be debug, info, warn or error' })
        .default('info'),
      HEALTH_PORT: port.optional(),
      ATLAS_BOT_SHUTDOWN_SECONDS: shutdownSeconds.default(10),
    },
    env,
  );
  if (vars.SLACK_BOT_TOKEN === undefined)
    throw new ConfigError(
      'SLACK_BOT_TOKEN',
      'is required: the Bot User OAuth Token (xoxb-…) from your Slack app’s OAuth & Permissions page',
    );
  const mode = vars.SLACK_APP_TOKEN === undefined ? 'http' : 'socket';
  if (mode === 'http' && vars.SLACK_SIGNING_SECRET === undefined)
    throw new ConfigError(
      'SLACK_SIGNING_SECRET',
      'is required in HTTP mode (from Basic Information → App Credentials); or set SLACK_APP_TOKEN to use Socket Mode',
    );
  const apiUrl = vars.SLACK_API_URL === undefined ? undefined : vars.SLACK_API_URL.replace(/\/*$/, '/');
  return {
    mode,
    botToken: vars.SLACK_BOT_TOKEN,
    appToken: vars.SLACK_APP_TOKEN,
    signingSecret: vars.SLACK_SIGNING_SECRET,
    port: vars.PORT,
    apiUrl,
    dbPath: vars.ATLAS_BOT_DB,
    databaseUrl: vars.ATLAS_BOT_DATABASE_URL,
    leaseSeconds: vars.ATLAS_BOT_LEASE_SECONDS,
    approvalsChannel: vars.ATLAS_APPROVALS_CHANNEL,
    auditChannel: vars.ATLAS_AUDIT_CHANNEL,
    teamId: vars.SLACK_TEAM_ID,
    logLevel: vars.LOG_LEVEL,
    healthPort: vars.HEALTH_PORT,
    shutdownSeconds: vars.ATLAS_BOT_SHUTDOWN_SECONDS,
  };
}
