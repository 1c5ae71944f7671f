import {
  clusterNamePattern,
  int32Max,
  minimumRestoreEpochSeconds,
  objectIdPattern,
  readDateTime,
  retentionMax,
  retentionRange,
  parseLabels,
  snapshotDescriptionMax,
  type ActionInput,
  type ActionName,
  type RetentionUnit,
} from '@atlas-backups/core';
import { decodeSlackText, tokenize } from './tokenize.js';
import { commandUsages, subcommandNames, usageFor } from './usage.js';

/** A change as a command names it: core's typed parameters, less the project ids resolved later. */
export type ActionDraft = { [N in ActionName]: { action: N; params: ActionInput<N> } }[ActionName];

export type ActionCommand = ActionDraft & {
  kind: 'action';
  /** Project of the source cluster, by id or name; the channel's default when absent. */
  project?: string | undefined;
  /** Project of a restore's target, by id or name; the source project when absent. */
  targetProject?: string | undefined;
  /** Why, shown to approvers when policy asks for approval (`--reason`). */
  reason?: string | undefined;
};

export type Command =
  | { kind: 'help'; topic?: string | undefined }
  | { kind: 'projects' }
  | { kind: 'use'; project: string }
  | { kind: 'clusters'; project?: string | undefined }
  | { kind: 'snapshots'; cluster: string; project?: string | undefined; limit: number }
  | { kind: 'jobs'; cluster: string; project?: string | undefined; limit: number }
  | { kind: 'serverlessSnapshot'; instance: string; snapshotId: string; project?: string | undefined }
  | { kind: 'openModal'; modal: 'restore' | 'export' }
  | { kind: 'approvals' }
  | { kind: 'audit'; limit: number }
  | ActionCommand;

export interface UsageError {
  /** What is wrong, in one sentence. */
  error: string;
  /** The correct usage lines for the subcommand (or the list of subcommands). */
  usage: string[];
  topic?: string | undefined;
}

export type ParseResult = { ok: true; command: Command } | ({ ok: false } & UsageError);

export const defaultListLimit = 10;
export const maxListLimit = 100;
export const defaultAuditCount = 10;
export const maxAuditCount = 50;
export const maxReasonLength = 500;

class Refusal extends Error {
  constructor(
    message: string,
    readonly topic?: string,
  ) {
    super(message);
  }
}

interface FlagSpec {
  value: boolean;
  repeatable?: boolean;
}

const projectFlag: Record<string, FlagSpec> = { project: { value: true } };
/** Every change takes `--project` and `--reason`. */
const changeFlags: Record<string, FlagSpec> = { ...projectFlag, reason: { value: true } };

interface Args {
  positionals: string[];
  flags: Map<string, string[]>;
}

const flagAliases: Record<string, string> = { description: 'desc', 'target-group': 'target-project' };

function splitArgs(tokens: string[], spec: Record<string, FlagSpec>, topic: string): Args {
  const positionals: string[] = [];
  const flags = new Map<string, string[]>();
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i] as string;
    if (!token.startsWith('--') || token === '--') {
      positionals.push(token);
      continue;
    }
    const eq = token.indexOf('=');
    const rawName = (eq >= 0 ? token.slice(2, eq) : token.slice(2)).toLowerCase();
    const name = flagAliases[rawName] ?? rawName;
    const flag = spec[name];
    if (!flag) throw new Refusal(`\`--${rawName}\` is not an option of \`${topic}\``, topic);
    let value = 'true';
    if (flag.value) {
      if (eq >= 0) value = token.slice(eq + 1);
      else {
        const next = tokens[i + 1];
        if (next === undefined || (next.startsWith('--') && next.length > 2))
          throw new Refusal(`\`--${name}\` needs a value`, topic);
        value = next;
        i += 1;
      }
    } else if (eq >= 0) {
      throw new Refusal(`\`--${name}\` takes no value`, topic);
    }
    const list = flags.get(name) ?? [];
    if (list.length > 0 && !flag.repeatable) throw new Refusal(`\`--${name}\` is given twice`, topic);
    list.push(value);
    flags.set(name, list);
  }
  return { positionals, flags };
}

const one = (args: Args, name: string) => args.flags.get(name)?.[0];

