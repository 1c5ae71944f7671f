import type { PageAnswer, PageMessage, PageState } from '../../src/page-protocol.js';
import { api } from './api.js';
import { Composer } from './composer.js';
import { clear, h } from './dom.js';
import { MessageList, type MessageDeps } from './messages.js';
import { ModalLayer } from './modal.js';
import type { Names } from './mrkdwn.js';

const storedYou = 'atlas-playground.you';

/**
 * The playground page: a channel list and a switcher for who you are; the channel's messages
 * and a message box; a thread beside it when one is open; your modal over everything; and, on
 * demand, every request that went between the bot and the local Slack.
 */
class Page {
  private state: PageState | undefined;
  private you = localStorage.getItem(storedYou) ?? 'U0REQUESTER';
  private channel = 'C0INCIDENT';
  private thread: { channel: string; ts: string } | undefined;
  private seen = new Map<string, number>();
  private readonly root = document.getElementById('app') as HTMLElement;
  private readonly channelList = h('nav', { class: 'channel-list', 'aria-label': 'Channels' });
  private readonly whoSelect = h('select', { id: 'who', class: 'who-select' });
  private readonly whoNote = h('p', { class: 'who-note' });
  private readonly banner = h('p', { class: 'banner' });
  private readonly channelTitle = h('h1', { class: 'channel-title' });
  private readonly channelPurpose = h('p', { class: 'channel-purpose' });
  private readonly messagesEl = h('div', {
    class: 'messages',
    role: 'log',
    'aria-label': 'Messages',
    tabindex: 0,
  });
  private readonly threadPane = h('aside', { class: 'thread', 'aria-label': 'Thread', hidden: true });
  private readonly threadMessages = h('div', {
    class: 'thread-messages',
    role: 'log',
    'aria-label': 'Thread replies',
  });
  private readonly trafficPane = h('aside', {
    class: 'traffic',
    'aria-label': 'Requests between the bot and Slack',
    hidden: true,
  });
  private readonly trafficList = h('ol', { class: 'traffic-list' });
  private readonly toasts = h('div', { class: 'toasts', role: 'status', 'aria-live': 'polite' });
  private readonly list: MessageList;
  private readonly threadList: MessageList;
  private readonly modal: ModalLayer;
  private readonly composer: Composer;
  private readonly threadComposer: Composer;

  constructor() {
    const deps: MessageDeps = {
      names: () => this.names(),
      you: () => this.you,
      state: () => this.current(),
      report: (answer) => this.report(answer),
      openThread: (m) => this.openThread(m),
    };
    this.list = new MessageList(this.messagesEl, deps);
    this.threadList = new MessageList(this.threadMessages, deps, { inThread: true });
    this.modal = new ModalLayer({
      names: () => this.names(),
      you: () => this.you,
      report: (a) => this.report(a),
    });
    this.composer = new Composer({
      label: 'Message',
      placeholder: 'Message the channel, or type / for commands',
      commands: () => this.state?.commands ?? [],
      send: (text) => this.send(text),
    });
    this.threadComposer = new Composer({
      label: 'Reply in thread',
      placeholder: 'Reply…',
      commands: () => this.state?.commands ?? [],
      send: (text) => this.send(text, this.thread?.ts),
    });
    this.whoSelect.addEventListener('change', () => {
      this.you = this.whoSelect.value;
      localStorage.setItem(storedYou, this.you);
      this.list.reset();
      this.threadList.reset();
      void this.refresh();
    });
    this.layout();
  }

