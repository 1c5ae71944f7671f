import { Refusal } from './args/args.js';
import { didYouMean } from './args/suggest.js';
import { decodeSlackText, tokenize } from './args/tokenize.js';
import type { CommandModule, ParsedCommand } from './command.js';
import { commandGroups, commands, commandUsages, type Command } from './index.js';

export type { ActionCommand, Command } from './index.js';

export interface UsageError {
  /** What is wrong, in one sentence. */
  error: string;
  /** The correct usage lines for the subcommand (or the list of subcommands). */
  usage: string[];
  topic?: string | undefined;
}

export type ParseResult = ({ ok: true } & ParsedCommand<Command>) | ({ ok: false } & UsageError);

const modules: readonly CommandModule<Command>[] = commands;
const helpModule = modules.find((m) => m.topic === 'help') as CommandModule<Command>;

/** The words a mistyped first word is compared with; ties go to help. */
const firstWords = [...new Set(['help', ...commands.map((c) => c.topic.split(' ')[0] as string)])];

/** The command the first words name, and the words after its name. */
function find(tokens: string[]): { module: CommandModule<Command>; rest: string[] } {
  const [head, ...rest] = tokens;
  if (head === undefined) return { module: helpModule, rest };
  const first = head.toLowerCase();
  const second = rest[0];
  if (second !== undefined) {
    const name = `${first} ${second.toLowerCase()}`;
    const sub = modules.find((m) => m.names.includes(name));
    if (sub && (sub.claims?.(rest.slice(1)) ?? true)) return { module: sub, rest: rest.slice(1) };
  }
  const whole = modules.find((m) => m.names.includes(first));
  if (whole) return { module: whole, rest };
  const group = commandGroups[first];
  if (group) throw second === undefined ? group.missing() : group.unknown(second);
  throw new Refusal(`\`${head}\` is not an /atlas command.${didYouMean(head, firstWords)}`);
}

/** Parses the text after `/atlas`. Pure: nothing is looked up or executed here. */
export function parseCommand(text: string): ParseResult {
  const tokenized = tokenize(decodeSlackText(text));
  if (!tokenized.ok) {
    const topic = guessTopic(text);
    return {
      ok: false,
      error: tokenized.error,
      usage: topic ? usageFor(topic) : overviewUsage(),
      topic,
    };
  }
  let module: CommandModule<Command> | undefined;
  try {
    const found = find(tokenized.tokens);
    module = found.module;
    return { ok: true, ...module.read(found.rest, commandUsages) };
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    // A refusal from inside a command is about that command unless it says otherwise.
    const topic = error.topic ?? module?.topic;
    return { ok: false, error: error.message, usage: topic ? usageFor(topic) : overviewUsage(), topic };
  }
}

function usageFor(topic: string): string[] {
  const found = commandUsages.find((u) => u.topic === topic);
  if (!found) throw new Error(`no usage for ${topic}`);
  return found.usage;
}

/** The subcommand a malformed text was meant to be, from its first words. */
export function guessTopic(text: string): string | undefined {
  const words = text.trim().toLowerCase().split(/\s+/);
  const two = words.slice(0, 2).join(' ');
  const twoWord = commandUsages.find((u) => u.topic === two);
  if (twoWord) return twoWord.topic;
  return commandUsages.find((u) => u.topic === words[0])?.topic;
}

function overviewUsage(): string[] {
  return commandUsages.flatMap((u) => u.usage.slice(0, 1));
}

/** The change a command's text asks for, when it is a well-formed change. */
export function changeAskedFor(
  text: string,
): { action: string; params: Record<string, unknown> } | undefined {
  const parsed = parseCommand(text);
  if (!parsed.ok || parsed.command.kind !== 'action') return undefined;
  return { action: parsed.command.action, params: { ...parsed.command.params } };
}
