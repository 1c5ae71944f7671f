import type { ReasonRule } from './types.js';

/**
 * What is wrong with a reason a rule asks for: `missing` (blank), `mismatch` (it does not match
 * the rule's pattern), or undefined when it will do. Front ends call it as the person types;
 * ActionService calls it before anything opens or runs.
 */
export function reasonProblem(
  rule: ReasonRule,
  text: string | undefined,
): 'missing' | 'mismatch' | undefined {
  const reason = text?.trim() ?? '';
  if (reason === '') return 'missing';
  if (rule.pattern !== undefined && !new RegExp(rule.pattern, 'u').test(reason)) return 'mismatch';
  return undefined;
}
