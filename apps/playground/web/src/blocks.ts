import { blockIdOf, elementsOf, isObject, type Json } from '@atlas-backups/slack-sim/block-kit';
import { h, uid } from './dom.js';
import { renderElement } from './elements.js';
import { plainOf, textObject, unsupported, type Surface } from './surface.js';

/** Blocks as Slack lays them out in a message or a modal. */
export function renderBlocks(blocks: unknown[], surface: Surface): HTMLElement[] {
  return blocks.map((block, index) =>
    isObject(block) ? renderBlock(block, blockIdOf(block, index), surface) : unsupported('block', undefined),
  );
}

function renderBlock(block: Json, blockId: string, surface: Surface): HTMLElement {
  switch (block.type) {
    case 'section':
      return section(block, blockId, surface);
    case 'header':
      return h('div', { class: 'bk-header', role: 'heading', 'aria-level': '3' }, plainOf(block.text));
    case 'divider':
      return h('hr', { class: 'bk-divider' });
    case 'context':
      return context(block, surface);
    case 'actions': {
      const row = h('div', { class: 'bk-actions', 'data-block-id': blockId });
      for (const element of elementsOf(block))
        row.append(renderElement(element, { blockId, dispatch: true }, surface));
      return row;
    }
    case 'input':
      return input(block, blockId, surface);
    case 'image':
      return imagePlaceholder(block);
    default:
      return unsupported('block', block.type);
  }
}

function section(block: Json, blockId: string, surface: Surface): HTMLElement {
  const main = h('div', { class: 'bk-section-main' });
  if (isObject(block.text))
    main.append(h('div', { class: 'bk-text' }, textObject(block.text, surface.names)));
  if (Array.isArray(block.fields) && block.fields.length > 0) {
    const grid = h('div', { class: 'bk-fields' });
    for (const field of block.fields)
      grid.append(h('div', { class: 'bk-field' }, textObject(field, surface.names)));
    main.append(grid);
  }
  const out = h('div', { class: 'bk-section', 'data-block-id': blockId }, main);
  if (isObject(block.accessory)) {
    const accessory =
      block.accessory.type === 'image'
        ? imagePlaceholder(block.accessory)
        : renderElement(block.accessory, { blockId, dispatch: true }, surface);
    out.append(h('div', { class: 'bk-accessory' }, accessory));
  }
  return out;
}

function context(block: Json, surface: Surface): HTMLElement {
  const out = h('div', { class: 'bk-context' });
  for (const element of Array.isArray(block.elements) ? block.elements : []) {
    if (!isObject(element)) continue;
    if (element.type === 'mrkdwn' || element.type === 'plain_text')
      out.append(h('span', { class: 'bk-context-item' }, textObject(element, surface.names)));
    else if (element.type === 'image') out.append(imagePlaceholder(element));
    else out.append(unsupported('element', element.type));
  }
  return out;
}

/** Images are not fetched (the page loads nothing from elsewhere): their description stands in. */
function imagePlaceholder(image: Json): HTMLElement {
  const alt = typeof image.alt_text === 'string' && image.alt_text !== '' ? image.alt_text : 'no description';
  return h('span', { class: 'bk-image', role: 'img', 'aria-label': alt }, `🖼 ${alt}`);
}

function input(block: Json, blockId: string, surface: Surface): HTMLElement {
  const id = uid('input');
  const element = isObject(block.element) ? block.element : {};
  const error = surface.errors[blockId];
  const label = h(
    'label',
    { class: 'bk-label', for: id, id: `${id}-label` },
    plainOf(block.label),
    block.optional === true ? h('span', { class: 'bk-optional' }, ' (optional)') : null,
  );
  const dispatch = !surface.inView || block.dispatch_action === true;
  const field = renderElement(element, { blockId, dispatch, id }, surface);
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const control = field.matches('input, select, textarea')
    ? field
    : field.querySelector('input, select, textarea');
  if (control) {
    const described = [error ? errorId : '', isObject(block.hint) ? hintId : ''].filter(Boolean).join(' ');
    if (described) control.setAttribute('aria-describedby', described);
    if (error) control.setAttribute('aria-invalid', 'true');
  }
  return h(
    'div',
    { class: `bk-input-block${error ? ' has-error' : ''}`, 'data-block-id': blockId },
    label,
    field,
    isObject(block.hint) ? h('div', { class: 'bk-hint', id: hintId }, plainOf(block.hint)) : null,
    error ? h('div', { class: 'bk-error', id: errorId, role: 'alert' }, error) : null,
  );
}
