import { createHash } from 'node:crypto';

const deduplicated = new Set(['block_actions', 'view_submission', 'shortcut', 'message_action']);

/**
 * A key that is the same for every delivery of one Slack request and differs between requests.
 * Slack redelivers the same body (only the retry headers change); each new command, click or
 * submission carries a fresh trigger id, so the body's hash tells them apart.
 */
export function requestKey(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const b = body as Record<string, unknown>;
  let kind: string | undefined;
  if (typeof b.command === 'string') kind = 'command';
  else if (typeof b.type === 'string' && deduplicated.has(b.type)) kind = b.type;
  if (kind === undefined) return undefined;
  return `${kind}:${createHash('sha256').update(JSON.stringify(body)).digest('hex')}`;
}
