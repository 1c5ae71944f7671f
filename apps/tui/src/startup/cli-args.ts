import { envBoolean, envPositiveInt, groupId, readEnv } from '@atlas-backups/core';
import { z } from 'zod';

export interface CliOptions {
  readOnly: boolean;
  projectId: string | undefined;
  simSpeed: number | undefined;
  help: boolean;
}

export const usage = `Usage: pnpm start [-- options]    (or: node apps/tui/dist/main.js [options])

Browse MongoDB Atlas Cloud Backups and act on them from the keyboard.

Options:
  --read-only          browse only: every action that changes Atlas is disabled (and refused by the core)
  --project <id>       open this project's clusters at start (24 hex digits)
  --sim-speed <n>      simulated seconds per real second on the built-in simulator (default 60)
  -h, --help           show this help

Environment:
  MONGODB_ATLAS_CLIENT_ID / MONGODB_ATLAS_CLIENT_SECRET      service account (recommended)
  MONGODB_ATLAS_PUBLIC_API_KEY / MONGODB_ATLAS_PRIVATE_API_KEY  API key (alternative)
  MONGODB_ATLAS_BASE_URL     Atlas base URL (default https://cloud.mongodb.com)
  MONGODB_ATLAS_PROJECT_ID   project to open at start
  ATLAS_TUI_READ_ONLY        true to start read-only
  ATLAS_TUI_AUDIT_LOG        audit log file (default $XDG_STATE_HOME/atlas-backups/tui-audit.jsonl,
                             or ~/.local/state/atlas-backups/tui-audit.jsonl)
  ATLAS_TUI_REFRESH_SECONDS  how often lists refresh themselves (default 5)
  ATLAS_POLICY_FILE          the team's policy (the bot's): its required reasons and production
                             list apply here, and each confirmation says what Slack would ask
  ATLAS_TUI_SLACK_USER       your Slack user id (U…), to see what the policy asks of you
  ATLAS_TUI_SLACK_GROUPS     your Slack user groups (S…,S…)

With no credentials set, the TUI runs on a built-in Atlas simulator and says so in its header.
In the TUI, press ? for the keys of the current view.`;

export class UsageError extends Error {}

/** A simulated week a minute: faster, and a long session's simulated clock runs past any date. */
const maxSimSpeed = 10_000;
/** A day: setTimeout cannot wait much longer (2^31 ms), and a list refreshed less often is stale anyway. */
const maxRefreshSeconds = 86_400;

/** Ways ATLAS_TUI_TEST_FAULT can make the app fail, for the crash tests (see test-fault.tsx). */
export const testFaults = ['render', 'exception', 'rejection'] as const;
export type TestFault = (typeof testFaults)[number];

/** Command-line flags; a bad one is a UsageError naming it. */
export function parseArgs(argv: string[]): CliOptions {
  const options: CliOptions = { readOnly: false, projectId: undefined, simSpeed: undefined, help: false };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--':
        break;
      case '--read-only':
        options.readOnly = true;
        break;
      case '--project': {
        const id = value();
        const parsed = groupId.safeParse(id);
        if (!parsed.success)
          throw new UsageError(`--project: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
        options.projectId = id;
        break;
      }
      case '--sim-speed': {
        const parsed = z.coerce.number().positive().max(maxSimSpeed).safeParse(value());
        if (!parsed.success)
          throw new UsageError(`--sim-speed must be a number above 0 and at most ${maxSimSpeed}`);
        options.simSpeed = parsed.data;
        break;
      }
      case '-h':
      case '--help':
        options.help = true;
        break;
      default:
        throw new UsageError(`unknown option ${arg} (see --help)`);
    }
  }
  return options;
}

/** The TUI's own settings, validated once at start; a bad value names its variable. */
export function readTuiEnv(env: Record<string, string | undefined> = process.env) {
  return readEnv(
    {
      ATLAS_TUI_AUDIT_LOG: z.string().trim().min(1).optional(),
      ATLAS_TUI_READ_ONLY: envBoolean.optional(),
      ATLAS_TUI_REFRESH_SECONDS: envPositiveInt('a whole number of seconds', maxRefreshSeconds).optional(),
      XDG_STATE_HOME: z.string().optional(),
      // For the crash tests only (test-fault.tsx); not in the usage text.
      ATLAS_TUI_TEST_FAULT: z.enum(testFaults).optional(),
    },
    env,
  );
}
