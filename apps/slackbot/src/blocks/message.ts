import type { types } from '@slack/bolt';
import { slackLimits } from './limits.js';
import {
  codeBlock,
  join,
  mrkdwn,
  mrkdwnLength,
  plainText,
  splitMrkdwn,
  text as outside,
  truncateMrkdwn,
  type Mrkdwn,
  type MrkdwnValue,
} from './slack-text.js';

export type Block = types.KnownBlock;

declare const escapedText: unique symbol;
/** A message's top-level `text`, escaped: made only by MessageBuilder from mrkdwn. */
export type MessageText = string & { readonly [escapedText]: true };

/** What the bot posts: Block Kit for people, and a fallback text for notifications and screen readers. */
export interface SlackMessage {
  text: MessageText;
  blocks: Block[];
}

/**
 * A mrkdwn text object. `verbatim`: Slack would otherwise turn names and URLs in people's text
 * into links and mentions; the bot writes its own mentions and links explicitly.
 */
export const mrkdwnObject = (text: Mrkdwn, max: number = slackLimits.sectionText): types.MrkdwnElement => ({
  type: 'mrkdwn',
  text: String(truncateMrkdwn(text, max)),
  verbatim: true,
});

/** A plain_text object: any text, escaped as Slack requires, cut to `max` characters. */
export const plain = (text: string, max: number = slackLimits.sectionText): types.PlainTextElement => ({
  type: 'plain_text',
  text: plainText(text, max),
  emoji: true,
});

/**
 * Builds a message within Slack's limits: long text is split across sections, and when the
 * block budget runs out the rest is dropped with a note saying how much was left out.
 */
export class MessageBuilder {
  private readonly blocks: Block[] = [];
  private readonly fallback: Mrkdwn[] = [];
  private omitted = 0;
  private omittedWhat = '';

  constructor(private readonly maxBlocks: number = slackLimits.blocksPerMessage) {}

  /** Blocks still free, keeping one for a truncation note. */
  get remaining(): number {
    return this.maxBlocks - 1 - this.blocks.length;
  }

  /** A header: plain text, so anything may go in. */
  header(text: string): this {
    this.push({ type: 'header', text: plain(text, slackLimits.headerText) }, outside(text));
    return this;
  }

  section(text: Mrkdwn, fallback: Mrkdwn = text): this {
    for (const chunk of splitMrkdwn(text, slackLimits.sectionText))
      this.push({ type: 'section', text: mrkdwnObject(chunk) });
    this.fallback.push(fallback);
    return this;
  }

  /** Labelled values side by side; values that are strings are outside text and escaped. */
  fields(pairs: [string, MrkdwnValue][], fallback?: Mrkdwn): this {
    const shown = pairs.filter(([, v]) => String(v) !== '');
    for (let i = 0; i < shown.length; i += slackLimits.sectionFields) {
      const group = shown.slice(i, i + slackLimits.sectionFields);
      this.push({
        type: 'section',
        fields: group.map(([k, v]) => mrkdwnObject(mrkdwn`*${k}*\n${v}`, slackLimits.fieldText)),
      });
    }
    this.fallback.push(
      fallback ??
        join(
          shown.map(([k, v]) => mrkdwn`${k}: ${v}`),
          '\n',
        ),
    );
    return this;
  }

  context(texts: Mrkdwn[], fallback?: Mrkdwn): this {
    const elements = texts.slice(0, slackLimits.contextElements).map((t) => mrkdwnObject(t));
    if (elements.length > 0) this.push({ type: 'context', elements });
    if (fallback !== undefined) this.fallback.push(fallback);
    return this;
  }

  divider(): this {
    this.push({ type: 'divider' });
    return this;
  }

  block(block: Block, fallback?: Mrkdwn): this {
    this.push(block, fallback);
    return this;
  }

  /**
   * Rows of a table in monospace, split into sections under the text limit. Rows that do not
   * fit the block budget are left out and counted in the note.
   */
  table(headers: string[], rows: string[][], what = 'rows'): this {
    // Cells are people's text: codeBlock escapes them and keeps them from closing the block.
    const lines = formatTable(headers, rows);
    const head = lines[0] ?? '';
    const size = (line: string) => mrkdwnLength(outside(line));
    const budget = slackLimits.sectionText - mrkdwnLength(codeBlock([])) - 1;
    let chunk: string[] = [];
    let used = size(head);
    let shown = 0;
    const flush = (): boolean => {
      if (this.remaining <= 0) return false;
      this.blocks.push({ type: 'section', text: mrkdwnObject(codeBlock([head, ...chunk])) });
      shown += chunk.length;
      chunk = [];
      used = size(head);
      return true;
    };
    let full = false;
    for (const row of lines.slice(1)) {
      const line = fitRaw(row, budget - size(head) - 1);
      if (used + size(line) + 1 > budget && !flush()) {
        full = true;
        break;
      }
      chunk.push(line);
      used += size(line) + 1;
    }
    if (!full && (chunk.length > 0 || shown === 0)) flush();
    if (shown < rows.length) this.omit(rows.length - shown, what);
    this.fallback.push(outside(lines.slice(0, shown + 1).join('\n')));
    return this;
  }

  /** Records that `count` items were not shown (noted at the end). */
  omit(count: number, what: string): this {
    this.omitted += count;
    this.omittedWhat = what;
    return this;
  }

  build(): SlackMessage {
    const blocks = [...this.blocks];
    const text = [...this.fallback];
    if (this.omitted > 0) {
      const note = mrkdwn`…and ${this.omitted} more ${this.omittedWhat} not shown (Slack limits a message's size).`;
      blocks.push({ type: 'context', elements: [mrkdwnObject(mrkdwn`_${note}_`)] });
      text.push(note);
    }
    const fallback = join(
      text.filter((t) => String(t) !== ''),
      '\n',
    );
    return { text: String(truncateMrkdwn(fallback, slackLimits.fallbackText)) as MessageText, blocks };
  }

  private push(block: Block, fallback?: Mrkdwn): void {
    if (this.remaining <= 0) {
      this.omit(1, 'blocks');
      return;
    }
    this.blocks.push(block);
    if (fallback !== undefined) this.fallback.push(fallback);
  }
}

/** A raw table row cut so that, escaped, it is at most `max` characters. */
function fitRaw(row: string, max: number): string {
  if (mrkdwnLength(outside(row)) <= max) return row;
  let used = 1; // the ellipsis
  let cut = '';
  for (const ch of row) {
    used += mrkdwnLength(outside(ch));
    if (used > max) break;
    cut += ch;
  }
  return `${cut}…`;
}

/** Left-aligned columns padded to the widest cell. */
export function formatTable(headers: string[], rows: string[][]): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)];
}

/** `note` at the top of `message` (below its header, if it has one), within Slack's block limit. */
export function withNote(message: SlackMessage, note: SlackMessage): SlackMessage {
  const [first, ...rest] = message.blocks;
  const blocks =
    first?.type === 'header' ? [first, ...note.blocks, ...rest] : [...note.blocks, ...message.blocks];
  // Both texts are already escaped; joining them keeps them so.
  const text = `${note.text}\n${message.text}` as MessageText;
  return { text, blocks: blocks.slice(0, slackLimits.blocksPerMessage) };
}
