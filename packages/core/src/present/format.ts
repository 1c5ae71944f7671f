import { requestMarkerKey } from '../client/atlas-client.js';

/** Whether a Date can hold it (±8.64e15 ms); beyond that `toISOString` throws instead of formatting. */
const showable = (ms: number) => Number.isFinite(ms) && Math.abs(ms) <= 8.64e15;

/**
 * Display formatting both front ends share, so a snapshot reads the same in the terminal and in
 * Slack. Times are UTC: Atlas reports UTC and on-call people compare them across time zones.
 */
export function formatTime(value: string | number | undefined): string {
  if (value === undefined || value === '') return '-';
  const ms = typeof value === 'number' ? value : Date.parse(value);
  if (!showable(ms)) return String(value);
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

/** `2024-05-01 12:34:56 UTC`, where seconds matter (restore points, expiry changes). */
export function formatTimeSeconds(value: string | number | undefined): string {
  if (value === undefined || value === '') return '-';
  const ms = typeof value === 'number' ? value : Date.parse(value);
  if (!showable(ms)) return String(value);
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

/** Elapsed time for job views: `1h05m`, `3m07s`, `12s`; `separator` goes between the parts. */
export function formatElapsed(ms: number, separator = ''): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h${separator}${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m${separator}${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}

const marker = new RegExp(`\\s*\\[${requestMarkerKey}:[0-9a-f]+\\]`, 'g');

/** A description without the bookkeeping marker this tool adds to what it creates. */
export function cleanDescription(description: string | undefined): string {
  return (description ?? '')
    .replace(marker, '')
    .replace(/[\r\n\t]+/g, ' ')
    .trim();
}
