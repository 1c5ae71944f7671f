import { ApiError, type FieldViolation } from './errors.js';

export interface CommonQuery {
  envelope: boolean;
  pretty: boolean;
  includeCount: boolean;
  itemsPerPage: number;
  pageNum: number;
}

const DEFAULTS: CommonQuery = {
  envelope: false,
  pretty: false,
  includeCount: true,
  itemsPerPage: 100,
  pageNum: 1,
};
export const MAX_ITEMS_PER_PAGE = 500;

/** Parses the query parameters every Atlas operation shares; bad values are a 400 naming them. */
export function parseCommonQuery(query: URLSearchParams | undefined): CommonQuery {
  if (!query) return DEFAULTS;
  const violations: FieldViolation[] = [];
  const result = { ...DEFAULTS };
  for (const name of ['envelope', 'pretty', 'includeCount'] as const) {
    const raw = query.get(name);
    if (raw === null) continue;
    const lower = raw.toLowerCase();
    if (lower === 'true') result[name] = true;
    else if (lower === 'false') result[name] = false;
    else violations.push({ field: name, description: `must be a boolean (true or false), got "${raw}"` });
  }
  const items = integerParam(query, 'itemsPerPage', 1, MAX_ITEMS_PER_PAGE, violations);
  if (items !== undefined) result.itemsPerPage = items;
  const page = integerParam(query, 'pageNum', 1, Number.MAX_SAFE_INTEGER, violations);
  if (page !== undefined) result.pageNum = page;
  if (violations.length > 0) {
    const first = violations[0] as FieldViolation;
    throw new ApiError(
      400,
      'INVALID_QUERY_PARAMETER',
      `Invalid query parameter ${first.field}: ${first.description}.`,
      {
        fields: violations,
      },
    );
  }
  return result;
}

function integerParam(
  query: URLSearchParams,
  name: string,
  min: number,
  max: number,
  violations: FieldViolation[],
): number | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  const value = /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value)) {
    violations.push({ field: name, description: `must be an integer, got "${raw}"` });
    return undefined;
  }
  if (value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `between ${min} and ${max}`;
    violations.push({ field: name, description: `must be ${range}, got ${value}` });
    return undefined;
  }
  return value;
}

/** Optional integer query parameters specific to one operation (e.g. `pointInTimeUtcSeconds`). */
export function optionalIntegerQuery(query: URLSearchParams, name: string): number | undefined {
  const violations: FieldViolation[] = [];
  const value = integerParam(query, name, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, violations);
  if (violations.length > 0) {
    throw new ApiError(400, 'INVALID_QUERY_PARAMETER', `Invalid query parameter ${name}.`, {
      fields: violations,
    });
  }
  return value;
}
