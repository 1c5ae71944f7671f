import { randomBytes } from 'node:crypto';
import { OutcomeUnknownError, ResponseValidationError } from '../errors.js';
import { UncertainOutcome, type AtlasRequest, type AtlasTransport } from '../http/transport.js';

/** Marks the things this tool creates, so a create in doubt can be found instead of repeated. */
export const requestMarkerKey = 'atlas-backups-request';
const requestRefBytes = 4;
export const newRequestRef = () => randomBytes(requestRefBytes).toString('hex');
export const markerOf = (ref: string) => `[${requestMarkerKey}:${ref}]`;
/** What a marked description adds to the person's text: a space and the marker. */
export const requestMarkerSuffixLength = ` ${markerOf('0'.repeat(requestRefBytes * 2))}`.length;

export interface Created<T> {
  value: T;
  /** True when the create's answer was lost or unreadable and the object was found by looking it up. */
  reconciled: boolean;
}

/**
 * Sends a create at most once in effect: when its answer is lost, Atlas is asked whether it
 * happened (`find`) before the create is sent again, and OUTCOME_UNKNOWN is raised when Atlas
 * cannot be asked. An answer that says the create succeeded but can't be read (cut short, or
 * not the shape we know) means the object exists: it is looked up, never sent again.
 */
export async function createOnce<T>(
  transport: AtlasTransport,
  parse: (body: unknown, operationId: string) => T,
  req: AtlasRequest,
  find: () => Promise<T | undefined>,
): Promise<Created<T>> {
  for (let attempt = 1; ; attempt += 1) {
    let body: unknown;
    try {
      ({ body } = await transport.send(req));
    } catch (error) {
      if (!(error instanceof UncertainOutcome)) throw error;
      let found: T | undefined;
      try {
        found = await find();
      } catch (lookupError) {
        throw new OutcomeUnknownError(req.operationId, lookupError);
      }
      if (found !== undefined) return { value: found, reconciled: true };
      if (attempt >= transport.maxAttempts) throw new OutcomeUnknownError(req.operationId, error.cause);
      await transport.pause(req, attempt, 'create did not take effect');
      continue;
    }
    try {
      return { value: parse(body, req.operationId), reconciled: false };
    } catch (error) {
      if (!(error instanceof ResponseValidationError)) throw error;
      return findAccepted(transport, req, find, error);
    }
  }
}

/** Atlas said the create succeeded, so the object exists: look for it (it may take a moment to be listed). */
async function findAccepted<T>(
  transport: AtlasTransport,
  req: AtlasRequest,
  find: () => Promise<T | undefined>,
  unreadable: ResponseValidationError,
): Promise<Created<T>> {
  for (let attempt = 1; ; attempt += 1) {
    let found: T | undefined;
    try {
      found = await find();
    } catch (lookupError) {
      throw new OutcomeUnknownError(req.operationId, lookupError, { accepted: true });
    }
    if (found !== undefined) return { value: found, reconciled: true };
    if (attempt >= transport.maxAttempts) {
      throw new OutcomeUnknownError(req.operationId, unreadable, { accepted: true });
    }
    await transport.pause(req, attempt, 'accepted create not listed yet');
  }
}

/**
 * A create for jobs that carry neither free text nor a trustworthy creation time (restore jobs'
 * `timestamp` is the snapshot's): the matching jobs that exist beforehand are noted, so a lost
 * answer is reconciled by the one that is new.
 */
export async function createJobOnce<T extends { id: string }>(
  transport: AtlasTransport,
  parse: (body: unknown, operationId: string) => T,
  req: AtlasRequest,
  list: () => Promise<T[]>,
  same: (job: T) => boolean,
): Promise<Created<T>> {
  const before = new Set((await list()).filter(same).map((job) => job.id));
  return createOnce(transport, parse, req, async () =>
    (await list()).find((job) => same(job) && !before.has(job.id)),
  );
}
