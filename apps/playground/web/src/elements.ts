import {
  initialOptions,
  isObject,
  optionsOf,
  textOf,
  type Json,
  type OptionObject,
} from '@atlas-backups/slack-sim/block-kit';
import type { PageOption } from '../../src/page-protocol.js';
import { h, uid } from './dom.js';
import { plainOf, unsupported, type Field, type Surface } from './surface.js';

/** Where an element sits and how it behaves there. */
export interface Placement {
  blockId: string;
  /** Acting on it sends a block action at once (buttons always; inputs with dispatch_action). */
  dispatch: boolean;
  /** The id its label points at. */
  id?: string;
}

const asPageOption = (o: OptionObject): PageOption => ({
  text: { type: 'plain_text', text: textOf(o.text.text) },
  value: o.value,
});

/** Draws one interactive element; anything else is a named placeholder. */
export function renderElement(element: Json, at: Placement, surface: Surface): HTMLElement {
  switch (element.type) {
    case 'button':
      return button(element, at, surface);
    case 'static_select':
      return staticSelect(element, at, surface);
    case 'external_select':
      return externalSelect(element, at, surface);
    case 'overflow':
      return overflow(element, at, surface);
    case 'radio_buttons':
    case 'checkboxes':
      return choices(element, at, surface);
    case 'plain_text_input':
      return textInput(element, at, surface);
    default:
      return unsupported('element', element.type);
  }
}

function target(element: Json, at: Placement) {
  return { blockId: at.blockId, actionId: textOf(element.action_id) };
}

function register(surface: Surface, field: Field): void {
  surface.fields.push(field);
}

