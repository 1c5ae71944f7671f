/** A slash command's text split into words, honouring quotes. */
export type TokenizeResult = { ok: true; tokens: string[] } | { ok: false; error: string };

// Slack clients often turn typed quotes into typographic ones; both count as quotes.
const openToClose: Record<string, string> = {
  '"': '"',
  "'": "'",
  '\u201c': '\u201d',
  '\u201d': '\u201d',
  '\u2018': '\u2019',
  '\u2019': '\u2019',
};

/** Slack escapes these three in a slash command's text. */
export function decodeSlackText(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * Splits on whitespace. A quoted stretch ("…", '…', “…”, ‘…’) is kept whole, may sit inside a
 * word (`--desc="before upgrade"`), and may be empty. A backslash escapes the next character
 * inside double quotes and outside quotes.
 */
export function tokenize(input: string): TokenizeResult {
  const tokens: string[] = [];
  let current = '';
  let inToken = false;
  let quote: string | undefined;
  const chars = [...input];
  for (let i = 0; i < chars.length; i += 1) {
    const ch = chars[i] as string;
    if (quote !== undefined) {
      if (ch === quote || (quote === '\u201d' && ch === '"') || (quote === '\u2019' && ch === "'")) {
        quote = undefined;
      } else if (ch === '\\' && quote !== "'" && i + 1 < chars.length) {
        i += 1;
        current += chars[i];
      } else {
        current += ch;
      }
      continue;
    }
    if (/\s/.test(ch)) {
      if (inToken) tokens.push(current);
      current = '';
      inToken = false;
      continue;
    }
    inToken = true;
    const close = openToClose[ch];
    if (close !== undefined) {
      quote = close;
    } else if (ch === '\\' && i + 1 < chars.length) {
      i += 1;
      current += chars[i];
    } else {
      current += ch;
    }
  }
  if (quote !== undefined) return { ok: false, error: 'a quote is not closed' };
  if (inToken) tokens.push(current);
  return { ok: true, tokens };
}
