import { describe, expect, it } from 'vitest';
import { parseCommand, type Command } from '../src/commands/parse.js';
import { tokenize } from '../src/commands/args/tokenize.js';

const id = (n: number) => n.toString(16).padStart(24, 'a');
const ok = (text: string): Command => {
  const r = parseCommand(text);
  if (!r.ok) throw new Error(`expected ${text} to parse, got: ${r.error}`);
  return r.command;
};
const bad = (text: string) => {
  const r = parseCommand(text);
  if (r.ok) throw new Error(`expected ${text} to be refused, got ${JSON.stringify(r.command)}`);
  return r;
};

describe('tokenize', () => {
  it('keeps quoted text whole, with straight and typographic quotes', () => {
    expect(tokenize('take c --desc "before the upgrade" x')).toEqual({
      ok: true,
      tokens: ['take', 'c', '--desc', 'before the upgrade', 'x'],
    });
    expect(tokenize('--desc “smart quotes here”')).toEqual({
      ok: true,
      tokens: ['--desc', 'smart quotes here'],
    });
    expect(tokenize("--desc='single quoted' ‘a b’")).toEqual({
      ok: true,
      tokens: ['--desc=single quoted', 'a b'],
    });
    expect(tokenize('a "" b')).toEqual({ ok: true, tokens: ['a', '', 'b'] });
    expect(tokenize('say "a \\"quote\\""')).toEqual({ ok: true, tokens: ['say', 'a "quote"'] });
  });

  it('refuses an unclosed quote', () => {
    expect(tokenize('take c --desc "oops')).toEqual({ ok: false, error: 'a quote is not closed' });
  });
});

