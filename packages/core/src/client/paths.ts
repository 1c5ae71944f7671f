import { InputValidationError, type FieldIssue } from '../errors.js';
import { clusterNamePattern, objectIdPattern } from '../schemas/common.js';

type ParamKind = 'objectId' | 'clusterName';

const rules: Record<ParamKind, { pattern: RegExp; message: string }> = {
  objectId: { pattern: objectIdPattern, message: 'must be 24 hexadecimal digits' },
  clusterName: {
    pattern: clusterNamePattern,
    message: 'must start with a letter or digit and contain only letters, digits and -',
  },
};

export interface PathParam {
  name: string;
  value: string;
  kind: ParamKind;
}

export const id = (name: string, value: string): PathParam => ({ name, value, kind: 'objectId' });
export const name = (paramName: string, value: string): PathParam => ({
  name: paramName,
  value,
  kind: 'clusterName',
});

/** Builds `/api/atlas/v2/...` from segments, refusing any parameter that breaks its pattern. */
export function atlasPath(...segments: (string | PathParam)[]): string {
  const issues: FieldIssue[] = [];
  const parts = segments.map((segment) => {
    if (typeof segment === 'string') return segment;
    const rule = rules[segment.kind];
    if (typeof segment.value !== 'string' || !rule.pattern.test(segment.value)) {
      issues.push({ field: segment.name, message: segment.value ? rule.message : 'is required' });
    }
    return encodeURIComponent(segment.value ?? '');
  });
  if (issues.length > 0) throw new InputValidationError('request', issues);
  return `/api/atlas/v2/${parts.join('/')}`;
}
