/**
 * The page builds every element here: text goes in as text nodes, never as markup, so nothing
 * the bot, Atlas or a person wrote can become HTML.
 */

export type Child = Node | string | null | undefined | false;

export interface Attrs {
  class?: string;
  [attr: string]: string | number | boolean | undefined | ((event: Event) => void);
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(name.replace(/^on/, ''), value);
    else if (name === 'class') el.className = String(value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, ...children);
  return el;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

let idSeq = 0;
/** An id unique in the page (for labels and aria references). */
export function uid(prefix: string): string {
  idSeq += 1;
  return `${prefix}-${idSeq}`;
}
