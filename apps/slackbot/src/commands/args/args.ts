/**
 * Refused input: what is wrong, and whose usage to show with it. Without a topic, the usage of
 * the command being read is shown.
 */
export class Refusal extends Error {
  constructor(
    message: string,
    readonly topic?: string,
  ) {
    super(message);
  }
}

export interface FlagSpec {
  /** Takes a value (`--limit 5`, `--limit=5`); else it is a switch (`--download`). */
  value: boolean;
  repeatable?: boolean;
}

export type Flags = Record<string, FlagSpec>;

export const valueFlag: FlagSpec = { value: true };
export const projectFlag: Flags = { project: valueFlag };
/** Every change takes `--project` and `--reason`. */
export const changeFlags: Flags = { ...projectFlag, reason: valueFlag, 'break-glass': { value: false } };
/** How usage lines show `--project`. */
export const projectUsage = '[--project <id|name>]';

/** Other spellings people use, read as the flag's own name. */
const flagAliases: Record<string, string> = { description: 'desc', 'target-group': 'target-project' };

/** A command's words after its name: positionals, and the flags it takes (anything else is refused). */
export class Args {
  readonly positionals: string[] = [];
  private readonly flags = new Map<string, string[]>();

  constructor(
    tokens: string[],
    spec: Flags,
    readonly topic: string,
  ) {
    for (let i = 0; i < tokens.length; i += 1) {
      const token = tokens[i] as string;
      if (!token.startsWith('--') || token === '--') {
        this.positionals.push(token);
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
      const list = this.flags.get(name) ?? [];
      if (list.length > 0 && !flag.repeatable) throw new Refusal(`\`--${name}\` is given twice`, topic);
      list.push(value);
      this.flags.set(name, list);
    }
  }

  one(name: string): string | undefined {
    return this.flags.get(name)?.[0];
  }

  all(name: string): string[] {
    return this.flags.get(name) ?? [];
  }

  has(name: string): boolean {
    return this.flags.has(name);
  }

  /** The positionals, named in order; the last `optional` of them may be left out. */
  expect(names: string[], optional = 0): string[] {
    const required = names.length - optional;
    if (this.positionals.length < required) {
      const missing = names[this.positionals.length] ?? 'an argument';
      throw new Refusal(`missing ${missing}`, this.topic);
    }
    if (this.positionals.length > names.length) {
      const extra = this.positionals[names.length] ?? '';
      throw new Refusal(`unexpected \`${extra}\``, this.topic);
    }
    return this.positionals;
  }
}
