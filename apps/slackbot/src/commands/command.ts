import type { Project } from '@atlas-backups/core';
import { chooseProject } from '../projects/directory.js';
import type { SlackMessage } from '../blocks/message.js';
import type { Invocation } from '../slack/invocation.js';
import type { BotServices } from '../services.js';

/** What `/atlas help` shows of a command; a usage error shows its `usage` lines too. */
export interface CommandUsage {
  /** Its name, which `/atlas help <topic>` accepts: one or two words. */
  topic: string;
  summary: string;
  usage: string[];
  examples: string[];
  /** Changes something in Atlas (confirmation first). */
  changes: boolean;
}

/** One `/atlas …` as it arrived: who asked and where, and the trigger a form must open with. */
export interface CommandContext {
  inv: Invocation;
  triggerId: string;
  bot: BotServices;
}

/**
 * How a command is answered. Slack must have its acknowledgement within three seconds, and
 * during a burst every acknowledgement goes out before any slower work starts
 * (slack/ack-first.ts), so a command says which of three ways it takes.
 */
export type CommandAnswer =
  /** In the acknowledgement itself: only for answers made without asking anyone. */
  | { inAck: SlackMessage }
  /**
   * After the acknowledgement, once the burst has passed. Answers go through the invocation's
   * replier; a failure is answered for the command (`failure` names what failed).
   */
  | { afterAck: () => Promise<void>; failure?: string | undefined }
  /** At once after the acknowledgement: a form must open within three seconds of the trigger. */
  | { urgent: string; work: () => Promise<void> };

/** A command module as written: its usage, how to read its words, and how to answer it. */
export interface CommandSpec<C> extends CommandUsage {
  /** Other ways to say it (`snapshot retention`), besides its topic. */
  aliases?: readonly string[];
  /**
   * Whether the words after a two-word name are really this command's, when the first word
   * alone names another command too (`restore cancel …` with `--to` is a restore of a cluster
   * named cancel).
   */
  claims?(rest: string[]): boolean;
  /** Reads the words after the name; refuses (`Refusal`) with what to fix. Pure. */
  parse: (rest: string[], catalogue: readonly CommandUsage[]) => C;
  answer: (command: C, ctx: CommandContext, catalogue: readonly CommandUsage[]) => CommandAnswer;
}

/** A command read from its words, ready to answer. */
export interface ParsedCommand<C> {
  /** The command module's topic. */
  topic: string;
  command: C;
  answer: (ctx: CommandContext) => CommandAnswer;
}

export interface CommandModule<C> extends CommandUsage {
  /** Its topic and aliases. */
  names: readonly string[];
  claims?(rest: string[]): boolean;
  read(rest: string[], catalogue: readonly CommandUsage[]): ParsedCommand<C>;
}

export type CommandOf<M> = M extends CommandModule<infer C> ? C : never;

export function defineCommand<C>(spec: CommandSpec<C>): CommandModule<C> {
  const { aliases = [], parse, answer, ...rest } = spec;
  return {
    ...rest,
    names: [spec.topic, ...aliases],
    read(words, catalogue) {
      const command = parse(words, catalogue);
      return { topic: spec.topic, command, answer: (ctx) => answer(command, ctx, catalogue) };
    },
  };
}

/**
 * The project a command acts on: the one it names, else the channel's default (`/atlas use`),
 * else MONGODB_ATLAS_PROJECT_ID, else the only project there is.
 */
export function projectFor(ctx: CommandContext, given: string | undefined): Promise<Project> {
  const { projects, defaults, fallbackProjectId } = ctx.bot;
  return chooseProject(projects, defaults, fallbackProjectId, given, {
    actor: ctx.inv.actor,
    channelId: ctx.inv.channelId,
  });
}
