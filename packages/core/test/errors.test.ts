import { describe, expect, it } from 'vitest';
import {
  AtlasApiError,
  AtlasBackupsError,
  CompliancePolicyError,
  ConfigError,
  ConfirmationRequiredError,
  ReasonRequiredError,
  InputValidationError,
  MembershipUnavailableError,
  NamespaceNotInSnapshotError,
  OutcomeUnknownError,
  PolicyDeniedError,
  ReadOnlyError,
  ResponseValidationError,
  RestoreWindowError,
  ShardedRestoreCancelError,
  SnapshotInProgressError,
  TransportError,
  WatchTimeoutError,
  errorCodes,
  errorLogText,
  errorText,
  toErrorInfo,
  type ErrorCode,
} from '../src/index.js';

const atlas = (status: number, errorCode = 'SOMETHING') =>
  new AtlasApiError('getThing', status, { error: status, errorCode, detail: 'what Atlas said' });

/** A failure the core really raises for each code; a code added to the union must be added here. */
const raisedAs: Record<ErrorCode, () => unknown> = {
  ATLAS_BAD_REQUEST: () => atlas(400),
  ATLAS_UNAUTHORIZED: () => atlas(401),
  ATLAS_FORBIDDEN: () => atlas(403),
  ATLAS_NOT_FOUND: () => atlas(404, 'CLUSTER_NOT_FOUND'),
  ATLAS_CONFLICT: () => atlas(409),
  ATLAS_VERSION_GONE: () => atlas(410),
  ATLAS_NOT_ACCEPTABLE: () => atlas(406),
  ATLAS_RATE_LIMITED: () => atlas(429),
  ATLAS_SERVER_ERROR: () => atlas(503),
  ATLAS_ERROR: () => atlas(418),
  TRANSPORT_FAILED: () =>
    new TransportError('getThing', Object.assign(new Error('x'), { code: 'ECONNRESET' })),
  OUTCOME_UNKNOWN: () => new OutcomeUnknownError('takeSnapshots', new Error('lost')),
  INVALID_INPUT: () => new InputValidationError('request', [{ field: 'groupId', message: 'is required' }]),
  SNAPSHOT_IN_PROGRESS: () => new SnapshotInProgressError('Cluster0'),
  SHARDED_RESTORE_CANCEL_NOT_ALLOWED: () => atlas(405, 'ATLAS_BACKUP_CANCEL_SHARD_RESTORE_JOB_NOT_ALLOWED'),
  OUTSIDE_RESTORE_WINDOW: () =>
    new RestoreWindowError('pointInTimeUtcSeconds', 'orders-prod is restorable from …; … is before it', true),
  NAMESPACE_NOT_IN_SNAPSHOT: () =>
    new NamespaceNotInSnapshotError(
      'snapshot 65f0c0ffee0000000000abcd',
      [{ field: 'collections.0.sourceNamespace', message: 'sales.nope' }],
      ['sales.orders'],
    ),
  COMPLIANCE_POLICY_FORBIDS: () =>
    new CompliancePolicyError(
      'deletion',
      'snapshotId',
      'The Backup Compliance Policy of project Production forbids deleting snapshots before they expire',
    ),
  INVALID_CONFIG: () => new ConfigError('MONGODB_ATLAS_BASE_URL', 'must be an http(s) URL'),
  INVALID_RESPONSE: () => new ResponseValidationError('getThing', [{ field: 'id', message: 'required' }]),
  WATCH_TIMEOUT: () => new WatchTimeoutError('restore job 1', 60_000),
  READ_ONLY: () => new ReadOnlyError('snapshot.take'),
  POLICY_DENIED: () => new PolicyDeniedError('restore.automated', 'production'),
  MEMBERSHIP_UNAVAILABLE: () => new MembershipUnavailableError('restore.automated', 'groups unreadable'),
  APPROVAL_REQUIRED: () => new AtlasBackupsError('APPROVAL_REQUIRED', 'needs approval'),
  CONFIRMATION_REQUIRED: () => new ConfirmationRequiredError('confirm it', 'Type the name.'),
  REASON_REQUIRED: () =>
    new ReasonRequiredError('restore.automated', 'rule "r"', { pattern: '^INC-' }, false),
  APPROVAL_INVALID: () => new AtlasBackupsError('APPROVAL_INVALID', 'no such approval'),
  NOT_FOUND: () => new AtlasBackupsError('NOT_FOUND', 'No project named x'),
  INTERRUPTED: () => new AtlasBackupsError('INTERRUPTED', 'stopped while starting'),
  INTERNAL: () => new TypeError("Cannot read properties of undefined (reading 'id')"),
};

describe('toErrorInfo', () => {
  it('gives every code in the union from the failure that carries it', () => {
    expect([...errorCodes].sort()).toEqual(Object.keys(raisedAs).sort());
    for (const code of errorCodes) {
      const info = toErrorInfo(raisedAs[code]());
      expect(info.code, code).toBe(code);
      expect(info.message, code).not.toBe('');
    }
  });

  it('keeps the core error’s message and hint as they are', () => {
    const error = new ShardedRestoreCancelError('orders', '65f0c0ffee0000000000abcd');
    expect(toErrorInfo(error)).toEqual({ code: error.code, message: error.message, hint: error.hint });
    expect(errorText(toErrorInfo(error))).toBe(`${error.message} — ${error.hint}`);
  });

  it('makes anything else INTERNAL with its message only, never its stack or other fields', () => {
    const slackish = Object.assign(new Error('An API error occurred: not_in_channel'), {
      code: 'slack_webapi_platform_error',
      data: { token: 'xoxb-secret' },
    });
    expect(toErrorInfo(slackish)).toEqual({
      code: 'INTERNAL',
      message: 'An API error occurred: not_in_channel',
    });
    expect(toErrorInfo('thrown text')).toEqual({ code: 'INTERNAL', message: 'thrown text' });
    expect(toErrorInfo(undefined)).toEqual({ code: 'INTERNAL', message: 'undefined' });
    expect(JSON.stringify(toErrorInfo(new Error('boom')))).not.toContain(' at ');
    expect(errorText(toErrorInfo(new Error('boom')))).toBe('boom');
    expect(errorLogText(new ReadOnlyError('snapshot.take'))).toBe(
      'READ_ONLY Read-only mode: snapshot.take changes Atlas and is not allowed',
    );
    expect(errorLogText(slackish)).toBe('INTERNAL An API error occurred: not_in_channel');
  });
});