  private layout(): void {
    const trafficToggle = h(
      'button',
      { type: 'button', class: 'traffic-toggle', 'aria-expanded': 'false', 'aria-controls': 'traffic' },
      'Show requests between the bot and Slack',
    );
    trafficToggle.addEventListener('click', () => {
      this.trafficPane.hidden = !this.trafficPane.hidden;
      trafficToggle.setAttribute('aria-expanded', String(!this.trafficPane.hidden));
      trafficToggle.textContent = this.trafficPane.hidden
        ? 'Show requests between the bot and Slack'
        : 'Hide requests between the bot and Slack';
    });
    this.trafficPane.id = 'traffic';
    this.trafficPane.append(h('h2', { class: 'pane-title' }, 'Under the hood'), this.trafficList);
    const closeThread = h(
      'button',
      { type: 'button', class: 'pane-close', 'aria-label': 'Close thread' },
      '×',
    );
    closeThread.addEventListener('click', () => {
      this.thread = undefined;
      this.threadPane.hidden = true;
      this.composer.focus();
    });
    this.threadPane.append(
      h('header', { class: 'pane-header' }, h('h2', { class: 'pane-title' }, 'Thread'), closeThread),
      this.threadMessages,
      this.threadComposer.el,
    );
    this.root.append(
      h(
        'aside',
        { class: 'sidebar' },
        h('div', { class: 'workspace-name' }, 'Atlas Backups playground'),
        h('p', { class: 'workspace-note' }, 'A local stand-in for Slack: nothing leaves this machine.'),
        h('label', { class: 'who-label', for: 'who' }, 'You are'),
        this.whoSelect,
        this.whoNote,
        h('h2', { class: 'sidebar-heading' }, 'Channels'),
        this.channelList,
        trafficToggle,
        this.banner,
      ),
      h(
        'main',
        { class: 'channel' },
        h('header', { class: 'channel-header' }, this.channelTitle, this.channelPurpose),
        this.messagesEl,
        this.composer.el,
      ),
      this.threadPane,
      this.trafficPane,
      this.toasts,
    );
  }

  private current(): PageState {
    if (!this.state) throw new Error('no state yet');
    return this.state;
  }

  names(): Names {
    const s = this.state;
    return {
      user: (id) => {
        if (s?.workspace.botUserId === id) return s.workspace.botName;
        return s?.people.find((p) => p.id === id)?.realName ?? id;
      },
      channel: (id) => s?.channels.find((c) => c.id === id)?.name,
      userGroup: (id) => s?.userGroups.find((g) => g.id === id)?.handle,
      openChannel: (id) => this.openChannel(id),
    };
  }

  private refreshing: Promise<void> | undefined;
  private again = false;

