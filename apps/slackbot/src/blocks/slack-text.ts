/**
 * The one place text becomes something Slack reads. Slack treats `&`, `<` and `>` as control
 * characters in every text it renders (a message's top-level `text`, mrkdwn and plain_text
 * objects alike): `<!here>`, `<@U…>` and `<http://…|label>` are live there. So text from people
 * or from Atlas reaches a field only escaped, and only this module writes the sequences that
 * mention, link or format.
 *
 * mrkdwn is a `Mrkdwn` value, never a string: `mrkdwn` templates (whose own text is the bot's
 * markup, and whose values are escaped unless they are `Mrkdwn` already) and the helpers below
 * make them, so a raw string cannot reach a mrkdwn field without passing through here.
 * plain_text objects take strings and are escaped whole (see `plainText`).
 *
 * Slack has no escape for mrkdwn's `*`, `_`, `~` and backticks: in people's text they stay as
 * typed (they can only style, never mention or link), and inside code they cannot end it early.
 */

/** Replaces the three characters Slack reserves with the entities it decodes for display. */
function escapeControl(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Text ready for a field Slack reads as mrkdwn. Only this module makes it (the class is not exported). */
class Mrkdwn {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  toString(): string {
    return this.#value;
  }

  toJSON(): string {
    return this.#value;
  }
}

export type { Mrkdwn };

/** What may go into mrkdwn: markup made here, or outside text (a string or number), which is escaped. */
export type MrkdwnValue = Mrkdwn | string | number;

const trusted = (value: string): Mrkdwn => new Mrkdwn(value);

/** Outside text as mrkdwn: shown as it was typed, never as a mention, link or command. */
export function text(value: string | number): Mrkdwn {
  return trusted(escapeControl(String(value)));
}

function asMrkdwn(value: MrkdwnValue): Mrkdwn {
  return value instanceof Mrkdwn ? value : text(value);
}

/**
 * mrkdwn written by the bot: the template's own text is its markup (`*bold*`, `_italic_`,
 * `:emoji:`), and every value put into it is escaped unless it is `Mrkdwn` already. The
 * template's `&`, `<` and `>` are escaped too: mentions and links come only from the helpers.
 *
 *     mrkdwn`:x: *${title}* asked by ${mention(userId)}`
 *
 * (Not named `md`: Prettier would reformat such templates as Markdown, changing their text.)
 */
export function mrkdwn(strings: TemplateStringsArray, ...values: readonly MrkdwnValue[]): Mrkdwn {
  let out = escapeControl(strings[0] ?? '');
  values.forEach((value, i) => {
    out += String(asMrkdwn(value)) + escapeControl(strings[i + 1] ?? '');
  });
  return trusted(out);
}

/** Pieces joined by `separator` (outside text, escaped like any). */
export function join(parts: readonly MrkdwnValue[], separator = ''): Mrkdwn {
  return trusted(parts.map((p) => String(asMrkdwn(p))).join(escapeControl(separator)));
}

export const bold = (value: MrkdwnValue): Mrkdwn => mrkdwn`*${value}*`;

// Slack's ids: users (U…, W… on Enterprise Grid), conversations (C…, G…, D…), user groups (S…).
const userId = /^[UW][A-Z0-9]{2,}$/;
const conversationId = /^[CGD][A-Z0-9]{2,}$/;
const userGroupId = /^S[A-Z0-9]{2,}$/;

/** Mentions a person by Slack user id; anything that is not an id is shown as text. */
export function mention(id: string): Mrkdwn {
  return userId.test(id) ? trusted(`<@${id}>`) : text(id);
}

/** Links a conversation by id; anything that is not an id is shown as text. */
export function channelLink(id: string): Mrkdwn {
  return conversationId.test(id) ? trusted(`<#${id}>`) : text(id);
}

/** Names a user group by id (Slack shows its handle); anything that is not an id is shown as text. */
export function userGroup(id: string): Mrkdwn {
  return userGroupId.test(id) ? trusted(`<!subteam^${id}>`) : text(id);
}

/**
 * A link with a label. Only http(s) URLs are linked, written so nothing in them can end the
 * link early or add a label of its own; anything else is shown as text beside the label.
 */
export function link(url: string, label: MrkdwnValue): Mrkdwn {
  let href: string;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error('not http(s)');
    href = parsed.href;
  } catch {
    return mrkdwn`${label}: ${url}`;
  }
  const safe = href.replace(/\|/g, '%7C').replace(/</g, '%3C').replace(/>/g, '%3E');
  return trusted(`<${escapeControl(safe)}|${String(asMrkdwn(label))}>`);
}

/** Inline code: one line, escaped, with backticks that would close it early shown as `ˋ`. */
export function code(value: string | number): Mrkdwn {
  const inner = escapeControl(String(value))
    .replace(/[\r\n]+/g, ' ')
    .replace(/`/g, 'ˋ');
  return trusted(`\`${inner}\``);
}

/** A code block of lines, escaped, where a ``` in the text cannot close the block. */
export function codeBlock(lines: readonly string[]): Mrkdwn {
  const body = lines.map((l) => escapeControl(l).replace(/```/g, "'''")).join('\n');
  return trusted(`\`\`\`\n${body}\n\`\`\``);
}

/** Runs `transform` on the mrkdwn's text: for cutting and splitting, which keep it escaped. */
function mapText(value: Mrkdwn, transform: (text: string) => string): Mrkdwn {
  return trusted(transform(String(value)));
}

/**
 * Cuts escaped text to `max` characters (code points), marking the cut with an ellipsis. The
 * cut never falls inside an entity (`&amp;`) or the bot's own `<…>` sequence: in escaped text a
 * raw `&` or `<` only ever starts one.
 */
function fit(escaped: string, max: number): string {
  const chars = [...escaped];
  if (chars.length <= max) return escaped;
  let head = chars.slice(0, Math.max(0, max - 1)).join('');
  const amp = head.lastIndexOf('&');
  if (amp >= 0 && !head.includes(';', amp)) head = head.slice(0, amp);
  const lt = head.lastIndexOf('<');
  if (lt >= 0 && !head.includes('>', lt)) head = head.slice(0, lt);
  return `${head}…`;
}

/** mrkdwn cut to `max` characters without breaking an entity or a mention or link. */
export function truncateMrkdwn(value: Mrkdwn, max: number): Mrkdwn {
  return mapText(value, (t) => fit(t, max));
}

/** Splits mrkdwn on line breaks into pieces of at most `max` characters. */
export function splitMrkdwn(value: Mrkdwn, max: number): Mrkdwn[] {
  const whole = String(value);
  if ([...whole].length <= max) return [value];
  const out: Mrkdwn[] = [];
  let current = '';
  for (const line of whole.split('\n')) {
    const piece = fit(line, max);
    if (current !== '' && [...current].length + 1 + [...piece].length > max) {
      out.push(trusted(current));
      current = piece;
    } else {
      current = current === '' ? piece : `${current}\n${piece}`;
    }
  }
  if (current !== '') out.push(trusted(current));
  return out;
}

/** The length Slack counts: characters of the escaped text. */
export function mrkdwnLength(value: Mrkdwn): number {
  return [...String(value)].length;
}

/**
 * Text for a plain_text object: Slack shows it without formatting, but it still decodes the
 * three entities there, so the text is escaped whole and cut to `max` as sent.
 */
export function plainText(value: string, max: number): string {
  return fit(escapeControl(value), max);
}
