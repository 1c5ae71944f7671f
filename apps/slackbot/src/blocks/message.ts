import type { types } from '@slack/bolt';
import { escapeMrkdwn, slackLimits, truncate } from './limits.js';

export type Block = types.KnownBlock;

/** What the bot posts: Block Kit for people, and a plain-text fallback for notifications and screen readers. */
export interface SlackMessage {
  text: string;
  blocks: Block[];
}

export const mrkdwn = (text: string): types.MrkdwnElement => ({
  type: 'mrkdwn',
  text: truncate(text, slackLimits.sectionText),
});
export const plain = (text: string, max: number = slackLimits.sectionText): types.PlainTextElement => ({
  type: 'plain_text',
  text: truncate(text, max),
  emoji: true,
});

/**
 * Builds a message within Slack's limits: long text is split across sections, and when the
 * block budget runs out the rest is dropped with a note saying how much was left out.
 */
export class MessageBuilder {
  private readonly blocks: Block[] = [];
  private readonly fallback: string[] = [];
  private omitted = 0;
  private omittedWhat = '';

  constructor(private readonly maxBlocks: number = slackLimits.blocksPerMessage) {}

  /** Blocks still free, keeping one for a truncation note. */
  get remaining(): number {
    return this.maxBlocks - 1 - this.blocks.length;
  }

  header(text: string): this {
    this.push({ type: 'header', text: plain(text, slackLimits.headerText) }, text);
    return this;
  }

  section(text: string, fallback: string = text): this {
    for (const chunk of splitText(text, slackLimits.sectionText))
      this.push({ type: 'section', text: mrkdwn(chunk) });
    this.fallback.push(fallback);
    return this;
  }

  fields(pairs: [string, string][], fallback?: string): this {
    const shown = pairs.filter(([, v]) => v !== '');
    for (let i = 0; i < shown.length; i += slackLimits.sectionFields) {
      const group = shown.slice(i, i + slackLimits.sectionFields);
      this.push({
        type: 'section',
        fields: group.map(([k, v]) => ({
          type: 'mrkdwn',
          text: truncate(`*${k}*\n${v}`, slackLimits.fieldText),
        })),
      });
    }
    this.fallback.push(fallback ?? shown.map(([k, v]) => `${k}: ${v}`).join('\n'));
    return this;
  }

  context(texts: string[], fallback?: string): this {
    const elements = texts.slice(0, slackLimits.contextElements).map((t) => mrkdwn(t));
    if (elements.length > 0) this.push({ type: 'context', elements });
    if (fallback !== undefined) this.fallback.push(fallback);
    return this;
  }

  divider(): this {
    this.push({ type: 'divider' });
    return this;
  }

  block(block: Block, fallback?: string): this {
    this.push(block, fallback);
    return this;
  }

  /**
   * Rows of a table in monospace, split into sections under the text limit. Rows that do not
   * fit the block budget are left out and counted in the note.
   */
  table(headers: string[], rows: string[][], what = 'rows'): this {
    const fence = '```';
    // Cells are people's text: keep them from closing the code block or reading as markup.
    const lines = formatTable(headers, rows).map((l) => escapeMrkdwn(l).replace(/```/g, "'''"));
    const head = lines[0] ?? '';
    const budget = slackLimits.sectionText - fence.length * 2 - 2;
    let chunk: string[] = [];
    let size = head.length;
    let shown = 0;
    const flush = (): boolean => {
      if (this.remaining <= 0) return false;
      this.blocks.push({
        type: 'section',
        text: mrkdwn(`${fence}\n${[head, ...chunk].join('\n')}\n${fence}`),
      });
      shown += chunk.length;
      chunk = [];
      size = head.length;
      return true;
    };
    let full = false;
    for (const row of lines.slice(1)) {
      const line = truncate(row, budget - head.length - 1);
      if (size + line.length + 1 > budget && !flush()) {
        full = true;
        break;
      }
      chunk.push(line);
      size += line.length + 1;
    }
    if (!full && (chunk.length > 0 || shown === 0)) flush();
    if (shown < rows.length) this.omit(rows.length - shown, what);
    this.fallback.push(lines.slice(0, shown + 1).join('\n'));
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
      const note = `…and ${this.omitted} more ${this.omittedWhat} not shown (Slack limits a message's size).`;
      blocks.push({ type: 'context', elements: [mrkdwn(`_${note}_`)] });
      text.push(note);
    }
    return { text: truncate(text.filter((t) => t !== '').join('\n'), slackLimits.fallbackText), blocks };
  }

  private push(block: Block, fallback?: string): void {
    if (this.remaining <= 0) {
      this.omit(1, 'blocks');
      return;
    }
    this.blocks.push(block);
    if (fallback !== undefined) this.fallback.push(fallback);
  }
}

/** Splits text on line breaks into pieces of at most `max` characters. */
export function splitText(text: string, max: number): string[] {
  if ([...text].length <= max) return [text];
  const out: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    const piece = truncate(line, max);
    if (current !== '' && [...current].length + 1 + [...piece].length > max) {
      out.push(current);
      current = piece;
    } else {
      current = current === '' ? piece : `${current}\n${piece}`;
    }
  }
  if (current !== '') out.push(current);
  return out;
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

export { escapeMrkdwn };
