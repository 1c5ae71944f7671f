import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ActionService,
  InputValidationError,
  MemoryAuditLog,
  formatTime,
  formatTimeSeconds,
  localOperatorPolicy,
  readDateTime,
  type Actor,
} from '../src/index.js';
import { served, simHarness, type SimHarness } from './support/sim.js';

const actor: Actor = { id: 'local:alice', displayName: 'alice', source: 'tui' };

describe('the one date-time reader', () => {
  const utc = (text: string) => readDateTime(text, { zone: 'utc' });
  const zoned = (text: string) => readDateTime(text, { zone: 'required' });
  const seconds = (iso: string) => Date.parse(iso) / 1000;

  it('refuses every impossible date and time, saying which part is impossible', () => {
    const cases: [string, RegExp][] = [
      ['2025-02-30T10:00:00Z', /^not a real date: February 2025 has 28 days$/],
      ['2025-02-29T10:00:00Z', /February 2025 has 28 days/],
      ['2100-02-29T10:00:00Z', /February 2100 has 28 days/],
      ['2025-04-31T10:00:00Z', /April 2025 has 30 days/],
      ['2025-06-31 10:00', /June 2025 has 30 days/],
      ['2025-01-32T10:00:00Z', /January 2025 has 31 days/],
      ['2025-01-00T10:00:00Z', /not a real date: days start at 01/],
      ['2025-13-01T10:00:00Z', /not a real date: months run 01 to 12/],
      ['2025-00-10T10:00:00Z', /months run 01 to 12/],
      ['2025-03-01T25:00:00Z', /not a real time: hours run 00 to 23/],
      ['2025-03-01T24:00:00Z', /hours run 00 to 23/],
      ['2025-03-01T10:60:00Z', /minutes run 00 to 59/],
      ['2025-03-01T10:00:60Z', /seconds run 00 to 59/],
      ['2025-03-01T10:00:00+25:00', /not a real offset: \+25:00/],
      ['2025-03-01T10:00:00+02:60', /not a real offset/],
      ['2025-03-01T10:00:00.5Z', /not whole seconds/],
    ];
    for (const [text, problem] of cases) {
      const read = zoned(text);
      expect(read, text).toMatchObject({ ok: false, problem: expect.stringMatching(problem) });
      // The same rules whatever the zone mode: a form field labelled UTC refuses them too.
      expect(utc(text).ok, text).toBe(false);
    }
  });

  it('reads real moments exactly, leap days and offsets included', () => {
    expect(zoned('2024-02-29T10:00:00Z')).toEqual({
      ok: true,
      epochSeconds: seconds('2024-02-29T10:00:00Z'),
    });
    expect(zoned('2000-02-29T00:00:00Z')).toEqual({
      ok: true,
      epochSeconds: seconds('2000-02-29T00:00:00Z'),
    });
    expect(zoned('2025-03-01T11:30:00+02:00')).toEqual({
      ok: true,
      epochSeconds: seconds('2025-03-01T09:30:00Z'),
    });
    expect(zoned('2025-03-01 09:30 UTC')).toEqual({
      ok: true,
      epochSeconds: seconds('2025-03-01T09:30:00Z'),
    });
    expect(zoned('2025-12-31T23:59:59.000Z')).toEqual({
      ok: true,
      epochSeconds: seconds('2025-12-31T23:59:59Z'),
    });
    expect(utc('2025-03-01 09:30')).toEqual({ ok: true, epochSeconds: seconds('2025-03-01T09:30:00Z') });
  });

  it('asks for a zone where the reader cannot assume one, and for the right shape', () => {
    expect(zoned('2025-03-01T09:30:00')).toMatchObject({
      ok: false,
      problem: /not tied to a zone: add Z for UTC/,
    });
    expect(zoned('yesterday')).toMatchObject({ ok: false, problem: /not an ISO-8601 date and time/ });
    expect(utc('yesterday')).toMatchObject({ ok: false, problem: 'not YYYY-MM-DD HH:MM[:SS] (UTC)' });
  });
});

