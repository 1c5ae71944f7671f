/**
 * Every failure the core raises carries a stable `code` the front ends switch on, and a one-line
 * `hint` a person can act on. Messages never contain credentials, tokens or headers.
 */
export const errorCodes = [
  // Atlas answered with an error
  'ATLAS_BAD_REQUEST',
  'ATLAS_UNAUTHORIZED',
  'ATLAS_FORBIDDEN',
  'ATLAS_NOT_FOUND',
  'ATLAS_CONFLICT',
  'ATLAS_VERSION_GONE',
  'ATLAS_NOT_ACCEPTABLE',
  'ATLAS_RATE_LIMITED',
  'ATLAS_SERVER_ERROR',
  'ATLAS_ERROR',
  // the request never got a definite answer
  'TRANSPORT_FAILED',
  'OUTCOME_UNKNOWN',
  // refused before any request
  'INVALID_INPUT',
  'SNAPSHOT_IN_PROGRESS',
  'SHARDED_RESTORE_CANCEL_NOT_ALLOWED',
  'OUTSIDE_RESTORE_WINDOW',
  'NAMESPACE_NOT_IN_SNAPSHOT',
  'COMPLIANCE_POLICY_FORBIDS',
  'INVALID_CONFIG',
  // Atlas said something we did not expect
  'INVALID_RESPONSE',
  // job watching
  'WATCH_TIMEOUT',
  // policy, approvals and read-only mode
  'READ_ONLY',
  'POLICY_DENIED',
  'MEMBERSHIP_UNAVAILABLE',
  'APPROVAL_REQUIRED',
  'CONFIRMATION_REQUIRED',
  'REASON_REQUIRED',
  'APPROVAL_INVALID',
  'NOT_FOUND',
  // the process stopped before an approved action could be confirmed in Atlas
  'INTERRUPTED',
  // not the core's error: a bug, or a failure of something the core does not know
  'INTERNAL',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `pointInTimeUTCSeconds` or `customData.0.key`. */
  field: string;
  message: string;
}

export class AtlasBackupsError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint;
  }
}

export function isAtlasBackupsError(value: unknown): value is AtlasBackupsError {
  return value instanceof AtlasBackupsError;
}

/** A failure as front ends, audit entries and approval records keep it: plain data, no stack. */
export interface ErrorInfo {
  code: ErrorCode;
  message: string;
  hint?: string | undefined;
}

/**
 * The one way any caught value becomes an ErrorInfo. The core's errors keep their code, message
 * and hint; anything else (a bug, a socket closed under us) is INTERNAL with its message only,
 * so nothing but the message of a foreign error reaches a person or a log.
 */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof AtlasBackupsError)
    return { code: error.code, message: error.message, hint: error.hint };
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}

/** For logs: the code, then the message; no hint, no stack. */
export function errorLogText(error: unknown): string {
  const { code, message } = toErrorInfo(error);
  return `${code} ${message}`;
}

/** One line for people: the message, then what to do about it. */
export function errorText(info: ErrorInfo): string {
  return info.hint ? `${info.message} — ${info.hint}` : info.message;
}

/** Atlas's `ApiError` body, kept as Atlas sent it. */
export interface AtlasErrorBody {
  error: number;
  errorCode: string;
  detail?: string | null | undefined;
  reason?: string | null | undefined;
  parameters?: unknown[] | undefined;
  badRequestDetail?: { fields?: { field: string; description: string }[] | undefined } | null | undefined;
}

const codeByStatus: Record<number, ErrorCode> = {
  400: 'ATLAS_BAD_REQUEST',
  401: 'ATLAS_UNAUTHORIZED',
  403: 'ATLAS_FORBIDDEN',
  404: 'ATLAS_NOT_FOUND',
  406: 'ATLAS_NOT_ACCEPTABLE',
  409: 'ATLAS_CONFLICT',
  410: 'ATLAS_VERSION_GONE',
  429: 'ATLAS_RATE_LIMITED',
};