function expectPositionals(args: Args, names: string[], topic: string, optional = 0): string[] {
  const required = names.length - optional;
  if (args.positionals.length < required) {
    const missing = names[args.positionals.length] ?? 'an argument';
    throw new Refusal(`missing ${missing}`, topic);
  }
  if (args.positionals.length > names.length) {
    const extra = args.positionals[names.length] ?? '';
    throw new Refusal(`unexpected \`${extra}\``, topic);
  }
  return args.positionals;
}

function clusterArg(value: string, what: string, topic: string): string {
  if (value.length > 64 || !clusterNamePattern.test(value))
    throw new Refusal(
      `${what} \`${value}\` is not a valid name (letters, digits and -, at most 64 characters)`,
      topic,
    );
  return value;
}

function idArg(value: string, what: string, topic: string): string {
  if (!objectIdPattern.test(value))
    throw new Refusal(`${what} \`${value}\` must be 24 hexadecimal digits`, topic);
  return value;
}

function projectArg(value: string | undefined, topic: string): string | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === '') throw new Refusal('the project must not be empty', topic);
  return value.trim();
}

function reasonArg(args: Args, topic: string): { reason?: string } {
  const value = one(args, 'reason')?.trim();
  if (value === undefined) return {};
  if (value === '') throw new Refusal('the reason must not be empty', topic);
  if (value.length > maxReasonLength)
    throw new Refusal(`the reason must be at most ${maxReasonLength} characters`, topic);
  return { reason: value };
}

/** A whole number within `min`..`max`; `range` says the range in the user's terms when given. */
function wholeNumber(
  value: string,
  what: string,
  topic: string,
  bounds: { min?: number; max: number; range?: string },
): number {
  if (!/^\d+$/.test(value)) throw new Refusal(`${what} must be a whole number, got \`${value}\``, topic);
  const n = Number(value);
  const { min = 1, max } = bounds;
  if (n < min || n > max)
    throw new Refusal(`${what} must be ${bounds.range ?? `between ${min} and ${max}`}, got ${value}`, topic);
  return n;
}

const units: Record<string, RetentionUnit> = {
  day: 'DAYS',
  days: 'DAYS',
  week: 'WEEKS',
  weeks: 'WEEKS',
  month: 'MONTHS',
  months: 'MONTHS',
  year: 'YEARS',
  years: 'YEARS',
};

/** `--at`: a moment with its zone, read by the core's one date-time reader, within Atlas's range. */
export function parseAtSeconds(value: string, topic: string): number {
  const read = readDateTime(value, { zone: 'required' });
  if (!read.ok) throw new Refusal(`\`--at ${value}\` is ${read.problem}`, topic);
  if (read.epochSeconds < minimumRestoreEpochSeconds || read.epochSeconds > int32Max)
    throw new Refusal(
      `\`--at ${value}\` is out of range: Atlas restores to moments from 2008-01-01T00:00:00Z to 2038-01-19T03:14:07Z`,
      topic,
    );
  return read.epochSeconds;
}

function parseOplog(value: string, topic: string): { oplogTs: number; oplogInc: number } {
  const m = /^(\d+):(\d+)$/.exec(value);
  if (!m) throw new Refusal(`\`--oplog\` must be <ts>:<inc> (two whole numbers), got \`${value}\``, topic);
  return {
    oplogTs: wholeNumber(m[1] as string, 'the oplog timestamp', topic, {
      min: minimumRestoreEpochSeconds,
      max: int32Max,
      range: `seconds from ${minimumRestoreEpochSeconds} (2008-01-01) to ${int32Max} (2038-01-19)`,
    }),
    oplogInc: wholeNumber(m[2] as string, 'the oplog increment', topic, { max: int32Max }),
  };
}

function parseData(values: string[], topic: string): { key: string; value: string }[] {
  const read = parseLabels(values);
  if ('error' in read) throw new Refusal(`\`--data ${read.item}\` must be key=value`, topic);
  return read.labels;
}

