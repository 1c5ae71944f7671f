import type { SimStore } from '../model/store.js';

/**
 * Lays the store's view overrides over an answer, at every depth (a snapshot in a list, a policy
 * item in a schedule). `applied` says whether any matched, so the answer can be marked as
 * leaving the contract on purpose.
 */
export function applyViewOverrides(store: SimStore, body: unknown): { body: unknown; applied: boolean } {
  if (!store.hasViewOverrides) return { body, applied: false };
  let applied = false;
  const visit = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(visit);
    if (value === null || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) out[key] = visit(child);
    const id = typeof out.id === 'string' ? out.id : typeof out._id === 'string' ? out._id : undefined;
    const fields = id === undefined ? undefined : store.viewOverride(id);
    if (fields) {
      applied = true;
      Object.assign(out, fields);
    }
    return out;
  };
  return { body: visit(body), applied };
}