describe('numbers are refused outside their range, with the range named', () => {
  let h: SimHarness;
  let service: ActionService;
  beforeEach(async () => {
    h = await simHarness({ now: new Date('2026-11-27T12:00:00Z') });
    service = new ActionService({
      client: h.client(),
      policy: localOperatorPolicy,
      audit: new MemoryAuditLog(),
      now: () => h.sim.clock.now(),
    });
  });
  afterEach(async () => {
    await h.close();
  });

  async function refusal(promise: Promise<unknown>) {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InputValidationError);
    return (error as InputValidationError).issues;
  }

  async function completedSnapshot() {
    const { projectId, replicaSetName } = h.sim.seed;
    const page = await h.client().listSnapshots(projectId, replicaSetName, { itemsPerPage: 50 });
    const snap = page.results.find((s) => s.status === 'completed');
    if (!snap) throw new Error('no completed snapshot');
    return { groupId: projectId, clusterName: replicaSetName, snapshotId: snap.id };
  }

  it('refuses a retention past 100 years in each unit before Atlas is asked, and previews the longest', async () => {
    const base = await completedSnapshot();
    h.sim.clearRequests();
    const cases = [
      ['DAYS', 2147483647, '1 to 36500 days'],
      ['DAYS', 36501, '1 to 36500 days'],
      ['WEEKS', 5201, '1 to 5200 weeks'],
      ['MONTHS', 1201, '1 to 1200 months'],
      ['MONTHS', 2147483647, '100 years'],
      ['YEARS', 101, '1 to 100 years'],
      ['YEARS', 999999999, '100 years'],
    ] as const;
    for (const [retentionUnit, retentionValue, range] of cases) {
      const issues = await refusal(
        service.preview(actor, 'snapshot.retention', { ...base, retentionUnit, retentionValue }),
      );
      expect(issues, `${retentionValue} ${retentionUnit}`).toEqual([
        { field: 'retentionValue', message: expect.stringContaining(range) },
      ]);
    }
    const issues = await refusal(
      service.preview(actor, 'snapshot.take', {
        groupId: base.groupId,
        clusterName: base.clusterName,
        retentionInDays: 2147483647,
      }),
    );
    expect(issues).toEqual([
      { field: 'retentionInDays', message: 'retentionInDays must be 1 to 36500 days (100 years)' },
    ]);
    expect(h.sim.requests).toHaveLength(0);

    for (const [unit, max] of [
      ['DAYS', 36500],
      ['WEEKS', 5200],
      ['MONTHS', 1200],
      ['YEARS', 100],
    ] as const) {
      const { preview } = await service.preview(actor, 'snapshot.retention', {
        ...base,
        retentionUnit: unit,
        retentionValue: max,
      });
      expect(preview.lines.join('\n')).toMatch(/Expires after: 2[01]\d\d-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
    }
  });

  it('names the range of restore times and oplog increments', async () => {
    const { projectId, replicaSetName } = h.sim.seed;
    const target = { targetGroupId: projectId, targetClusterName: replicaSetName };
    const where = { groupId: projectId, clusterName: replicaSetName, ...target };
    const late = await refusal(
      service.preview(actor, 'restore.pointInTime', { ...where, pointInTimeUTCSeconds: 2147483648 }),
    );
    expect(late[0]?.message).toContain('at or before 2038-01-19T03:14:07Z (2147483647)');
    const inc = await refusal(
      service.preview(actor, 'restore.pointInTime', { ...where, oplogTs: 1700000000, oplogInc: 2 ** 31 }),
    );
    expect(inc[0]).toEqual({ field: 'oplogInc', message: 'oplogInc must be between 1 and 2147483647' });
  });

  it('formats any number or text as a time without throwing', () => {
    for (const value of [2147483647 * 86_400_000, Number.MAX_VALUE, Infinity, Number.NaN, 'not a time']) {
      expect(() => formatTime(value)).not.toThrow();
      expect(() => formatTimeSeconds(value)).not.toThrow();
    }
  });
});

describe("an on-demand snapshot's description", () => {
  let h: SimHarness;
  beforeEach(async () => {
    h = await simHarness({ now: new Date('2026-11-27T12:00:00Z') });
  });
  afterEach(async () => {
    await h.close();
  });

  it("fits within Atlas's limit with the request marker, at exactly the length the user is told", async () => {
    const service = new ActionService({
      client: h.client(),
      policy: localOperatorPolicy,
      audit: new MemoryAuditLog(),
      now: () => h.sim.clock.now(),
    });
    const { projectId, replicaSetName } = h.sim.seed;
    const take = (description: string) =>
      service.request(actor, 'snapshot.take', {
        groupId: projectId,
        clusterName: replicaSetName,
        description,
      });

    // Atlas's own limit, 1000 characters, is more than a person may give: the marker needs room.
    const issues = await take('a'.repeat(1000)).then(
      () => [],
      (e: unknown) => (e instanceof InputValidationError ? e.issues : [{ field: '?', message: String(e) }]),
    );
    expect(issues).toEqual([
      { field: 'description', message: expect.stringMatching(/at most \d+ characters/) },
    ]);
    const told = Number(/at most (\d+) characters/.exec(issues[0]?.message ?? '')?.[1]);
    expect(served(h.sim, 'POST', /snapshots$/)).toHaveLength(0);

    const outcome = await take('é'.repeat(told));
    expect(outcome.status).toBe('executed');
    const stored = h.sim.store
      .listSnapshots(projectId, replicaSetName)
      .find((s) => s.description?.includes('atlas-backups-request'));
    expect(stored?.description).toMatch(/^é+ \[atlas-backups-request:[0-9a-f]{8}\]$/);
    expect(stored?.description?.length).toBe(1000);
  });
});
