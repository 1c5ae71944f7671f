import { actionDefinition } from '../actions/catalogue.js';
import type { AtlasClient } from '../client/atlas-client.js';
import type { ApprovalExecution, ApprovalRequest } from './types.js';

export type ReconcileVerdict =
  { found: true; execution: ApprovalExecution } | { found: false; detail: string };

/** The request's parameters as stored when it was opened (already validated), with its project. */
function storedParams(request: ApprovalRequest): Record<string, unknown> {
  return { groupId: request.projectId, ...request.params };
}

/**
 * After a restart, decides from Atlas whether a request left `executing` reached Atlas, by its
 * action's own rule (`recognise`). Only a positive sighting counts as executed; nothing is ever
 * re-sent from here. Lookup errors propagate, leaving the request `executing` for a later attempt.
 */
export async function findExecution(
  client: AtlasClient,
  request: ApprovalRequest,
  startedAt: number,
  /**
   * Atlas job ids that cannot be this request's: those credited to other requests, and matching
   * restore jobs that already existed when it was claimed.
   */
  excludedJobIds: ReadonlySet<string> = new Set(),
): Promise<ReconcileVerdict> {
  const sighting = await actionDefinition(request.action).recognise({ client }, storedParams(request), {
    requestRef: request.requestRef,
    startedAt,
    excludedJobIds,
  });
  if (!sighting.found) return sighting;
  const { summary, job } = sighting;
  return {
    found: true,
    execution: { summary, atlasJobId: job?.id, job, reconciled: true, requestRef: request.requestRef },
  };
}

/**
 * For actions whose jobs carry no marker of the request (restores), the ids of jobs that already
 * match it before it is sent, so that after a crash a matching job can be told apart from an
 * older identical one. Undefined for other actions or when Atlas cannot be asked.
 */
export async function matchingRestoreJobIds(
  client: AtlasClient,
  request: ApprovalRequest,
): Promise<string[] | undefined> {
  const def = actionDefinition(request.action);
  if (!def.matchingBefore) return undefined;
  try {
    return await def.matchingBefore({ client }, storedParams(request));
  } catch {
    return undefined;
  }
}
