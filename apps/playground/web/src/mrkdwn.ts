import { h } from './dom.js';
import { emojiFor, withEmoji } from './emoji.js';

/** Names for what mrkdwn refers to by id. */
export interface Names {
  user(id: string): string;
  channel(id: string): string | undefined;
  userGroup(id: string): string | undefined;
  /** Called when a channel link is followed. */
  openChannel?(id: string): void;
}

/** Slack's three entities, decoded for display (`&amp;` last, so `&amp;lt;` shows as `&lt;`). */
export function decodeEntities(text: string): string {
  return text.replace(/&(lt|gt|amp);/g, (_, name: string) => ({ lt: '<', gt: '>', amp: '&' })[name] ?? '');
}

/** plain_text as Slack shows it: entities decoded, and emoji names when `emoji` is on. */
export function plainText(text: string, emoji = true): string {
  const decoded = decodeEntities(text);
  return emoji ? withEmoji(decoded) : decoded;
}

/**
 * Slack mrkdwn as DOM nodes: code blocks, block quotes, inline code, *bold*, _italic_, ~strike~,
 * emoji, links (http, https and mailto only) and the `<@U…>`, `<#C…>`, `<!subteam^S…>`, `<!here>`
 * and `<!date…>` sequences. Text always becomes text nodes.
 */
export function renderMrkdwn(text: string, names: Names): DocumentFragment {
  const out = document.createDocumentFragment();
  const parts = text.split('```');
  // An unmatched fence is shown as typed.
  if (parts.length % 2 === 0)
    parts.splice(parts.length - 2, 2, `${parts.at(-2) ?? ''}\`\`\`${parts.at(-1) ?? ''}`);
  parts.forEach((raw, i) => {
    // The line breaks around a fence belong to the fence.
    let part = i > 0 ? raw.replace(/^\n/, '') : raw;
    if (i < parts.length - 1) part = part.replace(/\n$/, '');
    if (i % 2 === 1) {
      out.append(h('pre', { class: 'mrkdwn-pre' }, decodeEntities(part)));
      return;
    }
    renderLines(part, names, out);
  });
  return out;
}

function renderLines(text: string, names: Names, out: DocumentFragment): void {
  const lines = text.split('\n');
  let quote: HTMLQuoteElement | undefined;
  let first = true;
  for (const line of lines) {
    const quoted = /^&gt;\s?/.exec(line);
    if (quoted) {
      if (!quote) {
        quote = h('blockquote', { class: 'mrkdwn-quote' });
        out.append(quote);
      } else quote.append(h('br'));
      quote.append(...inline(line.slice(quoted[0].length), names));
      first = true;
      continue;
    }
    quote = undefined;
    if (!first) out.append(h('br'));
    out.append(...inline(line, names));
    first = false;
  }
}

const markers: Record<string, 'strong' | 'em' | 's'> = { '*': 'strong', _: 'em', '~': 's' };
const boundary = /[\s.,;:!?()[\]{}"'<>/\\-]/;

/** A marker opens when it starts the text or follows a space or punctuation, and text follows it. */
function canOpen(s: string, i: number): boolean {
  const before = i === 0 ? ' ' : (s[i - 1] ?? ' ');
  const after = s[i + 1] ?? ' ';
  return (boundary.test(before) || before === '&' || before === ';') && !/\s/.test(after);
}

/** Where the marker opened at `i` closes on the same line, if it does. */
function closeOf(s: string, i: number, marker: string): number {
  for (let k = i + 2; k < s.length; k += 1) {
    if (s[k] === '\n') return -1;
    if (s[k] !== marker) continue;
    const before = s[k - 1] ?? ' ';
    const after = s[k + 1] ?? ' ';
    if (!/\s/.test(before) && (k + 1 >= s.length || boundary.test(after) || after === '&')) return k;
  }
  return -1;
}

function inline(s: string, names: Names): Node[] {
  const out: Node[] = [];
  let buffer = '';
  const flush = () => {
    if (buffer !== '') out.push(document.createTextNode(decodeEntities(buffer)));
    buffer = '';
  };
  let i = 0;
  while (i < s.length) {
    const c = s[i] as string;
    if (c === '<') {
      const end = s.indexOf('>', i + 1);
      if (end > i + 1) {
        flush();
        out.push(special(s.slice(i + 1, end), names));
        i = end + 1;
        continue;
      }
    }
    if (c === '`') {
      const end = s.indexOf('`', i + 1);
      if (end > i + 1) {
        flush();
        out.push(h('code', { class: 'mrkdwn-code' }, decodeEntities(s.slice(i + 1, end))));
        i = end + 1;
        continue;
      }
    }
    const tag = markers[c];
    if (tag && canOpen(s, i)) {
      const end = closeOf(s, i, c);
      if (end > 0) {
        flush();
        const el = h(tag);
        el.append(...inline(s.slice(i + 1, end), names));
        out.push(el);
        i = end + 1;
        continue;
      }
    }
    if (c === ':') {
      const m = /^:([a-z0-9_+-]+):/.exec(s.slice(i));
      const found = m ? emojiFor(m[1] as string) : undefined;
      if (m && found) {
        flush();
        out.push(h('span', { class: 'emoji', role: 'img', 'aria-label': m[1] as string }, found));
        i += m[0].length;
        continue;
      }
    }
    buffer += c;
    i += 1;
  }
  flush();
  return out;
}

/** What `<…>` holds: a mention, a channel, a group, a special mention, a date or a link. */
function special(inner: string, names: Names): Node {
  const bar = inner.indexOf('|');
  const target = bar < 0 ? inner : inner.slice(0, bar);
  const label = bar < 0 ? undefined : decodeEntities(inner.slice(bar + 1));
  if (target.startsWith('@')) {
    const id = target.slice(1);
    return h('span', { class: 'mention', 'data-user': id }, `@${label ?? names.user(id)}`);
  }
  if (target.startsWith('#')) {
    const id = target.slice(1);
    const name = label ?? names.channel(id) ?? id;
    return h(
      'button',
      { class: 'channel-link', type: 'button', onclick: () => names.openChannel?.(id) },
      `#${name}`,
    );
  }
  if (target.startsWith('!subteam^')) {
    const id = target.slice('!subteam^'.length);
    const handle = label?.replace(/^@/, '') ?? names.userGroup(id) ?? id;
    return h('span', { class: 'mention' }, `@${handle}`);
  }
  if (target.startsWith('!')) {
    const what = target.slice(1);
    if (['here', 'channel', 'everyone'].includes(what)) return h('span', { class: 'mention' }, `@${what}`);
    return document.createTextNode(label ?? `<${decodeEntities(inner)}>`);
  }
  const url = decodeEntities(target);
  if (/^(https?:\/\/|mailto:)/i.test(url)) {
    const a = h('a', { target: '_blank', rel: 'noopener noreferrer' }, withEmoji(label ?? url));
    a.href = url;
    return a;
  }
  return document.createTextNode(label ?? url);
}