function button(element: Json, at: Placement, surface: Surface): HTMLElement {
  const style = element.style === 'primary' || element.style === 'danger' ? ` ${element.style}` : '';
  const el = h('button', {
    type: 'button',
    class: `bk-button${style}`,
    'data-action-id': textOf(element.action_id),
  });
  el.textContent = plainOf(element.text);
  el.addEventListener('click', () => {
    void (async () => {
      if (isObject(element.confirm) && !(await surface.confirm(element.confirm))) return;
      if (typeof element.url === 'string' && /^https?:\/\//i.test(element.url))
        window.open(element.url, '_blank', 'noopener,noreferrer');
      surface.act(target(element, at), {});
    })();
  });
  return el;
}

function staticSelect(element: Json, at: Placement, surface: Surface): HTMLElement {
  const id = at.id ?? uid('select');
  const select = h('select', { id, class: 'bk-select', 'data-action-id': textOf(element.action_id) });
  const options = optionsOf(element);
  const initial = initialOptions(element)[0];
  const placeholder = h(
    'option',
    { value: '', disabled: true },
    plainOf(element.placeholder) || 'Choose an option',
  );
  select.append(placeholder);
  const groups = Array.isArray(element.option_groups) ? element.option_groups.filter(isObject) : [];
  const addOption = (parent: HTMLElement, o: OptionObject) => {
    const opt = h('option', { value: o.value });
    opt.textContent = plainOf(o.text);
    parent.append(opt);
  };
  if (groups.length > 0)
    for (const g of groups) {
      const group = h('optgroup', { label: plainOf(g.label) });
      for (const o of optionsOf(g)) addOption(group, o);
      select.append(group);
    }
  else for (const o of options) addOption(select, o);
  select.value = initial?.value ?? '';
  placeholder.selected = initial === undefined;
  const picked = () => options.find((o) => o.value === select.value);
  register(surface, {
    blockId: at.blockId,
    actionId: textOf(element.action_id),
    read: () => ({ type: 'static_select', selected_option: picked() ?? null }),
    write: (v) => {
      const value = isObject(v.selected_option) ? textOf(v.selected_option.value) : '';
      if (options.some((o) => o.value === value)) select.value = value;
    },
    focus: () => select.focus(),
  });
  select.addEventListener('change', () => {
    const option = picked();
    if (at.dispatch && option) surface.act(target(element, at), { value: option.value });
  });
  return select;
}

/** A text box that asks the app for options as you type, and a list to pick from. */
function externalSelect(element: Json, at: Placement, surface: Surface): HTMLElement {
  const id = at.id ?? uid('external');
  const listId = uid('suggestions');
  const minLength = typeof element.min_query_length === 'number' ? element.min_query_length : 3;
  let selected: OptionObject | undefined = initialOptions(element)[0];
  const input = h('input', {
    id,
    type: 'text',
    class: 'bk-input',
    role: 'combobox',
    'aria-autocomplete': 'list',
    'aria-expanded': 'false',
    'aria-controls': listId,
    placeholder: plainOf(element.placeholder) || 'Type to search',
    'data-action-id': textOf(element.action_id),
  });
  input.value = selected ? plainOf(selected.text) : '';
  const list = h('ul', { id: listId, class: 'bk-suggestions', role: 'listbox', hidden: true });
  const status = h('div', { class: 'bk-suggest-status', 'aria-live': 'polite' });
  let shown: PageOption[] = [];
  let active = -1;
  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
  };
  const choose = (o: PageOption) => {
    selected = { text: o.text, value: o.value };
    input.value = plainOf(o.text);
    close();
    if (at.dispatch) surface.act(target(element, at), { option: o });
  };
  const highlight = (i: number) => {
    active = i;
    [...list.children].forEach((li, j) => li.setAttribute('aria-selected', String(j === i)));
    const current = list.children[i];
    if (current) input.setAttribute('aria-activedescendant', current.id);
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  input.addEventListener('input', () => {
    selected = undefined;
    if (timer) clearTimeout(timer);
    const typed = input.value;
    if (typed.length < minLength) {
      status.textContent = `Type at least ${minLength} characters.`;
      close();
      return;
    }
    timer = setTimeout(() => {
      status.textContent = 'Loading options…';
      void surface.suggest(target(element, at), typed).then((options) => {
        shown = options;
        list.replaceChildren(
          ...options.map((o) =>
            h(
              'li',
              { id: uid('opt'), role: 'option', class: 'bk-suggestion', onmousedown: () => choose(o) },
              plainOf(o.text),
            ),
          ),
        );
        status.textContent = options.length === 0 ? 'No options.' : `${options.length} options.`;
        list.hidden = options.length === 0;
        input.setAttribute('aria-expanded', String(options.length > 0));
        highlight(options.length > 0 ? 0 : -1);
      });
    }, 250);
  });
  input.addEventListener('keydown', (event) => {
    if (list.hidden) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      highlight((active + step + shown.length) % shown.length);
    } else if (event.key === 'Enter' && shown[active]) {
      event.preventDefault();
      choose(shown[active] as PageOption);
    } else if (event.key === 'Escape') {
      event.stopPropagation();
      close();
    }
  });
  input.addEventListener('blur', close);
  register(surface, {
    blockId: at.blockId,
    actionId: textOf(element.action_id),
    read: () => ({ type: 'external_select', selected_option: selected ? asPageOption(selected) : null }),
    write: (v) => {
      if (!isObject(v.selected_option) || !isObject(v.selected_option.text)) return;
      selected = { text: v.selected_option.text, value: textOf(v.selected_option.value) };
      input.value = plainOf(selected.text);
    },
    focus: () => input.focus(),
  });
  return h('div', { class: 'bk-combobox' }, input, list, status);
}

/** The ⋯ menu: a button that opens a list of choices. */
function overflow(element: Json, at: Placement, surface: Surface): HTMLElement {
  const menuId = uid('overflow');
  const toggle = h('button', {
    type: 'button',
    class: 'bk-overflow',
    'aria-haspopup': 'menu',
    'aria-expanded': 'false',
    'aria-controls': menuId,
    'aria-label': 'More actions',
    'data-action-id': textOf(element.action_id),
  });
  toggle.textContent = '⋯';
  const menu = h('div', { id: menuId, class: 'bk-menu', role: 'menu', hidden: true });
  const items = optionsOf(element).map((o) =>
    h(
      'button',
      {
        type: 'button',
        role: 'menuitem',
        class: 'bk-menuitem',
        onclick: () => {
          closeMenu();
          void (async () => {
            if (isObject(element.confirm) && !(await surface.confirm(element.confirm))) return;
            surface.act(target(element, at), { value: o.value });
          })();
        },
      },
      plainOf(o.text),
    ),
  );
  menu.append(...items);
  const closeMenu = () => {
    menu.hidden = true;
    toggle.setAttribute('aria-expanded', 'false');
  };
  toggle.addEventListener('click', () => {
    menu.hidden = !menu.hidden;
    toggle.setAttribute('aria-expanded', String(!menu.hidden));
    if (!menu.hidden) items[0]?.focus();
  });
  menu.addEventListener('keydown', (event) => {
    const i = items.indexOf(document.activeElement as HTMLButtonElement);
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      items[(i + step + items.length) % items.length]?.focus();
    } else if (event.key === 'Escape') {
      event.stopPropagation();
      closeMenu();
      toggle.focus();
    }
  });
  return h('div', { class: 'bk-overflow-wrap' }, toggle, menu);
}

