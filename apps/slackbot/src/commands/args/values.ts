import {
  clusterNamePattern,
  int32Max,
  minimumRestoreEpochSeconds,
  objectIdPattern,
  parseLabels,
  readDateTime,
} from '@atlas-backups/core';
import { Args, projectFlag, Refusal, valueFlag } from './args.js';

// Each check returns the value as the command uses it, or refuses it saying what to fix.

const defaultListLimit = 10;
const maxListLimit = 100;
const maxReasonLength = 500;

export function clusterName(value: string, what = 'the cluster name'): string {
  if (value.length > 64 || !clusterNamePattern.test(value))
    throw new Refusal(
      `${what} \`${value}\` is not a valid name (letters, digits and -, at most 64 characters)`,
    );
  return value;
}

export function objectId(value: string, what: string): string {
  if (!objectIdPattern.test(value)) throw new Refusal(`${what} \`${value}\` must be 24 hexadecimal digits`);
  return value;
}

/** A project by id or name, as given; the channel's default applies when absent. */
export function projectName(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === '') throw new Refusal('the project must not be empty');
  return value.trim();
}

/** `--project`. */
export const projectOption = (args: Args): string | undefined => projectName(args.one('project'));

/** `--reason`: why, shown to approvers when policy asks for approval. */
export function reasonOption(args: Args): { reason?: string } {
  const value = args.one('reason')?.trim();
  if (value === undefined) return {};
  if (value === '') throw new Refusal('the reason must not be empty');
  if (value.length > maxReasonLength)
    throw new Refusal(`the reason must be at most ${maxReasonLength} characters`);
  return { reason: value };
}

/** A whole number within `min`..`max`; `range` says the range in the user's terms when given. */
export function wholeNumber(
  value: string,
  what: string,
  bounds: { min?: number; max: number; range?: string },
): number {
  if (!/^\d+$/.test(value)) throw new Refusal(`${what} must be a whole number, got \`${value}\``);
  const n = Number(value);
  const { min = 1, max } = bounds;
  if (n < min || n > max)
    throw new Refusal(`${what} must be ${bounds.range ?? `between ${min} and ${max}`}, got ${value}`);
  return n;
}

/** `--limit N` of the listings. */
function limitOption(args: Args): number {
  const raw = args.one('limit');
  return raw === undefined ? defaultListLimit : wholeNumber(raw, '`--limit`', { max: maxListLimit });
}

/** `--at`: a moment with its zone, read by the core's one date-time reader, within Atlas's range. */
export function atSeconds(value: string): number {
  const read = readDateTime(value, { zone: 'required' });
  if (!read.ok) throw new Refusal(`\`--at ${value}\` is ${read.problem}`);
  if (read.epochSeconds < minimumRestoreEpochSeconds || read.epochSeconds > int32Max)
    throw new Refusal(
      `\`--at ${value}\` is out of range: Atlas restores to moments from 2008-01-01T00:00:00Z to 2038-01-19T03:14:07Z`,
    );
  return read.epochSeconds;
}

/** `--oplog <ts>:<inc>`. */
export function oplogPoint(value: string): { oplogTs: number; oplogInc: number } {
  const m = /^(\d+):(\d+)$/.exec(value);
  if (!m) throw new Refusal(`\`--oplog\` must be <ts>:<inc> (two whole numbers), got \`${value}\``);
  return {
    oplogTs: wholeNumber(m[1] as string, 'the oplog timestamp', {
      min: minimumRestoreEpochSeconds,
      max: int32Max,
      range: `seconds from ${minimumRestoreEpochSeconds} (2008-01-01) to ${int32Max} (2038-01-19)`,
    }),
    oplogInc: wholeNumber(m[2] as string, 'the oplog increment', { max: int32Max }),
  };
}

/** Repeated `--data key=value`. */
export function keyValuePairs(values: string[]): { key: string; value: string }[] {
  const read = parseLabels(values);
  if ('error' in read) throw new Refusal(`\`--data ${read.item}\` must be key=value`);
  return read.labels;
}

/** `<cluster> [--project <id|name>] [--limit N]`, as the listings of one cluster take it. */
export function clusterListing(
  rest: string[],
  topic: string,
): { cluster: string; project: string | undefined; limit: number } {
  const args = new Args(rest, { ...projectFlag, limit: valueFlag }, topic);
  const [cluster] = args.expect(['the cluster name']);
  return { cluster: clusterName(cluster as string), project: projectOption(args), limit: limitOption(args) };
}
