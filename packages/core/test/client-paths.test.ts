import { readFileSync } from 'node:fs';
import { findSpecFile } from '@atlas-backups/atlas-sim/testing';
import { describe, expect, it } from 'vitest';
import { atlasPath, atlasPaths } from '../src/client/paths.js';

const spec = findSpecFile();

describe('Atlas paths as data', () => {
  it.skipIf(spec === undefined)('names only paths the Atlas contract has (skipped without ../shared)', () => {
    const contract = JSON.parse(readFileSync(spec as string, 'utf8')) as { operations: { path: string }[] };
    const known = new Set(contract.operations.map((o) => o.path));
    expect(Object.values(atlasPaths).filter((path) => !known.has(path))).toEqual([]);
  });

  it('fills a template, encoding each value and naming every bad one in order', () => {
    expect(
      atlasPath(atlasPaths.flexSnapshot, {
        groupId: 'a'.repeat(24),
        name: 'Flex-1',
        snapshotId: 'b'.repeat(24),
      }),
    ).toBe(`/api/atlas/v2/groups/${'a'.repeat(24)}/flexClusters/Flex-1/backup/snapshots/${'b'.repeat(24)}`);
    expect(() =>
      atlasPath(atlasPaths.restoreJob, { groupId: 'x', clusterName: 'a/b', restoreJobId: '' }),
    ).toThrow(
      'Invalid request: groupId: must be 24 hexadecimal digits; clusterName: must start with a letter or digit and contain only letters, digits and -; restoreJobId: is required',
    );
  });
});
