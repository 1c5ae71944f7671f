import { requestMarkerKey } from '@atlas-backups/core';

/** `2024-05-01 12:34` in UTC: Atlas times are UTC, and a channel spans time zones. */
export function formatTime(value: string | number | undefined): string {
  if (value === undefined || value === '') return '-';
  const ms = typeof value === 'number' ? value : Date.parse(value);
  if (Number.isNaN(ms)) return String(value);
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

/** Slack renders this in each reader's own time zone, with the UTC text as the fallback. */
export function slackDate(value: string | number | undefined): string {
  if (value === undefined || value === '') return '-';
  const ms = typeof value === 'number' ? value : Date.parse(value);
  if (Number.isNaN(ms)) return String(value);
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time}|${formatTime(ms)} UTC>`;
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
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m ${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}

const marker = new RegExp(`\\s*\\[${requestMarkerKey}:[0-9a-f]+\\]`, 'g');

/** A snapshot description without the bookkeeping marker this tool adds to what it creates. */
export function cleanDescription(description: string | undefined): string {
  return (description ?? '')
    .replace(marker, '')
    .replace(/[\r\n\t]+/g, ' ')
    .trim();
}

/** One line of a table cell. */
export function cell(text: string | undefined, max = 40): string {
  const clean = (text ?? '').replace(/[\r\n\t]+/g, ' ');
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean || '-';
}