/** Atlas error codes that are a rule of their own, with a code the front ends can switch on. */
const codeByErrorCode: Record<string, ErrorCode> = {
  ATLAS_BACKUP_CANCEL_SHARD_RESTORE_JOB_NOT_ALLOWED: 'SHARDED_RESTORE_CANCEL_NOT_ALLOWED',
  CANNOT_DELETE_SNAPSHOT_WITH_BACKUP_COMPLIANCE_POLICY: 'COMPLIANCE_POLICY_FORBIDS',
  BACKUP_POLICIES_NOT_MEETING_BACKUP_COMPLIANCE_POLICY_REQUIREMENTS: 'COMPLIANCE_POLICY_FORBIDS',
};

const shardedRestoreCancelHint =
  "Atlas does not cancel a sharded cluster's restore jobs through its API. Let the restore finish, then restore the target again from the snapshot or moment you want; if it must stop now, ask MongoDB Support.";

const complianceHint =
  "The project's Backup Compliance Policy does not allow it; only MongoDB Support can change or lift that policy.";

const hintByCode: Partial<Record<ErrorCode, string>> = {
  ATLAS_BAD_REQUEST: 'Atlas refused the request as malformed; check the fields it names.',
  ATLAS_UNAUTHORIZED:
    'Atlas did not accept the credentials: check MONGODB_ATLAS_CLIENT_ID/CLIENT_SECRET or PUBLIC/PRIVATE_API_KEY, and the IP access list.',
  ATLAS_FORBIDDEN:
    'The Atlas identity lacks the role for this (backup actions need Project Backup Manager or Project Owner).',
  ATLAS_NOT_FOUND: 'Atlas has no such resource: check the project id, cluster name and ids.',
  ATLAS_CONFLICT: 'Atlas refused because something conflicting is already happening; wait and retry.',
  ATLAS_VERSION_GONE: 'This API version is past its sunset date; Atlas no longer serves it.',
  ATLAS_NOT_ACCEPTABLE: 'Atlas does not offer this API version for the operation.',
  ATLAS_RATE_LIMITED: 'Atlas is rate limiting this identity; retries were exhausted, try again shortly.',
  ATLAS_SERVER_ERROR: 'Atlas had an internal error; retry later or check status.mongodb.com.',
  SHARDED_RESTORE_CANCEL_NOT_ALLOWED: shardedRestoreCancelHint,
  COMPLIANCE_POLICY_FORBIDS: complianceHint,
};

function hintFor(code: ErrorCode, errorCode: string): string | undefined {
  if (errorCode === 'CLUSTER_NOT_FOUND')
    return 'No cluster by that name in the project; list clusters to check.';
  if (errorCode === 'SNAPSHOT_NOT_FOUND')
    return 'No snapshot with that id on the cluster; list snapshots to check.';
  if (errorCode === 'GROUP_NOT_FOUND' || errorCode === 'INVALID_GROUP_ID')
    return 'No project with that id is visible to this identity.';
  return hintByCode[code];
}

export class AtlasApiError extends AtlasBackupsError {
  readonly status: number;
  readonly errorCode: string;
  readonly detail: string | undefined;
  readonly reason: string | undefined;
  readonly parameters: unknown[];
  readonly badRequestDetail: AtlasErrorBody['badRequestDetail'];
  readonly operationId: string;
  /** Seconds Atlas asked us to wait, when it said so. */
  readonly retryAfterSeconds: number | undefined;

