/**
 * The one reader of typed dates and times. JavaScript's `Date.parse` rolls impossible values
 * over (`2025-02-30` becomes 2 March, `10:60` becomes 11:00), which for a point-in-time restore
 * silently changes the moment data is rolled back to; here every part is checked and an
 * impossible one is refused, saying which part and why.
 */

export interface DateTimeOptions {
  /**
   * `required`: the text must say its zone (`Z`, `UTC` or an offset), because the reader's clock
   * is not the writer's (Slack). `utc`: a missing zone means UTC (a field labelled UTC).
   */
  zone: 'required' | 'utc';
}

export type DateTimeResult =
  | { ok: true; epochSeconds: number }
  /**
   * What is wrong, short enough to sit beside a form field, starting with "not" so a front end
   * can also say "`--at 2025-02-30T10:00:00Z` is " before it.
   */
  | { ok: false; problem: string };

const shape =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|UTC|[+-]\d{2}(?::?\d{2})?)?$/i;

const monthNames = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

const isLeapYear = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

const fail = (problem: string): DateTimeResult => ({ ok: false, problem });

/** Minutes east of UTC for `Z`, `UTC`, `+02`, `+0200` or `+02:00`; a problem when impossible. */
function offsetMinutes(zone: string): number | string {
  if (/^(Z|UTC)$/i.test(zone)) return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (!m) return `not a time zone: ${zone}`;
  const hours = Number(m[2]);
  const minutes = Number(m[3] ?? '0');
  const total = (m[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
  // Real zones run from UTC-12:00 to UTC+14:00, on whole quarter hours or more.
  if (minutes > 59 || total < -12 * 60 || total > 14 * 60)
    return `not a real offset: ${zone} (offsets run -12:00 to +14:00)`;
  return total;
}

/** Reads `YYYY-MM-DD[T ]HH:MM[:SS]` with a zone; every part must exist on the calendar and clock. */
export function readDateTime(text: string, options: DateTimeOptions): DateTimeResult {
  const m = shape.exec(text.trim());
  if (!m) {
    return fail(
      options.zone === 'required'
        ? 'not an ISO-8601 date and time such as 2025-03-01T09:30:00Z'
        : 'not YYYY-MM-DD HH:MM[:SS] (UTC)',
    );
  }
  const [, ys, mos, ds, hs, mis, ss, fraction, zone] = m;
  const [year, month, day, hour, minute] = [ys, mos, ds, hs, mis].map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const second = Number(ss ?? '0');

  if (month < 1 || month > 12) return fail('not a real date: months run 01 to 12');
  const days = daysInMonth(year, month);
  if (day < 1) return fail('not a real date: days start at 01');
  if (day > days) return fail(`not a real date: ${monthNames[month - 1]} ${year} has ${days} days`);
  if (hour > 23) return fail('not a real time: hours run 00 to 23');
  if (minute > 59) return fail('not a real time: minutes run 00 to 59');
  // Atlas counts seconds since the epoch without leap seconds, so :60 names no moment it can restore to.
  if (second > 59) return fail('not a real time: seconds run 00 to 59');
  if (fraction !== undefined && /[1-9]/.test(fraction))
    return fail('not whole seconds: Atlas restores to the second, so drop the fraction');

  let offset = 0;
  if (zone === undefined) {
    if (options.zone === 'required')
      return fail('not tied to a zone: add Z for UTC or an offset such as +02:00, so it is unambiguous');
  } else {
    const read = offsetMinutes(zone);
    if (typeof read === 'string') return fail(read);
    offset = read;
  }

  // setUTCFullYear, because Date.UTC reads years 0-99 as 1900-1999.
  const at = new Date(0);
  at.setUTCFullYear(year, month - 1, day);
  at.setUTCHours(hour, minute, second, 0);
  return { ok: true, epochSeconds: at.getTime() / 1000 - offset * 60 };
}