function limitArg(args: Args, topic: string): number {
  const raw = one(args, 'limit');
  return raw === undefined ? defaultListLimit : wholeNumber(raw, '`--limit`', topic, { max: maxListLimit });
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    let diag = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const up = row[j] as number;
      row[j] = Math.min(up + 1, (row[j - 1] as number) + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return row[b.length] as number;
}

function suggestion(word: string): string {
  const best = subcommandNames
    .map((name) => ({ name, d: editDistance(word.toLowerCase(), name) }))
    .sort((x, y) => x.d - y.d)[0];
  return best && best.d <= 2 ? ` Did you mean \`${best.name}\`?` : '';
}

function parseTokens(tokens: string[]): Command {
  const [head, ...rest] = tokens;
  const sub = head?.toLowerCase();
  switch (sub) {
    case undefined:
    case 'help':
    case '-h':
    case '--help': {
      const topic = rest.join(' ').toLowerCase().trim();
      if (topic && !commandUsages.some((u) => u.topic === topic || u.topic.startsWith(`${topic} `)))
        throw new Refusal(`there is no command \`${topic}\` to explain`, 'help');
      return { kind: 'help', topic: topic || undefined };
    }
    case 'projects': {
      const args = splitArgs(rest, {}, 'projects');
      expectPositionals(args, [], 'projects');
      return { kind: 'projects' };
    }
    case 'use': {
      const args = splitArgs(rest, {}, 'use');
      const [project] = expectPositionals(args, ['the project (id or name)'], 'use');
      return { kind: 'use', project: projectArg(project, 'use') as string };
    }
    case 'clusters': {
      const args = splitArgs(rest, projectFlag, 'clusters');
      const [positional] = expectPositionals(args, ['the project'], 'clusters', 1);
      if (positional !== undefined && one(args, 'project') !== undefined)
        throw new Refusal('give the project once, either as an argument or with `--project`', 'clusters');
      return { kind: 'clusters', project: projectArg(positional ?? one(args, 'project'), 'clusters') };
    }
    case 'snapshots':
    case 'jobs': {
      const args = splitArgs(rest, { ...projectFlag, limit: { value: true } }, sub);
      const [cluster] = expectPositionals(args, ['the cluster name'], sub);
      return {
        kind: sub,
        cluster: clusterArg(cluster as string, 'the cluster name', sub),
        project: projectArg(one(args, 'project'), sub),
        limit: limitArg(args, sub),
      };
    }
    case 'approvals': {
      const args = splitArgs(rest, {}, 'approvals');
      expectPositionals(args, [], 'approvals');
      return { kind: 'approvals' };
    }
    case 'audit': {
      const args = splitArgs(rest, {}, 'audit');
      const [count] = expectPositionals(args, ['the number of entries'], 'audit', 1);
      return {
        kind: 'audit',
        limit:
          count === undefined
            ? defaultAuditCount
            : wholeNumber(count, 'the number of entries', 'audit', { max: maxAuditCount }),
      };
    }
    case 'snapshot':
      return parseSnapshot(rest);
    case 'serverless': {
      const [what, ...more] = rest;
      const topic = 'serverless snapshot';
      if (what?.toLowerCase() !== 'snapshot')
        throw new Refusal(
          what === undefined ? 'missing `snapshot`' : `unknown serverless command \`${what}\``,
          topic,
        );
      const args = splitArgs(more, projectFlag, topic);
      const [instance, snapshotId] = expectPositionals(args, ['the instance name', 'the snapshot id'], topic);
      return {
        kind: 'serverlessSnapshot',
        instance: clusterArg(instance as string, 'the instance name', topic),
        snapshotId: idArg(snapshotId as string, 'the snapshot id', topic),
        project: projectArg(one(args, 'project'), topic),
      };
    }
    case 'export':
      return parseExport(rest);
    case 'restore':
      return parseRestore(rest);
    default:
      throw new Refusal(`\`${head}\` is not an /atlas command.${suggestion(head ?? '')}`);
  }
}

function parseSnapshot(rest: string[]): Command {
  const [verb, ...more] = rest;
  switch (verb?.toLowerCase()) {
    case 'take': {
      const topic = 'snapshot take';
      const args = splitArgs(
        more,
        { ...changeFlags, retention: { value: true }, desc: { value: true } },
        topic,
      );
      const [cluster] = expectPositionals(args, ['the cluster name'], topic);
      const retention = one(args, 'retention');
      const description = one(args, 'desc');
      if (description !== undefined && description.length > snapshotDescriptionMax)
        throw new Refusal(`the description must be at most ${snapshotDescriptionMax} characters`, topic);
      return {
        kind: 'action',
        action: 'snapshot.take',
        project: projectArg(one(args, 'project'), topic),
        ...reasonArg(args, topic),
        params: {
          clusterName: clusterArg(cluster as string, 'the cluster name', topic),
          ...(retention === undefined
            ? {}
            : {
                retentionInDays: wholeNumber(retention, '`--retention` (days)', topic, {
                  max: retentionMax.DAYS,
                  range: retentionRange('DAYS'),
                }),
              }),
          ...(description === undefined || description === '' ? {} : { description }),
        },
      };
    }
    case 'retain':
    case 'retention': {
      const topic = 'snapshot retain';
      const args = splitArgs(more, changeFlags, topic);
      const [cluster, snapshotId, value, unit] = expectPositionals(
        args,
        [
          'the cluster name',
          'the snapshot id',
          'the retention value',
          'the unit (days, weeks, months or years)',
        ],
        topic,
      );
      const retentionUnit = units[(unit as string).toLowerCase()];
      if (!retentionUnit)
        throw new Refusal(`the unit must be days, weeks, months or years, got \`${unit}\``, topic);
      return {
        kind: 'action',
        action: 'snapshot.retention',
        project: projectArg(one(args, 'project'), topic),
        ...reasonArg(args, topic),
        params: {
          clusterName: clusterArg(cluster as string, 'the cluster name', topic),
          snapshotId: idArg(snapshotId as string, 'the snapshot id', topic),
          retentionValue: wholeNumber(value as string, 'the retention value', topic, {
            max: retentionMax[retentionUnit],
            range: retentionRange(retentionUnit),
          }),
          retentionUnit,
        },
      };
    }
    default:
      throw new Refusal(
        verb === undefined
          ? 'say `take` or `retain` after `snapshot`'
          : `\`snapshot ${verb}\` is not a command; use \`snapshot take\` or \`snapshot retain\` (or \`snapshots\` to list)`,
        verb === undefined ? 'snapshot take' : undefined,
      );
  }
}

function parseExport(rest: string[]): Command {
  const topic = 'export';
  if (rest.length === 0) return { kind: 'openModal', modal: 'export' };
  const args = splitArgs(
    rest,
    { ...changeFlags, bucket: { value: true }, data: { value: true, repeatable: true } },
    topic,
  );
  const [cluster, snapshotId] = expectPositionals(args, ['the cluster name', 'the snapshot id'], topic);
  const bucket = one(args, 'bucket');
  if (bucket === undefined) throw new Refusal('missing `--bucket <bucketId>`', topic);
  const data = parseData(args.flags.get('data') ?? [], topic);
  if (data.length > 50) throw new Refusal('at most 50 `--data` pairs', topic);
  return {
    kind: 'action',
    action: 'export.create',
    project: projectArg(one(args, 'project'), topic),
    ...reasonArg(args, topic),
    params: {
      clusterName: clusterArg(cluster as string, 'the cluster name', topic),
      snapshotId: idArg(snapshotId as string, 'the snapshot id', topic),
      exportBucketId: idArg(bucket, 'the bucket id', topic),
      ...(data.length > 0 ? { customData: data } : {}),
    },
  };
}

function parseRestore(rest: string[]): Command {
  const topic = 'restore';
  if (rest.length === 0) return { kind: 'openModal', modal: 'restore' };
  const spec: Record<string, FlagSpec> = {
    ...changeFlags,
    to: { value: true },
    'target-project': { value: true },
    at: { value: true },
    oplog: { value: true },
    download: { value: false },
  };
  const args = splitArgs(rest, spec, topic);
  const kinds = ['to', 'at', 'oplog', 'download'].filter((f) => args.flags.has(f));
  if (rest[0]?.toLowerCase() === 'cancel' && kinds.length === 0) return parseCancel(rest.slice(1));

  const project = projectArg(one(args, 'project'), topic);
  const targetProject = projectArg(one(args, 'target-project'), topic);
  const reason = reasonArg(args, topic);
  const to = one(args, 'to');
  const at = one(args, 'at');
  const oplog = one(args, 'oplog');
  const download = args.flags.has('download');

  if (download) {
    if (to !== undefined || at !== undefined || oplog !== undefined || targetProject !== undefined)
      throw new Refusal(
        '`--download` makes download links; it takes no `--to`, `--at`, `--oplog` or `--target-project`',
        topic,
      );
    const [cluster, snapshotId] = expectPositionals(args, ['the cluster name', 'the snapshot id'], topic);
    return {
      kind: 'action',
      action: 'restore.download',
      project,
      ...reason,
      params: {
        clusterName: clusterArg(cluster as string, 'the cluster name', topic),
        snapshotId: idArg(snapshotId as string, 'the snapshot id', topic),
      },
    };
  }
  if (to === undefined)
    throw new Refusal(
      'missing `--to <targetCluster>` (the cluster whose data will be replaced), or `--download`',
      topic,
    );
  const targetClusterName = clusterArg(to, 'the target cluster', topic);

  if (at !== undefined || oplog !== undefined) {
    if (at !== undefined && oplog !== undefined)
      throw new Refusal('give either `--at` or `--oplog`, not both', topic);
    const [cluster] = expectPositionals(args, ['the cluster name'], topic);
    if (args.positionals.length > 1) throw new Refusal('a point-in-time restore takes no snapshot id', topic);
    return {
      kind: 'action',
      action: 'restore.pointInTime',
      project,
      targetProject,
      ...reason,
      params: {
        clusterName: clusterArg(cluster as string, 'the cluster name', topic),
        targetClusterName,
        ...(at !== undefined
          ? { pointInTimeUTCSeconds: parseAtSeconds(at, topic) }
          : parseOplog(oplog as string, topic)),
      },
    };
  }
  if (args.positionals.length === 1)
    throw new Refusal(
      'missing the snapshot id (or `--at <time>` / `--oplog <ts>:<inc>` for a point in time)',
      topic,
    );
  const [cluster, snapshotId] = expectPositionals(args, ['the cluster name', 'the snapshot id'], topic);
  return {
    kind: 'action',
    action: 'restore.automated',
    project,
    targetProject,
    ...reason,
    params: {
      clusterName: clusterArg(cluster as string, 'the cluster name', topic),
      snapshotId: idArg(snapshotId as string, 'the snapshot id', topic),
      targetClusterName,
    },
  };
}

function parseCancel(rest: string[]): Command {
  const topic = 'restore cancel';
  const args = splitArgs(rest, changeFlags, topic);
  const [cluster, jobId] = expectPositionals(args, ['the cluster name', 'the restore job id'], topic);
  return {
    kind: 'action',
    action: 'restore.cancel',
    project: projectArg(one(args, 'project'), topic),
    ...reasonArg(args, topic),
    params: {
      clusterName: clusterArg(cluster as string, 'the cluster name', topic),
      restoreJobId: idArg(jobId as string, 'the restore job id', topic),
    },
  };
}

/** Parses the text after `/atlas`. Pure: nothing is looked up or executed here. */
export function parseCommand(text: string): ParseResult {
  const tokenized = tokenize(decodeSlackText(text));
  if (!tokenized.ok) {
    const topic = guessTopic(text);
    return {
      ok: false,
      error: tokenized.error,
      usage: topic ? usageFor(topic).usage : overviewUsage(),
      topic,
    };
  }
  try {
    return { ok: true, command: parseTokens(tokenized.tokens) };
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    const usage = error.topic ? usageFor(error.topic).usage : overviewUsage();
    return { ok: false, error: error.message, usage, topic: error.topic };
  }
}

/** The subcommand a malformed text was meant to be, from its first words. */
function guessTopic(text: string): string | undefined {
  const words = text.trim().toLowerCase().split(/\s+/);
  const two = words.slice(0, 2).join(' ');
  const twoWord = commandUsages.find((u) => u.topic === two);
  if (twoWord) return twoWord.topic;
  return commandUsages.find((u) => u.topic === words[0])?.topic;
}

function overviewUsage(): string[] {
  return commandUsages.flatMap((u) => u.usage.slice(0, 1));
}
