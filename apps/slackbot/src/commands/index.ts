import { Refusal } from './args/args.js';
import { orList } from './args/suggest.js';
import { approvals } from './approvals.js';
import { audit } from './audit.js';
import { clusters } from './clusters.js';
import type { CommandOf, CommandUsage } from './command.js';
import { exportSnapshot } from './export.js';
import { help } from './help.js';
import { jobs } from './jobs.js';
import { policyExplain } from './policy.js';
import { projects } from './projects.js';
import { restoreCancel } from './restore-cancel.js';
import { restore } from './restore.js';
import { serverlessSnapshot } from './serverless-snapshot.js';
import { snapshotDelete } from './snapshot-delete.js';
import { snapshotRetain } from './snapshot-retain.js';
import { snapshotTake } from './snapshot-take.js';
import { snapshots } from './snapshots.js';
import { status } from './status.js';
import { use } from './use.js';

/** Every `/atlas` subcommand, in the order `/atlas help` lists them: one line per command. */
export const commands = [
  projects,
  use,
  status,
  clusters,
  snapshots,
  jobs,
  snapshotTake,
  snapshotRetain,
  snapshotDelete,
  serverlessSnapshot,
  exportSnapshot,
  restore,
  restoreCancel,
  approvals,
  audit,
  policyExplain,
  help,
] as const;

/** What any `/atlas` text may be read as. */
export type Command = CommandOf<(typeof commands)[number]>;
export type ActionCommand = Extract<Command, { kind: 'action' }>;

/**
 * Every command's usage, as `/atlas help` lists them (the same list, seen only as usages).
 * @alias
 */
export const commandUsages: readonly CommandUsage[] = commands;

/** The commands whose two-word names start with `word`. */
const under = (word: string) => commands.filter((c) => c.topic.startsWith(`${word} `));

/** First words that only lead to two-word commands: what to say when the second is missing or unknown. */
export const commandGroups: Record<string, { missing(): Refusal; unknown(word: string): Refusal }> = {
  snapshot: {
    missing: () =>
      new Refusal(
        `say ${orList(under('snapshot').map((c) => c.topic.slice('snapshot '.length)))} after \`snapshot\``,
        under('snapshot')[0]?.topic,
      ),
    unknown: (word) =>
      new Refusal(
        `\`snapshot ${word}\` is not a command; use ${orList(under('snapshot').map((c) => c.topic))} (or \`snapshots\` to list)`,
      ),
  },
  policy: {
    missing: () => new Refusal('say `explain` after `policy`', 'policy explain'),
    unknown: (word) =>
      new Refusal(`\`policy ${word}\` is not a command; use \`policy explain\``, 'policy explain'),
  },
  serverless: {
    missing: () => new Refusal('missing `snapshot`', 'serverless snapshot'),
    unknown: (word) => new Refusal(`unknown serverless command \`${word}\``, 'serverless snapshot'),
  },
};
