/**
 * Characters a terminal acts on instead of showing: C0 controls (ESC starts every escape
 * sequence: window titles, clipboard writes, hyperlinks, colours, cursor moves), DEL, C1 controls
 * (0x9B is a one-byte CSI, 0x9D an OSC), the bidi embeddings, overrides and isolates (which
 * reorder what is shown after them), and the Unicode line and paragraph separators.
 */
// eslint-disable-next-line no-control-regex
const actedOn = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;
// eslint-disable-next-line no-control-regex
const actedOnAll = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

/** U+FFFD: C1 and bidi controls have no control picture. */
const noPicture = '\ufffd';

function standIn(char: string): string {
  const code = char.charCodeAt(0);
  if (code === 0x09) return ' ';
  if (code < 0x20) return String.fromCharCode(0x2400 + code); // ␀ … ␟ (␛ for ESC)
  if (code === 0x7f) return '\u2421'; // ␡
  return noPicture;
}

/**
 * Text from Atlas or from a person, made safe to draw on a terminal: every character the terminal
 * would obey rather than show is replaced by one visible stand-in (Unicode's control pictures,
 * so `ESC ] 0 ; title BEL` shows as `␛]0;title␇`; U+FFFD where there is none; a tab becomes a
 * space). Each stand-in is one character of one cell, so text can be measured after this.
 * With `keepLineFeeds`, `\n` stays, for callers that lay out lines themselves.
 */
export function terminalSafe(text: string, options: { keepLineFeeds?: boolean } = {}): string {
  if (!actedOn.test(text)) return text;
  if (options.keepLineFeeds)
    return text.replace(actedOnAll, (char) => (char === '\n' ? char : standIn(char)));
  return text.replace(actedOnAll, standIn);
}
