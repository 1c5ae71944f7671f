import { createHash } from 'node:crypto';

const deduplicated = new Set(['block_actions', 'view_submission', 'shortcut', 'message_action']);

/**
 * A key that is the same for every delivery of one Slack request and differs between requests.
 * Slack redelivers the same body (only the retry headers change), and gives each command,
 * click and submission a fresh trigger id, so the trigger id names the request; a body without
 * one is named by its hash.
 */
export function requestKey(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const b = body as Record<string, unknown>;
  let kind: string | undefined;
  if (typeof b.command === 'string') kind = 'command';
  else if (typeof b.type === 'string' && deduplicated.has(b.type)) kind = b.type;
  if (kind === undefined) return undefined;
  if (typeof b.trigger_id === 'string' && b.trigger_id !== '') return `${kind}:${b.trigger_id}`;
  return `${kind}:${createHash('sha256').update(JSON.stringify(body)).digest('hex')}`;
}