  /** Fetches the workspace as you see it; changes that arrive meanwhile fetch once more after. */
  refresh(): Promise<void> {
    if (this.refreshing) {
      this.again = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      do {
        this.again = false;
        try {
          this.render(await api.state(this.you));
        } catch (error) {
          this.toast(
            `Could not reach the playground: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
      } while (this.again);
      this.refreshing = undefined;
    })();
    return this.refreshing;
  }

  private render(state: PageState): void {
    this.state = state;
    if (!state.people.some((p) => p.id === this.you)) this.you = state.people[0]?.id ?? this.you;
    this.renderWho(state);
    this.banner.textContent = state.workspace.banner;
    const visible = state.messages.filter((m) => m.channel === this.channel && m.threadTs === undefined);
    this.seen.set(this.channel, visible.length);
    this.renderChannels(state);
    const channel = state.channels.find((c) => c.id === this.channel);
    this.channelTitle.textContent = `#${channel?.name ?? this.channel}`;
    this.channelPurpose.textContent = channel?.purpose ?? '';
    this.list.show(visible, this.you);
    if (this.thread) {
      const { channel: c, ts } = this.thread;
      const parent = state.messages.find((m) => m.channel === c && m.ts === ts);
      const replies = state.messages.filter((m) => m.channel === c && m.threadTs === ts);
      this.threadList.show(parent ? [parent, ...replies] : replies, this.you);
    }
    this.modal.render(state.views);
    this.renderTraffic(state);
  }

  private renderWho(state: PageState): void {
    if (this.whoSelect.options.length !== state.people.length) {
      clear(this.whoSelect);
      for (const p of state.people)
        this.whoSelect.append(h('option', { value: p.id }, `${p.realName} (${p.role})`));
    }
    this.whoSelect.value = this.you;
    this.whoNote.textContent = state.people.find((p) => p.id === this.you)?.description ?? '';
  }

  private channelsDrawn = '';

  private renderChannels(state: PageState): void {
    const rows = state.channels.map((c) => {
      const count = state.messages.filter((m) => m.channel === c.id && m.threadTs === undefined).length;
      return { c, unread: c.id !== this.channel && count > (this.seen.get(c.id) ?? 0) };
    });
    // Drawn again only when something shown changed, so keyboard focus stays on its button.
    const drawn = JSON.stringify([this.channel, rows.map((r) => [r.c.id, r.c.name, r.unread])]);
    if (drawn === this.channelsDrawn) return;
    this.channelsDrawn = drawn;
    const focused = this.channelList.contains(document.activeElement)
      ? document.activeElement?.getAttribute('data-channel')
      : null;
    clear(this.channelList);
    for (const { c, unread } of rows) {
      this.channelList.append(
        h(
          'button',
          {
            type: 'button',
            class: `channel-button${c.id === this.channel ? ' current' : ''}${unread ? ' unread' : ''}`,
            'data-channel': c.id,
            'aria-current': c.id === this.channel ? 'page' : undefined,
            onclick: () => this.openChannel(c.id),
          },
          `# ${c.name}`,
          unread ? h('span', { class: 'visually-hidden' }, ' (new messages)') : null,
        ),
      );
    }
    if (focused)
      this.channelList.querySelector<HTMLElement>(`[data-channel="${CSS.escape(focused)}"]`)?.focus();
  }

  private renderTraffic(state: PageState): void {
    if (this.trafficPane.hidden) return;
    this.trafficList.replaceChildren(
      ...state.traffic
        .slice()
        .reverse()
        .map((t) =>
          h(
            'li',
            { class: 'traffic-row' },
            h('span', { class: `traffic-dir dir-${t.direction.replace(/[^a-z]/gi, '-')}` }, t.direction),
            h('code', { class: 'traffic-summary' }, t.summary),
            h('span', { class: 'traffic-outcome' }, t.outcome),
          ),
        ),
    );
  }

  private openChannel(id: string): void {
    if (!this.state?.channels.some((c) => c.id === id)) return;
    this.channel = id;
    this.thread = undefined;
    this.threadPane.hidden = true;
    this.list.reset();
    if (this.state) this.render(this.state);
    this.composer.focus();
  }

  private openThread(m: PageMessage): void {
    this.thread = { channel: m.channel, ts: m.ts };
    this.threadPane.hidden = false;
    this.threadList.reset();
    if (this.state) this.render(this.state);
    this.threadComposer.focus();
  }

  private async send(text: string, threadTs?: string): Promise<boolean> {
    const answer = await api.message({ as: this.you, channel: this.channel, text, threadTs });
    if (!answer.ok) this.report(answer);
    // A command the bot refused still leaves the box: Slack shows its error as a message.
    return answer.ok || answer.error === 'dispatch_failed' || answer.error === 'operation_timeout';
  }

  report(answer: PageAnswer): void {
    this.toast(
      answer.error === 'invalid_request'
        ? `Not sent: ${answer.detail ?? 'the request was not valid'}`
        : `Slack could not deliver it to the bot: ${answer.error ?? 'error'}${answer.detail ? ` (${answer.detail})` : ''}`,
    );
  }

  private toast(text: string): void {
    const el = h('div', { class: 'toast' }, text);
    this.toasts.append(el);
    setTimeout(() => el.remove(), 8000);
  }

  start(): void {
    const events = new EventSource('/play/events');
    let lost = false;
    events.addEventListener('message', () => void this.refresh());
    events.addEventListener('open', () => {
      if (lost) this.toast('Connected to the playground again.');
      lost = false;
    });
    // The browser retries on its own; say so once, not at every attempt.
    events.addEventListener('error', () => {
      if (!lost) this.toast('Lost the connection to the playground (is it still running?); retrying…');
      lost = true;
    });
    void this.refresh().then(() => this.composer.focus());
  }
}

new Page().start();
