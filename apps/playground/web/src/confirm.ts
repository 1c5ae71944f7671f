import type { Json } from '@atlas-backups/slack-sim/block-kit';
import { h } from './dom.js';
import type { Names } from './mrkdwn.js';
import { plainOf, textObject } from './surface.js';

/**
 * A button's `confirm` object as Slack shows it: a small dialog over everything, focus on the
 * deny button, Escape or Deny cancels.
 */
export function confirmDialog(dialog: Json, names: Names): Promise<boolean> {
  return new Promise((resolve) => {
    const danger = dialog.style === 'danger';
    const titleId = 'confirm-title';
    const el = h('dialog', { class: 'confirm-dialog', 'aria-labelledby': titleId });
    const finish = (answer: boolean) => {
      el.close();
      el.remove();
      resolve(answer);
    };
    const deny = h(
      'button',
      { type: 'button', class: 'bk-button', onclick: () => finish(false) },
      plainOf(dialog.deny) || 'Cancel',
    );
    const confirm = h(
      'button',
      { type: 'button', class: `bk-button ${danger ? 'danger' : 'primary'}`, onclick: () => finish(true) },
      plainOf(dialog.confirm) || 'Confirm',
    );
    el.append(
      h('h2', { id: titleId, class: 'confirm-title' }, plainOf(dialog.title) || 'Are you sure?'),
      h('div', { class: 'confirm-text' }, textObject(dialog.text, names)),
      h('div', { class: 'confirm-buttons' }, deny, confirm),
    );
    el.addEventListener('cancel', (event) => {
      event.preventDefault();
      finish(false);
    });
    document.body.append(el);
    el.showModal();
    deny.focus();
  });
}
