import { DAY } from './timings.js';
import type { RetentionUnit } from './types.js';

/** Calendar arithmetic in UTC: a month or a year is a calendar one, not a fixed length. */
export function addRetention(
  from: number,
  unit: RetentionUnit | Uppercase<RetentionUnit>,
  value: number,
): number {
  const lower = unit.toLowerCase() as RetentionUnit;
  if (lower === 'days') return from + value * DAY;
  if (lower === 'weeks') return from + value * 7 * DAY;
  const date = new Date(from);
  if (lower === 'months') date.setUTCMonth(date.getUTCMonth() + value);
  else date.setUTCFullYear(date.getUTCFullYear() + value);
  return date.getTime();
}
