import { isAtlasBackupsError } from '@atlas-backups/core';

/** `2024-05-01 12:34` in UTC: Atlas times are UTC and people compare them across zones. */
export function formatTime(iso: string | number | undefined): string {
  if (iso === undefined || iso === '') return '-';
  const ms = typeof iso === 'number' ? iso : Date.parse(iso);
  if (Number.isNaN(ms)) return String(iso);
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

export function formatTimeSeconds(iso: string | number | undefined): string {
  if (iso === undefined || iso === '') return '-';
  const ms = typeof iso === 'number' ? iso : Date.parse(iso);
  if (Number.isNaN(ms)) return String(iso);
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];

export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined) return '-';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value >= 10 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}

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
