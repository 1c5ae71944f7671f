import {
  ConfigError,
  TerminalPolicy,
  localOperatorPolicy,
  slackUserGroupId,
  slackUserId,
  readEnv,
  type Env,
  type PolicyEngine,
  type PolicyReload,
} from '@atlas-backups/core';
import { z } from 'zod';

/** The policy the terminal runs with, where it came from, and how to hear of a reload. */
export interface TuiPolicy {
  engine: PolicyEngine;
  /** One line for the help screen. */
  source: string;
  /** Reloads the file when it changes, telling `onReload`; returns how to stop. */
  watch?: ((onReload: (result: PolicyReload) => void) => () => void) | undefined;
}

/** Without a policy file: everything Atlas lets the person do, with confirmations. */
export const ownPolicy: TuiPolicy = {
  engine: localOperatorPolicy,
  source: 'no policy file (ATLAS_POLICY_FILE not set): Atlas roles only',
};

const groupList = z
  .string()
  .transform((text) =>
    text
      .split(',')
      .map((g) => g.trim())
      .filter((g) => g !== ''),
  )
  .pipe(z.array(slackUserGroupId));

/**
 * ATLAS_POLICY_FILE (the bot's policy) with who the person is in Slack, validated at start; a bad
 * value names its variable. Without the file, the terminal's own policy: everything Atlas lets the
 * person do, with confirmations, production from Atlas tags.
 */
export function openTuiPolicy(env: Env = process.env): TuiPolicy {
  const settings = readEnv(
    {
      ATLAS_POLICY_FILE: z.string().trim().min(1, 'must be a file path').optional(),
      ATLAS_TUI_SLACK_USER: slackUserId.optional(),
      ATLAS_TUI_SLACK_GROUPS: groupList.optional(),
    },
    env,
  );
  const path = settings.ATLAS_POLICY_FILE;
  const user = settings.ATLAS_TUI_SLACK_USER;
  if (path === undefined) {
    for (const variable of ['ATLAS_TUI_SLACK_USER', 'ATLAS_TUI_SLACK_GROUPS'] as const) {
      if (settings[variable] !== undefined)
        throw new ConfigError(variable, 'is used with the team policy: set ATLAS_POLICY_FILE too');
    }
    return ownPolicy;
  }
  if (user === undefined && settings.ATLAS_TUI_SLACK_GROUPS !== undefined)
    throw new ConfigError('ATLAS_TUI_SLACK_GROUPS', 'says whose groups: set ATLAS_TUI_SLACK_USER too');
  const groups = settings.ATLAS_TUI_SLACK_GROUPS ?? [];
  const engine = TerminalPolicy.open(path, user === undefined ? undefined : { userId: user, groups });
  const who =
    user === undefined
      ? 'Slack identity not set (ATLAS_TUI_SLACK_USER)'
      : `as Slack user ${user}${groups.length > 0 ? ` in ${groups.join(', ')}` : ''}`;
  return {
    engine,
    source: `policy ${path} (${who}): reasons and production apply here; approvals only in Slack`,
    watch: (onReload) => {
      engine.shared.watch(onReload);
      return () => engine.shared.unwatch();
    },
  };
}
