import type { Json } from '@atlas-backups/slack-sim/block-kit';
import type { PageAnswer, PageStateValues, PageView } from '../../src/page-protocol.js';
import { api } from './api.js';
import { renderBlocks } from './blocks.js';
import { confirmDialog } from './confirm.js';
import { clear, h } from './dom.js';
import type { Names } from './mrkdwn.js';
import { plainOf, type Field, type Surface } from './surface.js';

export interface ModalDeps {
  names(): Names;
  you(): string;
  /** Says what went wrong when the bot could not be reached. */
  report(answer: PageAnswer): void;
}

const key = (f: Pick<Field, 'blockId' | 'actionId'>) => `${f.blockId}\u0000${f.actionId}`;

/** The values of these fields as Slack's `state.values`. */
export function stateOf(fields: Field[]): PageStateValues {
  const values: PageStateValues = {};
  for (const f of fields) (values[f.blockId] ??= {})[f.actionId] = f.read();
  return values;
}

/**
 * The person's open modal: the top view of their stack, drawn again only when the bot changes
 * it (a new hash) or answers a submission with errors. What the person entered stays across an
 * update wherever the block and element are still there, as in Slack; focus stays put too.
 */
export class ModalLayer {
  private readonly dialog: HTMLDialogElement;
  private shown: { id: string; hash: string; errors: string } | undefined;
  private fields: Field[] = [];
  /** The values the current view was drawn with, and per open view what the person changed since. */
  private baseline = new Map<string, string>();
  private readonly entered = new Map<string, Map<string, Json>>();
  private stackSize = 0;

  constructor(private readonly deps: ModalDeps) {
    this.dialog = h('dialog', { class: 'modal', 'aria-modal': 'true' });
    this.dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      void this.closeTop();
    });
    document.body.append(this.dialog);
  }

  render(views: PageView[]): void {
    this.stackSize = views.length;
    const top = views.at(-1);
    // A view under a pushed one keeps what was entered in it, for when it is on top again.
    const open = new Set(views.map((v) => v.id));
    for (const id of this.entered.keys()) if (!open.has(id)) this.entered.delete(id);
    if (!top) {
      this.shown = undefined;
      if (this.dialog.open) this.dialog.close();
      return;
    }
    const errors = JSON.stringify(top.errors);
    if (this.shown?.id === top.id && this.shown.hash === top.hash && this.shown.errors === errors) return;
    if (this.shown && open.has(this.shown.id)) this.keepEntered(this.shown.id);
    const focused = this.focusedField();
    const newErrors = errors !== '{}' && this.shown?.errors !== errors;
    this.draw(top);
    this.shown = { id: top.id, hash: top.hash, errors };
    if (!this.dialog.open) this.dialog.showModal();
    // Focus goes to the first field the bot found wrong, else stays where it was, else the first field.
    const wrong = newErrors ? this.fields.find((f) => top.errors[f.blockId] !== undefined) : undefined;
    const again = focused ? this.fields.find((f) => key(f) === focused) : undefined;
    const first = this.fields[0] ?? this.dialog.querySelector<HTMLElement>('.modal-footer button');
    (wrong ?? again ?? first)?.focus();
  }

  private keepEntered(viewId: string): void {
    const entered = this.entered.get(viewId) ?? new Map<string, Json>();
    for (const f of this.fields) {
      const now = f.read();
      if (JSON.stringify(now) !== this.baseline.get(key(f))) entered.set(key(f), now);
      else entered.delete(key(f));
    }
    this.entered.set(viewId, entered);
  }

  /** The field that has focus now, by block and action id ('' when focus is elsewhere in the modal). */
  private focusedField(): string | undefined {
    if (!this.dialog.open) return undefined;
    const active = document.activeElement;
    if (!active || !this.dialog.contains(active)) return undefined;
    const block = active.closest('[data-block-id]')?.getAttribute('data-block-id');
    const action = active.closest('[data-action-id]')?.getAttribute('data-action-id');
    return block && action ? key({ blockId: block, actionId: action }) : '';
  }

  private draw(view: PageView): void {
    const v = view.view;
    const you = this.deps.you();
    const fields: Field[] = [];
    const surface: Surface = {
      names: this.deps.names(),
      source: { kind: 'view', viewId: view.id },
      inView: true,
      errors: view.errors,
      fields,
      act: (target, input) => {
        void api
          .action({ as: you, source: surface.source, ...target, ...input, state: stateOf(fields) })
          .then((answer) => answer.ok || this.deps.report(answer));
      },
      suggest: async (target, typed) => {
        const answer = await api.suggest({ as: you, source: surface.source, ...target, value: typed });
        if (!answer.ok) this.deps.report(answer);
        return [...(answer.options ?? []), ...(answer.option_groups ?? []).flatMap((g) => g.options)];
      },
      confirm: (dialog) => confirmDialog(dialog, this.deps.names()),
    };
    const blocks = Array.isArray(v.blocks) ? v.blocks : [];
    const body = h('div', { class: 'modal-body' }, ...renderBlocks(blocks, surface));
    this.fields = fields;
    this.baseline = new Map(fields.map((f) => [key(f), JSON.stringify(f.read())]));
    const entered = this.entered.get(view.id);
    for (const f of fields) {
      const value = entered?.get(key(f));
      if (value) f.write(value);
    }
    const titleId = `modal-title-${view.id}`;
    const status = h('div', { class: 'modal-status', role: 'status' });
    const closeLabel = plainOf(v.close) || (this.stackSize > 1 ? 'Back' : 'Cancel');
    const submit =
      v.submit !== undefined && v.submit !== null
        ? h('button', { type: 'submit', class: 'bk-button primary' }, plainOf(v.submit) || 'Submit')
        : null;
    const form = h(
      'form',
      { class: 'modal-form', novalidate: true },
      h(
        'header',
        { class: 'modal-header' },
        this.stackSize > 1
          ? h(
              'button',
              {
                type: 'button',
                class: 'modal-back',
                'aria-label': 'Back',
                onclick: () => void this.closeTop(),
              },
              '‹',
            )
          : null,
        h('h2', { id: titleId, class: 'modal-title' }, plainOf(v.title) || 'Untitled'),
        h(
          'button',
          { type: 'button', class: 'modal-x', 'aria-label': 'Close', onclick: () => void this.closeTop() },
          '×',
        ),
      ),
      body,
      status,
      h(
        'footer',
        { class: 'modal-footer' },
        h('button', { type: 'button', class: 'bk-button', onclick: () => void this.closeTop() }, closeLabel),
        submit,
      ),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (submit) submit.disabled = true;
      status.textContent = '';
      void api.submit({ as: you, viewId: view.id, state: stateOf(fields) }).then((answer) => {
        if (submit) submit.disabled = false;
        if (!answer.ok)
          status.textContent = `We had some trouble connecting (${answer.error ?? 'error'}). Try again?`;
      });
    });
    this.dialog.setAttribute('aria-labelledby', titleId);
    clear(this.dialog);
    this.dialog.append(form);
  }

  private async closeTop(): Promise<void> {
    const id = this.shown?.id;
    if (!id) return;
    const answer = await api.close({ as: this.deps.you(), viewId: id, state: stateOf(this.fields) });
    if (!answer.ok) this.deps.report(answer);
  }
}