  constructor(operationId: string, status: number, body: AtlasErrorBody, retryAfterSeconds?: number) {
    const code =
      codeByErrorCode[body.errorCode] ??
      codeByStatus[status] ??
      (status >= 500 ? 'ATLAS_SERVER_ERROR' : 'ATLAS_ERROR');
    const what = body.detail ?? body.reason ?? `HTTP ${status}`;
    super(code, `Atlas ${status} ${body.errorCode}: ${what}`, { hint: hintFor(code, body.errorCode) });
    this.status = status;
    this.errorCode = body.errorCode;
    this.detail = body.detail ?? undefined;
    this.reason = body.reason ?? undefined;
    this.parameters = body.parameters ?? [];
    this.badRequestDetail = body.badRequestDetail;
    this.operationId = operationId;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export class TransportError extends AtlasBackupsError {
  readonly operationId: string;
  constructor(operationId: string, cause: unknown) {
    const why = cause instanceof Error ? ((cause as { code?: string }).code ?? cause.message) : String(cause);
    super('TRANSPORT_FAILED', `Could not reach Atlas for ${operationId}: ${why}`, {
      hint: 'Check network access to the Atlas base URL (MONGODB_ATLAS_BASE_URL).',
      cause,
    });
    this.operationId = operationId;
  }
}

/**
 * A create whose outcome could not be established even after checking Atlas. `accepted`: Atlas
 * answered that it succeeded, but the answer could not be read and the object not found.
 */
export class OutcomeUnknownError extends AtlasBackupsError {
  readonly accepted: boolean;
  constructor(operationId: string, cause: unknown, options: { accepted?: boolean } = {}) {
    const accepted = options.accepted ?? false;
    super(
      'OUTCOME_UNKNOWN',
      accepted
        ? `Atlas accepted ${operationId}, but its answer could not be read and the result could not be found yet`
        : `Atlas did not confirm ${operationId}, and it could not be established whether it took effect`,
      {
        hint: accepted
          ? 'It is in Atlas: look for it in the job list instead of starting it again.'
          : 'Check the job list before trying again, so nothing runs twice.',
        cause,
      },
    );
    this.accepted = accepted;
  }
}

export class InputValidationError extends AtlasBackupsError {
  readonly issues: FieldIssue[];
  constructor(what: string, issues: FieldIssue[]) {
    const list = issues.map((i) => (i.field ? `${i.field}: ${i.message}` : i.message)).join('; ');
    super('INVALID_INPUT', `Invalid ${what}: ${list}`, {
      hint: issues[0] ? `Fix ${issues[0].field || 'the input'} and try again.` : undefined,
    });
    this.issues = issues;
  }
}

export class ResponseValidationError extends AtlasBackupsError {
  readonly issues: FieldIssue[];
  constructor(operationId: string, issues: FieldIssue[]) {
    const list = issues
      .slice(0, 3)
      .map((i) => `${i.field}: ${i.message}`)
      .join('; ');
    super('INVALID_RESPONSE', `Atlas's answer to ${operationId} did not match the contract: ${list}`, {
      hint: 'The Atlas API may have changed; report this with the operation name.',
    });
    this.issues = issues;
  }
}

export class SnapshotInProgressError extends AtlasBackupsError {
  readonly snapshotId: string | undefined;
  constructor(clusterName: string, snapshot?: { id?: string | undefined; createdAt?: string | undefined }) {
    const which = snapshot?.id ? ` (${snapshot.id}, started ${snapshot.createdAt ?? 'recently'})` : '';
    super(
      'SNAPSHOT_IN_PROGRESS',
      `Cluster ${clusterName} already has an on-demand snapshot queued or in progress${which}`,
      { hint: 'Atlas allows one on-demand snapshot at a time per cluster; wait for it to finish.' },
    );
    this.snapshotId = snapshot?.id;
  }
}

/** Refused before asking: Atlas answers 405 to cancelling a sharded cluster's restore job. */
export class ShardedRestoreCancelError extends AtlasBackupsError {
  constructor(clusterName: string, restoreJobId?: string) {
    const job = restoreJobId ? `restore job ${restoreJobId}` : 'restore jobs';
    super(
      'SHARDED_RESTORE_CANCEL_NOT_ALLOWED',
      `${clusterName} is a sharded cluster: its ${job} can't be cancelled`,
      { hint: shardedRestoreCancelHint },
    );
  }
}

/**
 * A point in time Atlas would refuse: outside the source cluster's restorable window, or on a
 * cluster without continuous backup. `field` holds the moment in the request.
 */
export class RestoreWindowError extends AtlasBackupsError {
  constructor(
    readonly field: string,
    problem: string,
    continuous: boolean,
  ) {
    super('OUTSIDE_RESTORE_WINDOW', `Not restorable: ${problem}`, {
      hint: continuous
        ? 'Choose a moment inside the window, or restore from a snapshot.'
        : 'Restore from a snapshot, or turn on continuous cloud backup for later moments.',
    });
  }
}

/** Namespaces a restore names that the snapshot does not hold (or that are not where it says). */
export class NamespaceNotInSnapshotError extends AtlasBackupsError {
  readonly issues: FieldIssue[];
  constructor(source: string, issues: FieldIssue[], holds: string[]) {
    const list = issues.map((i) => i.message).join('; ');
    const shown = holds.slice(0, 12).join(', ') + (holds.length > 12 ? `, … (${holds.length} in all)` : '');
    super('NAMESPACE_NOT_IN_SNAPSHOT', `Not in ${source}: ${list}`, {
      hint: holds.length > 0 ? `It holds ${shown}.` : 'It holds no collection.',
    });
    this.issues = issues;
  }
}

/**
 * Refused before asking: the project's Backup Compliance Policy forbids it (deleting a snapshot
 * before it expires, keeping one for less than the policy's minimum). `rule` says which.
 */
export class CompliancePolicyError extends AtlasBackupsError {
  constructor(
    readonly rule: 'deletion' | 'retention',
    readonly field: string,
    message: string,
  ) {
    super('COMPLIANCE_POLICY_FORBIDS', message, { hint: complianceHint });
  }
}

export class ConfigError extends AtlasBackupsError {
  readonly variable: string;
  constructor(variable: string, message: string) {
    super('INVALID_CONFIG', `${variable}: ${message}`, {
      hint: `Set ${variable} correctly and start again.`,
    });
    this.variable = variable;
  }
}

export class WatchTimeoutError extends AtlasBackupsError {
  constructor(what: string, timeoutMs: number) {
    super('WATCH_TIMEOUT', `Stopped watching ${what} after ${Math.round(timeoutMs / 1000)}s`, {
      hint: 'The job may still be running in Atlas; look it up again later.',
    });
  }
}

export class ReadOnlyError extends AtlasBackupsError {
  constructor(action: string) {
    super('READ_ONLY', `Read-only mode: ${action} changes Atlas and is not allowed`, {
      hint: 'Start without --read-only to make changes.',
    });
  }
}

export class PolicyDeniedError extends AtlasBackupsError {
  constructor(action: string, reason: string) {
    super('POLICY_DENIED', `Not allowed to ${action}: ${reason}`, {
      hint: 'Ask an administrator to change the policy (ATLAS_POLICY_FILE) if this is wrong.',
    });
  }
}

/**
 * The policy could not be applied because user group membership could not be read. Nothing was
 * done, and no looser rule was used instead; asking again once groups can be read may succeed.
 */
export class MembershipUnavailableError extends AtlasBackupsError {
  constructor(action: string, reason: string) {
    super('MEMBERSHIP_UNAVAILABLE', `Cannot decide whether you may ${action}: ${reason}`, {
      hint: 'Nothing was done. Try again in a minute; if it persists, check that the bot may read user groups (in Slack, the usergroups:read scope).',
    });
  }
}

/**
 * The rule that governs the action asks for a reason, and none was given or it does not match
 * the rule's pattern. Nothing was done and no request was opened. `prompt` and `pattern` say what
 * is expected, for a front end to ask again.
 */
export class ReasonRequiredError extends AtlasBackupsError {
  readonly prompt: string | undefined;
  readonly pattern: string | undefined;
  constructor(
    action: string,
    rule: string | undefined,
    expected: { prompt?: string | undefined; pattern?: string | undefined },
    given: boolean,
  ) {
    const what = expected.prompt ? ` (${expected.prompt})` : '';
    const shape = expected.pattern ? ` It must match ${expected.pattern}.` : '';
    super(
      'REASON_REQUIRED',
      given
        ? `The reason given for ${action} does not have the expected form${what}.${shape}`
        : `${action} needs a reason${rule ? `: ${rule} asks for one` : ''}${what}.${shape}`,
      { hint: 'Give the reason (in Slack: --reason "…", or the Reason field), then ask again.' },
    );
    this.prompt = expected.prompt;
    this.pattern = expected.pattern;
  }
}

export class ConfirmationRequiredError extends AtlasBackupsError {
  constructor(message: string, hint: string) {
    super('CONFIRMATION_REQUIRED', message, { hint });
  }
}
