import { cellWidth, oneLine, tailCells, truncateCells } from './cells.js';

/**
 * One line of typed text with a cursor, edited by grapheme (what a person sees as one character:
 * 한, é written as e + a combining accent, 👩‍👩‍👧, 🇰🇷), never by UTF-16 unit, so a move or a
 * deletion never splits one.
 */
export interface Line {
  text: string;
  /** A UTF-16 offset into `text`, always on a grapheme boundary. */
  cursor: number;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

// Line breaks and tabs in a paste become spaces (a field is one line); other controls, which a
// terminal would act on, and bidi overrides are dropped.
const lineBreaks = /\r\n|[\r\n\t\u2028\u2029]/g;
// eslint-disable-next-line no-control-regex
const controls = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** What typed or pasted input puts into a one-line field: all of its text, in any script. */
export function typedText(input: string): string {
  return input.replace(lineBreaks, ' ').replace(controls, '');
}

export const lineAtEnd = (text: string): Line => ({ text, cursor: text.length });

function previousBoundary(text: string, at: number): number {
  let last = 0;
  for (const { index } of graphemes.segment(text)) {
    if (index >= at) break;
    last = index;
  }
  return last;
}

function nextBoundary(text: string, at: number): number {
  for (const { index, segment } of graphemes.segment(text)) {
    if (index >= at) return index + segment.length;
  }
  return text.length;
}

/** The cursor moved onto a grapheme boundary: the end of the grapheme it is inside, if any. */
export function clampLine(line: Line): Line {
  const at = Math.max(0, Math.min(line.cursor, line.text.length));
  let cursor = at;
  for (const { index, segment } of graphemes.segment(line.text)) {
    if (index >= at) break;
    if (index + segment.length > at) cursor = index + segment.length;
  }
  return cursor === line.cursor ? line : { ...line, cursor };
}

export function insertText({ text, cursor }: Line, typed: string): Line {
  // Inserting can join graphemes (a combining mark after a letter): the cursor goes after the
  // inserted text, then back onto a boundary.
  const next = text.slice(0, cursor) + typed + text.slice(cursor);
  return clampLine({ text: next, cursor: cursor + typed.length });
}

export function deleteBefore(line: Line): Line {
  if (line.cursor === 0) return line;
  const from = previousBoundary(line.text, line.cursor);
  return { text: line.text.slice(0, from) + line.text.slice(line.cursor), cursor: from };
}

export function deleteAfter(line: Line): Line {
  if (line.cursor >= line.text.length) return line;
  const to = nextBoundary(line.text, line.cursor);
  return { text: line.text.slice(0, line.cursor) + line.text.slice(to), cursor: line.cursor };
}

/**
 * A key applied to a line, or undefined when it is not an editing key. Keys as `keyName` names
 * them: ← → (and Home/End, Ctrl-A/Ctrl-E) move by grapheme, Backspace deletes the one before
 * the cursor, Ctrl-D the one under it, Ctrl-U clears the line; other text is inserted.
 */
export function editLine(line: Line, name: string, input: string, modified: boolean): Line | undefined {
  switch (name) {
    case 'left':
      return { ...line, cursor: previousBoundary(line.text, line.cursor) };
    case 'right':
      return { ...line, cursor: nextBoundary(line.text, line.cursor) };
    case 'home':
    case 'ctrl-a':
      return { ...line, cursor: 0 };
    case 'end':
    case 'ctrl-e':
      return { ...line, cursor: line.text.length };
    case 'backspace':
      return deleteBefore(line);
    case 'ctrl-d':
      return deleteAfter(line);
    case 'ctrl-u':
      return { text: '', cursor: 0 };
  }
  if (modified || input === '') return undefined;
  const typed = typedText(input);
  return typed === '' ? undefined : insertText(line, typed);
}

/**
 * What of a line is shown in `room` cells (the cursor's own cell aside), split at the cursor: all
 * of it when it fits, else the cursor's surroundings, with `…` where the line goes on.
 */
export function aroundCursor(line: Line, room: number): [before: string, after: string] {
  const before = oneLine(line.text.slice(0, line.cursor));
  const after = oneLine(line.text.slice(line.cursor));
  const b = cellWidth(before);
  if (b + cellWidth(after) <= room) return [before, after];
  if (b < room) return [before, truncateCells(after, room - b)];
  const afterRoom = after === '' ? 0 : Math.min(cellWidth(after), Math.floor(room / 4));
  return [`…${tailCells(before, Math.max(0, room - afterRoom - 1))}`, truncateCells(after, afterRoom)];
}
