/**
 * Reading Block Kit as Slack does, for both ends of the simulator: the server (which builds the
 * action payloads from what a message or view really holds) and a page that shows them. Pure
 * functions over untrusted JSON: nothing here assumes a field exists or has the right type.
 */

export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
export const textOf = (v: unknown): string => (typeof v === 'string' ? v : '');

/** What a person typed, as Slack passes it on: `&`, `<` and `>` become entities. */
export function escapeTyped(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The block's id; Slack makes one up for a block sent without, here from its place. */
export function blockIdOf(block: unknown, index: number): string {
  const id = isObject(block) ? block.block_id : undefined;
  return typeof id === 'string' && id !== '' ? id : `~${index}`;
}

/** The interactive elements a block holds: an actions block's, a section's accessory, an input's. */
export function elementsOf(block: unknown): Json[] {
  if (!isObject(block)) return [];
  if (block.type === 'actions' && Array.isArray(block.elements)) return block.elements.filter(isObject);
  if (block.type === 'section' && isObject(block.accessory)) return [block.accessory];
  if (block.type === 'input' && isObject(block.element)) return [block.element];
  return [];
}

export interface FoundElement {
  block: Json;
  blockId: string;
  element: Json;
}

/** The element with `actionId` in the block `blockId` of `blocks`, if it is there. */
export function findElement(blocks: unknown, blockId: string, actionId: string): FoundElement | undefined {
  if (!Array.isArray(blocks)) return undefined;
  for (const [index, block] of blocks.entries()) {
    if (!isObject(block) || blockIdOf(block, index) !== blockId) continue;
    const element = elementsOf(block).find((e) => e.action_id === actionId);
    if (element) return { block, blockId, element };
  }
  return undefined;
}

/** An option object: `{ text: { type, text }, value }`. */
export interface OptionObject {
  text: Json;
  value: string;
  description?: Json;
}

function asOption(v: unknown): OptionObject | undefined {
  if (!isObject(v) || typeof v.value !== 'string' || !isObject(v.text)) return undefined;
  return { text: v.text, value: v.value, ...(isObject(v.description) ? { description: v.description } : {}) };
}

/** A JSON array's items, typed as unknown (Array.isArray alone narrows to any[]). */
const items = (value: unknown): unknown[] => (Array.isArray(value) ? (value as unknown[]) : []);

/** Every option an element offers (options, option groups flattened). */
export function optionsOf(element: Json): OptionObject[] {
  const direct = items(element.options);
  const grouped = items(element.option_groups).flatMap((g) => (isObject(g) ? items(g.options) : []));
  return [...direct, ...grouped].flatMap((o) => asOption(o) ?? []);
}

/** The initial option(s) of a select, radio group or checkbox group, among those it offers. */
export function initialOptions(element: Json): OptionObject[] {
  const offered = optionsOf(element);
  const wanted = [
    ...(isObject(element.initial_option) ? [element.initial_option] : []),
    ...items(element.initial_options),
  ];
  const values = new Set(
    wanted.flatMap((o) => (isObject(o) && typeof o.value === 'string' ? [o.value] : [])),
  );
  // External selects have no options of their own: their initial option stands as given.
  if (element.type === 'external_select') return wanted.flatMap((o) => asOption(o) ?? []);
  return offered.filter((o) => values.has(o.value));
}

/** What a person did to one element: pressed it, or picked/typed a value. */
export interface ElementInput {
  /** A picked option's value (selects, overflow, radio buttons). */
  value?: string | undefined;
  /** A picked option as the page got it (external selects, whose options the app sent earlier). */
  option?: OptionObject | undefined;
  /** Checked options' values (checkboxes). */
  values?: string[] | undefined;
}

export type ActionCheck = { ok: true; action: Json } | { ok: false; problem: string };

/**
 * The action object Slack puts in a block_actions payload for this element and input, built
 * from the element as the app sent it: a value the element does not offer is refused.
 */
export function actionFor(found: FoundElement, input: ElementInput, actionTs: string): ActionCheck {
  const { element, blockId } = found;
  const type = textOf(element.type);
  const base = { type, block_id: blockId, action_id: textOf(element.action_id), action_ts: actionTs };
  const pick = (): OptionObject | undefined => optionsOf(element).find((o) => o.value === input.value);
  switch (type) {
    case 'button':
      return {
        ok: true,
        action: {
          ...base,
          text: element.text,
          ...(typeof element.value === 'string' ? { value: element.value } : {}),
          ...(typeof element.style === 'string' ? { style: element.style } : {}),
        },
      };
    case 'static_select':
    case 'overflow':
    case 'radio_buttons': {
      const option = pick();
      return option
        ? { ok: true, action: { ...base, selected_option: option } }
        : { ok: false, problem: `${type} ${base.action_id} offers no option ${input.value ?? '(none)'}` };
    }
    case 'external_select':
      return input.option
        ? { ok: true, action: { ...base, selected_option: input.option } }
        : { ok: false, problem: `external_select ${base.action_id} needs the picked option` };
    case 'checkboxes': {
      const wanted = new Set(input.values ?? []);
      return {
        ok: true,
        action: { ...base, selected_options: optionsOf(element).filter((o) => wanted.has(o.value)) },
      };
    }
    case 'plain_text_input':
      return { ok: true, action: { ...base, value: input.value ?? '' } };
    default:
      return { ok: false, problem: `${type || 'an element'} cannot be acted on here` };
  }
}

/** A view's or message's state values: block id → action id → the element's value. */
export type StateValues = Record<string, Record<string, Json>>;