/** Radio buttons or checkboxes, as a group. */
function choices(element: Json, at: Placement, surface: Surface): HTMLElement {
  const radio = element.type === 'radio_buttons';
  const name = uid(radio ? 'radio' : 'check');
  const options = optionsOf(element);
  const initial = new Set(initialOptions(element).map((o) => o.value));
  const inputs = options.map((o) => {
    const input = h('input', { type: radio ? 'radio' : 'checkbox', name, value: o.value });
    input.checked = initial.has(o.value);
    input.addEventListener('change', () => {
      if (!at.dispatch) return;
      if (radio) surface.act(target(element, at), { value: o.value });
      else surface.act(target(element, at), { values: inputs.filter((i) => i.checked).map((i) => i.value) });
    });
    return input;
  });
  const group = h('div', {
    class: 'bk-choices',
    role: radio ? 'radiogroup' : 'group',
    'data-action-id': textOf(element.action_id),
    ...(at.id ? { 'aria-labelledby': `${at.id}-label` } : {}),
  });
  options.forEach((o, i) =>
    group.append(h('label', { class: 'bk-choice' }, inputs[i] as HTMLInputElement, plainOf(o.text))),
  );
  const checked = () => options.filter((_, i) => inputs[i]?.checked);
  register(surface, {
    blockId: at.blockId,
    actionId: textOf(element.action_id),
    read: () =>
      radio
        ? { type: 'radio_buttons', selected_option: checked()[0] ?? null }
        : { type: 'checkboxes', selected_options: checked() },
    write: (v) => {
      const wanted = new Set(
        (radio ? [v.selected_option] : Array.isArray(v.selected_options) ? v.selected_options : []).flatMap(
          (o) => (isObject(o) ? [textOf(o.value)] : []),
        ),
      );
      inputs.forEach((input) => (input.checked = wanted.has(input.value)));
    },
    focus: () => (inputs.find((i) => i.checked) ?? inputs[0])?.focus(),
  });
  return group;
}

function textInput(element: Json, at: Placement, surface: Surface): HTMLElement {
  const id = at.id ?? uid('text');
  const attrs = {
    id,
    class: 'bk-input',
    'data-action-id': textOf(element.action_id),
    placeholder: plainOf(element.placeholder) || undefined,
    maxlength: typeof element.max_length === 'number' ? element.max_length : undefined,
    minlength: typeof element.min_length === 'number' ? element.min_length : undefined,
  };
  const input =
    element.multiline === true
      ? h('textarea', { ...attrs, rows: 3 })
      : h('input', { ...attrs, type: 'text' });
  input.value = textOf(element.initial_value);
  if (at.dispatch)
    input.addEventListener('keydown', (event) => {
      if (
        event instanceof KeyboardEvent &&
        event.key === 'Enter' &&
        !(element.multiline === true && event.shiftKey)
      ) {
        event.preventDefault();
        surface.act(target(element, at), { value: input.value });
      }
    });
  register(surface, {
    blockId: at.blockId,
    actionId: textOf(element.action_id),
    read: () => ({ type: 'plain_text_input', value: input.value === '' ? null : input.value }),
    write: (v) => {
      input.value = textOf(v.value);
    },
    focus: () => input.focus(),
  });
  return input;
}
