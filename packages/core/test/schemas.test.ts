import { describe, expect, it } from 'vitest';
import { InputValidationError, parseInput, restoreRequest, takeSnapshotRequest } from '../src/index.js';

const snapshotId = '5f4d7c7a1c9d440000a1b2c3';
const targetGroupId = '6a1b2c3d4e5f6a7b8c9d0e1f';

function fieldsOf(value: unknown): string[] {
  try {
    parseInput(restoreRequest, value, 'restore request');
  } catch (error) {
    expect(error).toBeInstanceOf(InputValidationError);
    return (error as InputValidationError).issues.map((i) => i.field);
  }
  return [];
}

describe('restore request rules', () => {
  it('accepts each valid delivery type', () => {
    expect(
      fieldsOf({ deliveryType: 'automated', snapshotId, targetClusterName: 'Target-1', targetGroupId }),
    ).toEqual([]);
    expect(fieldsOf({ deliveryType: 'download', snapshotId })).toEqual([]);
    expect(
      fieldsOf({
        deliveryType: 'pointInTime',
        targetClusterName: 'T',
        targetGroupId,
        pointInTimeUTCSeconds: 1700000000,
      }),
    ).toEqual([]);
    expect(
      fieldsOf({
        deliveryType: 'pointInTime',
        targetClusterName: 'T',
        targetGroupId,
        oplogTs: 1700000000,
        oplogInc: 3,
      }),
    ).toEqual([]);
  });

  it('names the field for each wrong combination', () => {
    expect(fieldsOf({ deliveryType: 'automated', snapshotId, targetGroupId })).toEqual(['targetClusterName']);
    expect(fieldsOf({ deliveryType: 'download', snapshotId, targetClusterName: 'T' })).toEqual([
      'targetClusterName',
    ]);
    expect(
      fieldsOf({
        deliveryType: 'pointInTime',
        targetClusterName: 'T',
        targetGroupId,
        pointInTimeUTCSeconds: 1700000000,
        oplogTs: 1700000000,
        oplogInc: 1,
      }),
    ).toEqual(['pointInTimeUTCSeconds']);
    expect(
      fieldsOf({ deliveryType: 'pointInTime', targetClusterName: 'T', targetGroupId, oplogTs: 1700000000 }),
    ).toEqual(['oplogInc']);
    expect(fieldsOf({ deliveryType: 'pointInTime', targetClusterName: 'T', targetGroupId })).toEqual([
      'pointInTimeUTCSeconds',
    ]);
    expect(
      fieldsOf({
        deliveryType: 'pointInTime',
        targetClusterName: 'T',
        targetGroupId,
        pointInTimeUTCSeconds: 1199145599,
      }),
    ).toEqual(['pointInTimeUTCSeconds']);
    expect(fieldsOf({ deliveryType: 'sideways', snapshotId })).toEqual(['deliveryType']);
    expect(fieldsOf({ deliveryType: 'download', snapshotId: 'nope' })).toEqual(['snapshotId']);
  });

  it('explains what is wrong in the message', () => {
    expect(() =>
      parseInput(
        restoreRequest,
        { deliveryType: 'automated', snapshotId, targetClusterName: '-bad', targetGroupId },
        'restore request',
      ),
    ).toThrow(/targetClusterName: targetClusterName must start with a letter or digit/);
  });
});

describe('on-demand snapshot request', () => {
  it('requires retentionInDays of at least 1 and refuses unknown fields', () => {
    expect(() => parseInput(takeSnapshotRequest, { retentionInDays: 0 }, 'snapshot request')).toThrow(
      /retentionInDays: retentionInDays must be at least 1/,
    );
    expect(() => parseInput(takeSnapshotRequest, { retention: 3 }, 'snapshot request')).toThrow(
      /retention: is not a field this request accepts/,
    );
    expect(
      parseInput(takeSnapshotRequest, { description: 'before deploy', retentionInDays: 3 }, 'x'),
    ).toEqual({
      description: 'before deploy',
      retentionInDays: 3,
    });
  });
});
