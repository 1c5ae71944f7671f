import type { PageMessage, PageSource, PageState } from '../../src/page-protocol.js';
import { api } from './api.js';
import { renderBlocks } from './blocks.js';
import { confirmDialog } from './confirm.js';
import { h } from './dom.js';
import { renderMrkdwn, type Names } from './mrkdwn.js';
import { stateOf } from './modal.js';
import type { Field, Surface } from './surface.js';

export interface MessageDeps {
  names(): Names;
  you(): string;
  state(): PageState;
  report(answer: { ok: boolean; error?: string; detail?: string }): void;
  openThread(message: PageMessage): void;
}

const slackbot = 'USLACKBOT';

function time(ts: string): string {
  const seconds = Number(ts.split('.')[0]);
  return new Date(seconds * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

function author(m: PageMessage, deps: MessageDeps): { name: string; app: boolean; initial: string } {
  const s = deps.state();
  if (m.author === slackbot) return { name: 'Slackbot', app: false, initial: 'S' };
  if (m.author === s.workspace.botUserId) return { name: s.workspace.botName, app: true, initial: 'A' };
  const name = deps.names().user(m.author);
  return { name, app: false, initial: [...name][0]?.toUpperCase() ?? '?' };
}

/**
 * One message as Slack lays it out: who and when, its blocks (or its text when it has none),
 * "(edited)" once changed in place, "Only visible to you" when ephemeral, and its replies.
 */
export function renderMessage(
  m: PageMessage,
  deps: MessageDeps,
  options: { inThread?: boolean } = {},
): HTMLElement {
  const who = author(m, deps);
  const source: PageSource = m.ephemeral
    ? { kind: 'ephemeral', id: m.id }
    : { kind: 'message', channel: m.channel, ts: m.ts };
  const fields: Field[] = [];
  const you = deps.you();
  const surface: Surface = {
    names: deps.names(),
    source,
    inView: false,
    errors: {},
    fields,
    act: (target, input) => {
      void api
        .action({ as: you, source, ...target, ...input, state: stateOf(fields) })
        .then((answer) => answer.ok || deps.report(answer));
    },
    suggest: async (target, typed) => {
      const answer = await api.suggest({ as: you, source, ...target, value: typed });
      if (!answer.ok) deps.report(answer);
      return [...(answer.options ?? []), ...(answer.option_groups ?? []).flatMap((g) => g.options)];
    },
    confirm: (dialog) => confirmDialog(dialog, deps.names()),
  };
  const content =
    m.blocks.length > 0
      ? h('div', { class: 'blocks' }, ...renderBlocks(m.blocks, surface))
      : h('div', { class: 'blocks bk-text' }, renderMrkdwn(m.text, deps.names()));
  const replies =
    !options.inThread && m.replyCount > 0
      ? h(
          'button',
          { type: 'button', class: 'replies', onclick: () => deps.openThread(m) },
          `${m.replyCount} ${m.replyCount === 1 ? 'reply' : 'replies'}`,
        )
      : null;
  return h(
    'article',
    {
      class: `msg${m.ephemeral ? ' ephemeral' : ''}${who.app ? ' from-app' : ''}`,
      'data-message-id': m.id,
      'aria-label': `${who.name} at ${time(m.ts)}${m.ephemeral ? ', only visible to you' : ''}`,
    },
    h('div', { class: `avatar${who.app ? ' app' : ''}`, 'aria-hidden': 'true' }, who.initial),
    h(
      'div',
      { class: 'msg-body' },
      h(
        'div',
        { class: 'msg-meta' },
        h('span', { class: 'msg-author' }, who.name),
        who.app ? h('span', { class: 'app-badge' }, 'APP') : null,
        h(
          'time',
          { class: 'msg-time', datetime: new Date(Number(m.ts.split('.')[0]) * 1000).toISOString() },
          time(m.ts),
        ),
        m.edited ? h('span', { class: 'msg-edited' }, '(edited)') : null,
      ),
      content,
      m.ephemeral ? h('div', { class: 'ephemeral-note' }, 'Only visible to you') : null,
      replies,
    ),
  );
}

/** Focus was in a message that changed: onto the same control in its new version, else the message. */
function keepFocus(focused: Element, replacement: HTMLElement): void {
  const action = focused.closest('[data-action-id]')?.getAttribute('data-action-id');
  const same = action
    ? replacement.querySelector<HTMLElement>(`[data-action-id="${CSS.escape(action)}"]`)
    : null;
  if (same) same.focus();
  else {
    replacement.tabIndex = -1;
    replacement.focus();
  }
}

/** A list of messages kept in the page: a message is drawn again only when it changed. */
export class MessageList {
  private readonly drawn = new Map<string, { key: string; el: HTMLElement }>();

  constructor(
    readonly el: HTMLElement,
    private readonly deps: MessageDeps,
    private readonly options: { inThread?: boolean } = {},
  ) {}

  show(messages: PageMessage[], you: string): void {
    const nearBottom = this.el.scrollHeight - this.el.scrollTop - this.el.clientHeight < 80;
    const wanted = new Set(messages.map((m) => m.id));
    for (const [id, entry] of this.drawn)
      if (!wanted.has(id)) {
        entry.el.remove();
        this.drawn.delete(id);
      }
    let previous: HTMLElement | undefined;
    for (const m of messages) {
      const key = JSON.stringify([you, m.text, m.blocks, m.edited, m.replyCount]);
      let entry = this.drawn.get(m.id);
      if (!entry || entry.key !== key) {
        const el = renderMessage(m, this.deps, this.options);
        const focused = entry?.el.contains(document.activeElement) ? document.activeElement : null;
        entry?.el.replaceWith(el);
        if (focused) keepFocus(focused, el);
        entry = { key, el };
        this.drawn.set(m.id, entry);
      }
      const expected = previous ? previous.nextElementSibling : this.el.firstElementChild;
      if (expected !== entry.el) {
        if (previous) previous.after(entry.el);
        else this.el.prepend(entry.el);
      }
      previous = entry.el;
    }
    if (nearBottom) this.el.scrollTop = this.el.scrollHeight;
  }

  reset(): void {
    for (const entry of this.drawn.values()) entry.el.remove();
    this.drawn.clear();
  }
}