describe('parseCommand', () => {
  it('reads the listing commands', () => {
    expect(ok('')).toEqual({ kind: 'help', topic: undefined });
    expect(ok('help restore')).toEqual({ kind: 'help', topic: 'restore' });
    expect(ok('projects')).toEqual({ kind: 'projects' });
    expect(ok('clusters')).toEqual({ kind: 'clusters', project: undefined });
    expect(ok('clusters "My Project"')).toEqual({ kind: 'clusters', project: 'My Project' });
    expect(ok('clusters --project Staging')).toEqual({ kind: 'clusters', project: 'Staging' });
    expect(ok('snapshots Cluster0')).toEqual({
      kind: 'snapshots',
      cluster: 'Cluster0',
      project: undefined,
      limit: 10,
    });
    expect(ok('snapshots Cluster0 --project=Staging --limit 25')).toEqual({
      kind: 'snapshots',
      cluster: 'Cluster0',
      project: 'Staging',
      limit: 25,
    });
    expect(ok('jobs Cluster0')).toMatchObject({ kind: 'jobs', cluster: 'Cluster0' });
    expect(ok('use Production')).toEqual({ kind: 'use', project: 'Production' });
    expect(ok(`serverless snapshot metrics ${id(1)}`)).toEqual({
      kind: 'serverlessSnapshot',
      instance: 'metrics',
      snapshotId: id(1),
      project: undefined,
    });
  });

  it('reads snapshot take and retain', () => {
    expect(ok('snapshot take Cluster0 --retention 7 --desc "before upgrade"')).toEqual({
      kind: 'action',
      action: 'snapshot.take',
      project: undefined,
      params: { clusterName: 'Cluster0', retentionInDays: 7, description: 'before upgrade' },
    });
    expect(ok(`snapshot retain Cluster0 ${id(2)} 3 months --project Staging`)).toEqual({
      kind: 'action',
      action: 'snapshot.retention',
      project: 'Staging',
      params: { clusterName: 'Cluster0', snapshotId: id(2), retentionValue: 3, retentionUnit: 'MONTHS' },
    });
    expect(ok(`snapshot retain c ${id(2)} 1 week`)).toMatchObject({ params: { retentionUnit: 'WEEKS' } });
    expect(ok(`snapshot delete Cluster0 ${id(3)} --project Staging --reason "OPS-9"`)).toEqual({
      kind: 'action',
      action: 'snapshot.delete',
      project: 'Staging',
      reason: 'OPS-9',
      params: { clusterName: 'Cluster0', snapshotId: id(3) },
    });
    expect(ok('status')).toEqual({ kind: 'status', project: undefined });
    expect(ok('status Production')).toEqual({ kind: 'status', project: 'Production' });
    // The longest of each, at the boundary the user is told.
    expect(ok(`snapshot retain c ${id(2)} 1200 months`)).toMatchObject({ params: { retentionValue: 1200 } });
    expect(ok('snapshot take c --retention 36500')).toMatchObject({ params: { retentionInDays: 36500 } });
    expect(ok(`snapshot take c --desc "${'x'.repeat(967)}"`)).toMatchObject({
      params: { description: 'x'.repeat(967) },
    });
    expect(ok('restore src --at 2024-02-29T23:59:59Z --to dst')).toMatchObject({
      params: { pointInTimeUTCSeconds: Date.parse('2024-02-29T23:59:59Z') / 1000 },
    });
  });

  it('reads export with repeated --data', () => {
    expect(ok(`export c ${id(3)} --bucket ${id(4)} --data ticket=INC-1 --data note=a=b`)).toEqual({
      kind: 'action',
      action: 'export.create',
      project: undefined,
      params: {
        clusterName: 'c',
        snapshotId: id(3),
        exportBucketId: id(4),
        customData: [
          { key: 'ticket', value: 'INC-1' },
          { key: 'note', value: 'a=b' },
        ],
      },
    });
    expect(ok('export')).toEqual({ kind: 'openModal', modal: 'export' });
  });

  it('reads the four kinds of restore, and cancel', () => {
    expect(ok(`restore src ${id(5)} --to dst --target-project Staging`)).toEqual({
      kind: 'action',
      action: 'restore.automated',
      project: undefined,
      targetProject: 'Staging',
      params: { clusterName: 'src', snapshotId: id(5), targetClusterName: 'dst' },
    });
    expect(ok('restore src --at 2025-03-01T09:30:00Z --to dst')).toMatchObject({
      action: 'restore.pointInTime',
      params: { clusterName: 'src', targetClusterName: 'dst', pointInTimeUTCSeconds: 1740821400 },
    });
    expect(ok('restore src --at 2025-03-01T11:30:00+02:00 --to dst')).toMatchObject({
      params: { pointInTimeUTCSeconds: 1740821400 },
    });
    expect(ok('restore src --oplog 1740821400:3 --to dst')).toMatchObject({
      action: 'restore.pointInTime',
      params: { oplogTs: 1740821400, oplogInc: 3 },
    });
    expect(ok(`restore src ${id(5)} --download`)).toEqual({
      kind: 'action',
      action: 'restore.download',
      project: undefined,
      params: { clusterName: 'src', snapshotId: id(5) },
    });
    expect(ok(`restore cancel src ${id(6)}`)).toEqual({
      kind: 'action',
      action: 'restore.cancel',
      project: undefined,
      params: { clusterName: 'src', restoreJobId: id(6) },
    });
    expect(ok('restore')).toEqual({ kind: 'openModal', modal: 'restore' });
  });

  it('treats a cluster named "cancel" as a cluster when restore flags are given', () => {
    expect(ok(`restore cancel ${id(5)} --to dst`)).toMatchObject({
      action: 'restore.automated',
      params: { clusterName: 'cancel', snapshotId: id(5) },
    });
  });

  it.each([
    ['snapshots', 'missing the cluster name', '/atlas snapshots <cluster>'],
    ['snapshots c --limit 0', '`--limit` must be between 1 and 100, got 0', '/atlas snapshots'],
    ['snapshots c --limit many', '`--limit` must be a whole number', '/atlas snapshots'],
    ['snapshots c --colour red', '`--colour` is not an option of `snapshots`', '/atlas snapshots'],
    ['snapshot take', 'missing the cluster name', '/atlas snapshot take'],
    [
      'snapshot take c --retention -1',
      '`--retention` (days) must be a whole number, got `-1`',
      '/atlas snapshot take',
    ],
    ['snapshot take c --retention', '`--retention` needs a value', '/atlas snapshot take'],
    [
      'snapshot take c --retention 1.5',
      '`--retention` (days) must be a whole number',
      '/atlas snapshot take',
    ],
    ['snapshot take c --desc "unterminated', 'a quote is not closed', '/atlas snapshot take <cluster>'],
    [
      'snapshot retain c abc 3 days',
      'the snapshot id `abc` must be 24 hexadecimal digits',
      '/atlas snapshot retain',
    ],
    [
      `snapshot retain c ${id(1)} 3 fortnights`,
      'the unit must be days, weeks, months or years',
      '/atlas snapshot retain',
    ],
    ['snapshot remove c', '`snapshot remove` is not a command', '/atlas projects'],
    ['snapshot delete c', 'missing the snapshot id', '/atlas snapshot delete'],
    ['status a b', 'unexpected `b`', '/atlas status'],
    [`export c ${id(1)}`, 'missing `--bucket <bucketId>`', '/atlas export'],
    [
      `export c ${id(1)} --bucket ${id(2)} --data novalue`,
      '`--data novalue` must be key=value',
      '/atlas export',
    ],
    [`restore c ${id(1)}`, 'missing `--to <targetCluster>`', '/atlas restore'],
    ['restore c --to d', 'missing the snapshot id', '/atlas restore'],
    ['restore c --at 2025-03-01T09:30:00 --to d', 'add Z for UTC', '/atlas restore'],
    ['restore c --at yesterday --to d', 'is not an ISO-8601 date and time', '/atlas restore'],
    [
      'restore c --at 2025-02-30T10:00:00Z --to d',
      '`--at 2025-02-30T10:00:00Z` is not a real date: February 2025 has 28 days',
      '/atlas restore',
    ],
    [
      'restore c --at 2025-04-31T10:00:00Z --to d',
      '`--at 2025-04-31T10:00:00Z` is not a real date: April 2025 has 30 days',
      '/atlas restore',
    ],
    ['restore c --at 2025-02-29T10:00:00Z --to d', 'February 2025 has 28 days', '/atlas restore'],
    ['restore c --at 2025-13-01T10:00:00Z --to d', 'months run 01 to 12', '/atlas restore'],
    ['restore c --at 2025-03-01T25:00:00Z --to d', 'hours run 00 to 23', '/atlas restore'],
    ['restore c --at 2025-03-01T10:60:00Z --to d', 'minutes run 00 to 59', '/atlas restore'],
    ['restore c --at 2025-03-01T10:00:60Z --to d', 'seconds run 00 to 59', '/atlas restore'],
    ['restore c --at 2007-12-31T23:59:59Z --to d', 'is out of range', '/atlas restore'],
    ['restore c --at 2038-01-19T03:14:08Z --to d', 'to 2038-01-19T03:14:07Z', '/atlas restore'],
    [
      'snapshot take c --retention 2147483647',
      '`--retention` (days) must be 1 to 36500 days (100 years), got 2147483647',
      '/atlas snapshot take',
    ],
    [
      `snapshot retain c ${id(1)} 1201 months`,
      'the retention value must be 1 to 1200 months (100 years), got 1201',
      '/atlas snapshot retain',
    ],
    [
      `snapshot retain c ${id(1)} 999999999 years`,
      'the retention value must be 1 to 100 years, got 999999999',
      '/atlas snapshot retain',
    ],
    [
      'restore c --oplog 17408:1 --to d',
      'the oplog timestamp must be seconds from 1199145600',
      '/atlas restore',
    ],
    [
      'restore c --oplog 1740821400:2147483648 --to d',
      'the oplog increment must be between 1 and 2147483647',
      '/atlas restore',
    ],
    [
      `snapshot take c --desc "${'x'.repeat(968)}"`,
      'the description must be at most 967 characters',
      '/atlas snapshot take',
    ],
    [
      'restore c --at 2025-03-01T09:30:00Z --oplog 1:2 --to d',
      'either `--at` or `--oplog`',
      '/atlas restore',
    ],
    ['restore c --oplog 17408 --to d', '`--oplog` must be <ts>:<inc>', '/atlas restore'],
    [`restore c ${id(1)} --download --to d`, '`--download` makes download links', '/atlas restore'],
    [
      `restore c ${id(1)} --to bad_name!`,
      'the target cluster `bad_name!` is not a valid name',
      '/atlas restore',
    ],
    ['restore cancel c', 'missing the restore job id', '/atlas restore cancel'],
    ['use', 'missing the project', '/atlas use'],
    ['clusters a --project b', 'give the project once', '/atlas clusters'],
    ['snapshotz c', '`snapshotz` is not an /atlas command. Did you mean `snapshots`?', '/atlas projects'],
    ['help frobnicate', 'there is no command `frobnicate`', '/atlas help'],
  ])('refuses %j, saying what is wrong and how to say it', (text, error, usage) => {
    const r = bad(text);
    expect(r.error).toContain(error);
    expect(r.usage.join('\n')).toContain(usage);
  });

  it('decodes the entities Slack puts in command text', () => {
    expect(ok('snapshot take c --desc "a &amp; b &lt;c&gt;"')).toMatchObject({
      params: { description: 'a & b <c>' },
    });
  });
});
