import type { z } from 'zod';
import { InputValidationError, ResponseValidationError, type FieldIssue } from './errors.js';

export function toFieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.flatMap((issue): FieldIssue[] => {
    const prefix = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        field: prefix ? `${prefix}.${key}` : key,
        message: 'is not a field this request accepts',
      }));
    }
    return [{ field: prefix, message: issue.message }];
  });
}

/** Parse caller input, refusing it with every field named before anything is sent. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new InputValidationError(what, toFieldIssues(result.error));
  return result.data;
}

export function parseResponse<S extends z.ZodType>(
  schema: S,
  value: unknown,
  operationId: string,
): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ResponseValidationError(operationId, toFieldIssues(result.error));
  return result.data;
}
