import { readFileSync } from 'node:fs';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { RecordedResponse } from '../http/observe.js';
import { toResponseSchema } from './transform.js';

interface SpecOperation {
  operationId: string;
  method: string;
  path: string;
  versionMeta?: Record<string, { 'x-xgen-version'?: string; 'x-sunset'?: string }>;
  successResponses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
  /** Documented error answers by status, with the error code the contract gives for each. */
  errorResponses?: Record<string, { exampleErrorCode?: string }>;
}

interface SpecFile {
  errorSchema: unknown;
  operations: SpecOperation[];
}

export interface ContractViolation {
  operationId: string;
  method: string;
  path: string;
  status: number;
  mediaType: string;
  problems: string[];
}

const INT32 = { min: -2147483648, max: 2147483647 };

/** Validates simulator responses against the official contract (backup-subset.json). */
export class ContractValidator {
  private readonly ajv: Ajv;
  private readonly operations = new Map<string, SpecOperation>();
  private readonly compiled = new Map<string, ValidateFunction | string>();
  private errorValidator: ValidateFunction | undefined;
  private readonly errorSchema: unknown;

  constructor(specFile: string) {
    const spec = JSON.parse(readFileSync(specFile, 'utf8')) as SpecFile;
    for (const op of spec.operations) this.operations.set(op.operationId, op);
    this.errorSchema = spec.errorSchema;
    this.ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
    addFormats(this.ajv);
    this.ajv.addFormat('int32', {
      type: 'number',
      validate: (n: number) => Number.isInteger(n) && n >= INT32.min && n <= INT32.max,
    });
    this.ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
    this.ajv.addFormat('double', { type: 'number', validate: (n: number) => Number.isFinite(n) });
    this.ajv.addFormat('float', { type: 'number', validate: (n: number) => Number.isFinite(n) });
  }

  /** The contract's operations, for checks that the simulator serves the same paths and versions. */
  operation(operationId: string): SpecOperation | undefined {
    return this.operations.get(operationId);
  }

  /** Every operation id in the contract. */
  operationIds(): string[] {
    return [...this.operations.keys()];
  }

  /** Problems with one response, or an empty list when it honours the contract. */
  check(response: RecordedResponse): string[] {
    if (response.status >= 400) return this.run(this.errors(), response.body);
    const op = this.operations.get(response.operationId);
    if (!op) return [`operation ${response.operationId} is not in the contract`];
    if (response.status === 204) {
      if (!op.successResponses['204']) return [`the contract has no 204 response for ${op.operationId}`];
      return response.body === undefined ? [] : ['a 204 response must have no body'];
    }
    const validator = this.successValidator(op, response.status, response.mediaType);
    if (typeof validator === 'string') return [validator];
    return this.run(validator, response.body);
  }

  violation(response: RecordedResponse): ContractViolation | undefined {
    const problems = this.check(response);
    if (problems.length === 0) return undefined;
    const { operationId, method, path, status, mediaType } = response;
    return { operationId, method, path, status, mediaType, problems };
  }

  private run(validate: ValidateFunction, body: unknown): string[] {
    if (validate(body)) return [];
    return (validate.errors ?? [])
      .slice(0, 20)
      .map(
        (e) =>
          `${e.instancePath || '/'} ${e.message ?? 'is invalid'}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`,
      );
  }

  private errors(): ValidateFunction {
    this.errorValidator ??= this.ajv.compile(toResponseSchema(this.errorSchema) as object);
    return this.errorValidator;
  }

  private successValidator(op: SpecOperation, status: number, mediaType: string): ValidateFunction | string {
    const key = `${op.operationId} ${status} ${mediaType}`;
    let validator = this.compiled.get(key);
    if (validator === undefined) {
      const schema = op.successResponses[String(status)]?.content?.[mediaType]?.schema;
      validator = schema
        ? this.ajv.compile(toResponseSchema(schema) as object)
        : `the contract has no ${status} ${mediaType} response for ${op.operationId}`;
      this.compiled.set(key, validator);
    }
    return validator;
  }
}

export function formatViolations(violations: readonly ContractViolation[]): string {
  return violations
    .map(
      (v) =>
        `${v.method} ${v.path} (${v.operationId}) ${v.status} ${v.mediaType}:\n    ${v.problems.join('\n    ')}`,
    )
    .join('\n');
}
