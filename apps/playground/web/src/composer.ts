import type { PageCommand } from '../../src/page-protocol.js';
import { h, uid } from './dom.js';

export interface ComposerOptions {
  label: string;
  placeholder: string;
  commands(): PageCommand[];
  send(text: string): Promise<boolean>;
}

/** The commands that fit what is typed: those it is the start of, and the one it already names. */
export function matchingCommands(typed: string, commands: PageCommand[]): PageCommand[] {
  const t = typed.replace(/^\s+/, '').replace(/\s+/g, ' ');
  if (!t.startsWith('/') || t.includes('\n')) return [];
  if ('/atlas'.startsWith(t)) return commands;
  return commands.filter((c) => c.insert.startsWith(t) || `${t} `.startsWith(c.insert));
}

/**
 * The message box. Typing `/` lists the commands with their usage, narrowing as you type; the
 * arrow keys move through the list, Tab or Enter completes the chosen one, Escape closes it.
 * Enter sends, Shift+Enter starts a new line.
 */
export class Composer {
  readonly el: HTMLElement;
  readonly input: HTMLTextAreaElement;
  private readonly list: HTMLUListElement;
  private shown: PageCommand[] = [];
  private active = -1;
  private dismissed = false;

  constructor(private readonly options: ComposerOptions) {
    const listId = uid('commands');
    const inputId = uid('composer');
    this.input = h('textarea', {
      id: inputId,
      class: 'composer-input',
      rows: 1,
      placeholder: options.placeholder,
      role: 'combobox',
      'aria-autocomplete': 'list',
      'aria-expanded': 'false',
      'aria-controls': listId,
    });
    this.list = h('ul', {
      id: listId,
      class: 'command-list',
      role: 'listbox',
      'aria-label': 'Commands',
      hidden: true,
    });
    const send = h('button', { type: 'submit', class: 'composer-send' }, 'Send');
    const form = h(
      'form',
      { class: 'composer-form' },
      h('label', { class: 'visually-hidden', for: inputId }, options.label),
      this.input,
      send,
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.submit();
    });
    this.input.addEventListener('input', () => {
      this.dismissed = false;
      this.update();
    });
    this.input.addEventListener('keydown', (event) => this.onKey(event));
    this.input.addEventListener('blur', () => this.close());
    this.input.addEventListener('focus', () => this.update());
    this.el = h('div', { class: 'composer' }, this.list, form);
  }

  private onKey(event: KeyboardEvent): void {
    const open = !this.list.hidden && this.shown.length > 0;
    if (open && (event.key === 'ArrowDown' || event.key === 'ArrowUp')) {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      this.highlight((this.active + step + this.shown.length) % this.shown.length);
      return;
    }
    if (open && event.key === 'Escape') {
      event.preventDefault();
      this.dismissed = true;
      this.close();
      return;
    }
    const chosen = open ? this.shown[this.active] : undefined;
    const typed = this.input.value.trimStart();
    // Completing adds to what is typed; a command typed in full is sent instead.
    const completes =
      chosen !== undefined && chosen.insert.startsWith(typed) && chosen.insert.trimEnd() !== typed.trimEnd();
    if (open && event.key === 'Tab' && chosen) {
      event.preventDefault();
      this.complete(chosen);
      return;
    }
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      if (completes && chosen) this.complete(chosen);
      else void this.submit();
    }
  }

  private complete(command: PageCommand): void {
    this.input.value = command.insert;
    this.input.setSelectionRange(command.insert.length, command.insert.length);
    this.update();
  }

  private async submit(): Promise<void> {
    const text = this.input.value;
    if (text.trim() === '') return;
    this.close();
    if (await this.options.send(text)) {
      this.input.value = '';
      this.update();
    }
  }

  private update(): void {
    this.shown = this.dismissed ? [] : matchingCommands(this.input.value, this.options.commands());
    this.list.replaceChildren(
      ...this.shown.map((c) =>
        h(
          'li',
          {
            id: uid('command'),
            role: 'option',
            class: 'command',
            'aria-selected': 'false',
            // Before the box loses focus, so the pick lands.
            onmousedown: (event) => {
              event.preventDefault();
              this.complete(c);
            },
          },
          h('code', { class: 'command-usage' }, c.usage),
          h('span', { class: 'command-summary' }, c.summary),
          c.changes ? h('span', { class: 'command-changes' }, 'changes Atlas') : null,
        ),
      ),
    );
    const open = this.shown.length > 0;
    this.list.hidden = !open;
    this.input.setAttribute('aria-expanded', String(open));
    this.highlight(open ? 0 : -1);
  }

  private highlight(i: number): void {
    this.active = i;
    [...this.list.children].forEach((li, j) => li.setAttribute('aria-selected', String(j === i)));
    const current = this.list.children[i];
    if (current) {
      this.input.setAttribute('aria-activedescendant', current.id);
      current.scrollIntoView({ block: 'nearest' });
    } else this.input.removeAttribute('aria-activedescendant');
  }

  private close(): void {
    this.list.hidden = true;
    this.input.setAttribute('aria-expanded', 'false');
    this.input.removeAttribute('aria-activedescendant');
  }

  focus(): void {
    this.input.focus();
  }
}
