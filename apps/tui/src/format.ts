import { isAtlasBackupsError } from '@atlas-backups/core';

export {
  formatBytes,
  formatTime,
  formatTimeSeconds,
  formatElapsed as formatDuration,
} from '@atlas-backups/core';

/** Fits text to exactly `width` cells (ASCII-safe; Atlas ids and names are ASCII). */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  if (width <= 0) return '';
  const clean = text.replace(/[\r\n\t]+/g, ' ');
  if (clean.length > width) return width === 1 ? '…' : `${clean.slice(0, width - 1)}…`;
  return align === 'right' ? clean.padStart(width) : clean.padEnd(width);
}

export interface ErrorLine {
  code: string | undefined;
  text: string;
}

/**
 * One line for any failure: the core's message and hint, never a stack. Errors that are not the
 * core's (a bug, a closed socket) still show only their message.
 */
export function describeError(error: unknown): ErrorLine {
  if (isAtlasBackupsError(error)) {
    return { code: error.code, text: error.hint ? `${error.message} — ${error.hint}` : error.message };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: undefined, text: message.split('\n')[0] ?? 'Unexpected error' };
}
