import type { z } from 'zod';
import { ApiError, type FieldViolation } from '../http/errors.js';

type Issue = z.core.$ZodIssue;

function fieldName(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

function valueAt(body: unknown, path: readonly PropertyKey[]): unknown {
  let current = body;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}

interface Classified {
  code: 'INVALID_ATTRIBUTE' | 'MISSING_ATTRIBUTE' | 'VALIDATION_ERROR';
  fields: FieldViolation[];
}

function classify(issue: Issue, body: unknown): Classified {
  if (issue.code === 'unrecognized_keys') {
    return {
      code: 'INVALID_ATTRIBUTE',
      fields: issue.keys.map((k) => ({
        field: fieldName([...issue.path, k]),
        description: 'is not a recognized attribute',
      })),
    };
  }
  const field = fieldName(issue.path);
  // zod reports a missing enum as a bad value, so absence is judged from the body itself.
  if (
    (issue.code === 'invalid_type' || issue.code === 'invalid_value') &&
    valueAt(body, issue.path) === undefined
  ) {
    return { code: 'MISSING_ATTRIBUTE', fields: [{ field, description: 'is required' }] };
  }
  return { code: 'VALIDATION_ERROR', fields: [{ field, description: describe(issue) }] };
}

function describe(issue: Issue): string {
  switch (issue.code) {
    case 'too_small':
      return `must be at least ${String(issue.minimum)}`;
    case 'too_big':
      return `must be at most ${String(issue.maximum)}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => String(v)).join(', ')}`;
    case 'invalid_format':
      return issue.format === 'regex' && 'pattern' in issue
        ? `must match pattern ${String(issue.pattern)}`
        : issue.message;
    case 'invalid_type':
      return `must be ${issue.expected === 'int' ? 'an integer' : `a ${issue.expected}`}`;
    default:
      return issue.message;
  }
}

/** First problem decides the error code; every problem is listed in badRequestDetail.fields. */
export function issuesToApiError(issues: readonly Issue[], body: unknown): ApiError {
  const classified = issues.map((i) => classify(i, body));
  const fields = classified.flatMap((c) => c.fields);
  const first = classified[0];
  const code = first?.code ?? 'VALIDATION_ERROR';
  const firstField = fields[0]?.field ?? 'body';
  const detail =
    code === 'INVALID_ATTRIBUTE'
      ? `Invalid attribute ${firstField} specified.`
      : code === 'MISSING_ATTRIBUTE'
        ? `The required attribute ${firstField} was not specified.`
        : `Invalid attribute value: ${fields.map((f) => `${f.field} ${f.description}`).join('; ')}.`;
  return new ApiError(400, code, detail, { fields });
}

/** Parses a JSON body against a schema; anything but a JSON object is rejected up front. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const value = body === undefined ? {} : body;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ApiError(400, 'INVALID_JSON', 'The request body must be a JSON object.');
  }
  const result = schema.safeParse(value);
  if (!result.success) throw issuesToApiError(result.error.issues, value);
  return result.data;
}

export function violations(fields: FieldViolation[]): ApiError {
  const detail = `Invalid attribute value: ${fields.map((f) => `${f.field} ${f.description}`).join('; ')}.`;
  return new ApiError(400, 'VALIDATION_ERROR', detail, { fields });
}
