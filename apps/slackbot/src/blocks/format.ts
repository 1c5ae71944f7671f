export { cleanDescription, formatBytes, formatElapsed, formatTime } from '@atlas-backups/core';

/** One line of a table cell, cut to `max` characters. */
export function cell(text: string | undefined, max = 40): string {
  const clean = (text ?? '').replace(/[\r\n\t]+/g, ' ');
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean || '-';
}
