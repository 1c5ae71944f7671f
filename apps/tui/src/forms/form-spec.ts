import { actionCatalogue, InputValidationError, parseInput, type ActionName } from '@atlas-backups/core';

export type Values = Record<string, string>;

export interface Option {
  value: string;
  label: string;
}

export interface FieldSpec {
  name: string;
  label: string;
  kind: 'text' | 'number' | 'select' | 'datetime' | 'multiselect';
  placeholder?: string;
  /** Fixed choices of a select. */
  options?: Option[];
  /** Choices fetched from Atlas; refetched when a field in `dependsOn` changes. */
  load?: (values: Values, signal: AbortSignal) => Promise<Option[]>;
  dependsOn?: string[];
  visible?: (values: Values) => boolean;
}

export interface BuiltRequest {
  action: ActionName;
  params: Record<string, unknown>;
  /** Input that could not be turned into a value (a date that does not parse); keyed by field. */
  conversion: Record<string, string>;
}

export interface FormSpec {
  title: string;
  fields: FieldSpec[];
  initial: Values;
  /** Turns what was typed into the action's parameters; the rules are the core's. */
  build(values: Values): BuiltRequest;
  /** The form field a core issue's path belongs to (default: its first segment). */
  fieldFor?(path: string): string;
  /** Lines that follow the input live (old and new expiry, say). */
  live?(values: Values): string[];
  /**
   * Loads, once when the form opens, what `check` and `live` need from Atlas (a cluster's
   * restorable window); the form redraws when it settles.
   */
  prepare?(signal: AbortSignal): Promise<void>;
  /** Problems the schema cannot see, given what `prepare` loaded (a moment outside the window). */
  check?(values: Values): Record<string, string>;
}

/** A multiselect's value: the chosen options' values, joined by a character no name can hold. */
const multiSeparator = '\u0000';
export const chosenOf = (value: string | undefined): string[] =>
  value === undefined || value === '' ? [] : value.split(multiSeparator);
export const chosenValue = (chosen: readonly string[]): string => chosen.join(multiSeparator);

export interface Validation {
  request: BuiltRequest;
  /** One message per field, ready to show beside it. */
  fieldErrors: Record<string, string>;
  /** Problems no visible field owns. */
  general: string[];
  valid: boolean;
}

export const isVisible = (field: FieldSpec, values: Values) => field.visible?.(values) ?? true;

/** Validates the form with the same schema the ActionService will apply. */
export function validateForm(spec: FormSpec, values: Values): Validation {
  const request = spec.build(values);
  const fieldErrors: Record<string, string> = { ...request.conversion };
  for (const [field, message] of Object.entries(spec.check?.(values) ?? {})) fieldErrors[field] ??= message;
  const general: string[] = [];
  try {
    parseInput(actionCatalogue[request.action].params, request.params, `${request.action} parameters`);
  } catch (error) {
    if (!(error instanceof InputValidationError)) throw error;
    const visible = new Set(spec.fields.filter((f) => isVisible(f, values)).map((f) => f.name));
    for (const issue of error.issues) {
      const field = spec.fieldFor?.(issue.field) ?? issue.field.split('.')[0] ?? '';
      if (visible.has(field)) fieldErrors[field] ??= issue.message;
      else general.push(issue.field ? `${issue.field}: ${issue.message}` : issue.message);
    }
  }
  return {
    request,
    fieldErrors,
    general,
    valid: Object.keys(fieldErrors).length === 0 && general.length === 0,
  };
}

/** Whole numbers become numbers; anything else goes to the schema as typed, so it says what is wrong. */
export function numberOrText(text: string | undefined): number | string | undefined {
  const trimmed = (text ?? '').trim();
  if (trimmed === '') return undefined;
  return /^-?\d+$/.test(trimmed) ? Number(trimmed) : trimmed;
}
