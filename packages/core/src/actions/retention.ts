import type { RetentionUnit } from '../schemas/snapshots.js';

export const day = 86_400_000;

/** Adds a retention period to a date the way calendars do (months and years by calendar). */
export function addRetention(fromMs: number, unit: RetentionUnit, value: number): number {
  const d = new Date(fromMs);
  switch (unit) {
    case 'DAYS':
      return fromMs + value * day;
    case 'WEEKS':
      return fromMs + value * 7 * day;
    case 'MONTHS':
      return d.setUTCMonth(d.getUTCMonth() + value);
    case 'YEARS':
      return d.setUTCFullYear(d.getUTCFullYear() + value);
  }
}
