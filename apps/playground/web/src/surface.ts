import type { Json } from '@atlas-backups/slack-sim/block-kit';
import type { PageOption, PageSource } from '../../src/page-protocol.js';
import { h } from './dom.js';
import { plainText, renderMrkdwn, type Names } from './mrkdwn.js';

/** What a person did to an element, sent to the bot as a block action. */
export interface ElementInput {
  value?: string;
  option?: PageOption;
  values?: string[];
}

/** An input whose value goes into the surface's `state.values`. */
export interface Field {
  blockId: string;
  actionId: string;
  /** The value object Slack puts in state for it (`{ type, value }`, `{ type, selected_option }`, …). */
  read(): Json;
  /** Puts back a value the person had entered before the view was updated. */
  write(value: Json): void;
  focus(): void;
}

/** Where blocks are shown (a message or a modal) and what their elements can do there. */
export interface Surface {
  names: Names;
  source: PageSource;
  /** A modal: input blocks act only with `dispatch_action`. */
  inView: boolean;
  /** The bot's messages for input blocks, by block id. */
  errors: Record<string, string>;
  /** Every input rendered, for `state.values`. */
  fields: Field[];
  act(target: { blockId: string; actionId: string }, input: ElementInput): void;
  /** The options an external select's app offers for what was typed. */
  suggest(target: { blockId: string; actionId: string }, typed: string): Promise<PageOption[]>;
  /** Shows a confirmation dialog object; true when confirmed. */
  confirm(dialog: Json): Promise<boolean>;
}

/** A text object (mrkdwn or plain_text) as nodes. */
export function textObject(value: unknown, names: Names): Node {
  if (value === null || typeof value !== 'object') return document.createTextNode('');
  const obj = value as Json;
  const text = typeof obj.text === 'string' ? obj.text : '';
  if (obj.type === 'mrkdwn') return renderMrkdwn(text, names);
  return document.createTextNode(plainText(text, obj.emoji !== false));
}

/** A text object's words only (labels of buttons and options, which Slack shows as plain text). */
export function plainOf(value: unknown): string {
  if (value === null || typeof value !== 'object') return '';
  const obj = value as Json;
  return typeof obj.text === 'string' ? plainText(obj.text, obj.emoji !== false) : '';
}

/** What the page shows for Block Kit it does not draw: never nothing, always its name. */
export function unsupported(kind: 'block' | 'element', type: unknown): HTMLElement {
  const name = typeof type === 'string' && type !== '' ? type : '(no type)';
  return h(
    'div',
    { class: 'bk-unsupported', role: 'note' },
    `Unsupported Block Kit ${kind}: ${name} (the playground does not draw it; Slack would)`,
  );
}
