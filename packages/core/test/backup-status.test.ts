import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  backupStatus,
  formatAge,
  loadProjectBackupStatus,
  type BackupSchedule,
  type BackupStatusFacts,
  type StatusSnapshot,
} from '../src/index.js';
import { simHarness, type SimHarness } from './support/sim.js';

const hour = 3_600_000;
const day = 24 * hour;
const now = Date.parse('2026-11-27T12:00:00Z');

const schedule = (items: { frequencyType: string; frequencyInterval: number }[]): BackupSchedule => ({
  restoreWindowDays: 7,
  nextSnapshot: '2026-11-27T15:15:00Z',
  policies: [
    {
      policyItems: items.map((i) => ({ ...i, retentionUnit: 'days', retentionValue: 7 })),
    },
  ],
});
const every6h = schedule([
  { frequencyType: 'daily', frequencyInterval: 1 },
  { frequencyType: 'hourly', frequencyInterval: 6 },
]);

let n = 0;
const snap = (
  ageMs: number,
  phase: StatusSnapshot['phase'] = 'completed',
  kind = 'hourly',
): StatusSnapshot => ({
  id: (n++).toString(16).padStart(24, '0'),
  createdAt: now - ageMs,
  phase,
  status: phase === 'running' ? 'inProgress' : phase,
  kind,
});

const facts = (over: Partial<BackupStatusFacts> = {}): BackupStatusFacts => ({
  cluster: { name: 'orders', kind: 'replicaSet', backupEnabled: true, pitEnabled: true },
  schedule: every6h,
  snapshots: [snap(5 * hour), snap(11 * hour), snap(20 * day)],
  running: [],
  ...over,
});

describe('the backup status of a cluster', () => {
  it('is on schedule while the newest completed snapshot is younger than the schedule promises', () => {
    const s = backupStatus(facts(), now);
    expect(s.verdict).toBe('ok');
    expect(s.behindSchedule).toBe(false);
    expect(s.promisedEveryMs).toBe(6 * hour);
    expect(s.newestCompleted).toMatchObject({ ageMs: 5 * hour, kind: 'hourly' });
    expect(s.nextSnapshotAt).toBe(Date.parse('2026-11-27T15:15:00Z'));
    expect(s.window).toMatchObject({ continuous: true, days: 7, start: now - 7 * day, end: now });
  });

  it('is behind once the newest completed snapshot is older than the interval and its grace', () => {
    // 6 hours promised, a grace of a quarter of that: late after 7.5 hours, not at 7.5 hours.
    const onTheEdge = backupStatus(facts({ snapshots: [snap(7.5 * hour), snap(20 * day)] }), now);
    expect(onTheEdge.behindSchedule).toBe(false);
    const late = backupStatus(facts({ snapshots: [snap(7.5 * hour + 60_000), snap(20 * day)] }), now);
    expect(late.behindSchedule).toBe(true);
    expect(late.verdict).toBe('BEHIND');
    // The same facts a day later: older still, and still behind; an hour earlier they were not.
    expect(backupStatus(facts({ snapshots: [snap(7.5 * hour + 60_000)] }), now - hour).behindSchedule).toBe(
      false,
    );
  });

  it('counts failed and running snapshots, and only failures of the last 7 days', () => {
    const s = backupStatus(
      facts({
        snapshots: [
          snap(10 * 60_000, 'running'),
          snap(2 * hour, 'failed'),
          snap(3 * hour),
          snap(6 * day, 'failed'),
          snap(8 * day, 'failed'),
        ],
        running: [{ kind: 'restore', id: 'a'.repeat(24), status: 'inProgress' }],
      }),
      now,
    );
    expect(s.failedLast7Days.map((f) => f.at)).toEqual([now - 2 * hour, now - 6 * day]);
    expect(s.newestCompleted?.ageMs).toBe(3 * hour);
    expect(s.running).toEqual([{ kind: 'restore', id: 'a'.repeat(24), status: 'inProgress' }]);
    expect(s.verdict).toBe('ok');
  });

  it('is behind with no completed snapshot at all, ignores snapshots dated after now, and is off without backup', () => {
    expect(backupStatus(facts({ snapshots: [snap(-hour)] }), now)).toMatchObject({
      newestCompleted: undefined,
      behindSchedule: true,
      verdict: 'BEHIND',
    });
    const off = backupStatus(
      facts({
        cluster: { name: 'x', kind: 'replicaSet', backupEnabled: false, pitEnabled: false },
        snapshots: [],
      }),
      now,
    );
    expect(off).toMatchObject({ verdict: 'off', behindSchedule: false });
  });

  it('takes the restore window a compliance policy requires when it is longer', () => {
    const s = backupStatus(facts({ requiredWindowDays: 10 }), now);
    expect(s.window).toMatchObject({ days: 10, start: now - 10 * day, setByCompliancePolicy: true });
    const off = backupStatus(
      facts({ cluster: { name: 'o', kind: 'sharded', backupEnabled: true, pitEnabled: false } }),
      now,
    );
    expect(off.window).toMatchObject({ continuous: false, start: undefined });
  });

  it('makes no schedule promise for Flex clusters, and says what could not be read', () => {
    const flex = backupStatus(
      facts({
        cluster: { name: 'f', kind: 'flex', backupEnabled: true, pitEnabled: false },
        schedule: undefined,
        snapshots: [snap(30 * hour, 'completed', 'flex')],
      }),
      now,
    );
    expect(flex).toMatchObject({
      verdict: 'ok',
      behindSchedule: false,
      promisedEveryMs: undefined,
      window: undefined,
    });
    const unread = backupStatus(
      facts({ schedule: undefined, snapshots: [], problems: ['snapshots: Atlas 500'] }),
      now,
    );
    expect(unread.verdict).toBe('unknown');
    expect(unread.problems).toEqual(['snapshots: Atlas 500']);
  });

  it('writes ages short', () => {
    expect([45 * 60_000, 3 * hour + 12 * 60_000, 2 * day + 4 * hour, 2 * day, hour].map(formatAge)).toEqual([
      '45m',
      '3h 12m',
      '2d 4h',
      '2d',
      '1h',
    ]);
  });
});

describe('the backup status of seeded projects, read through the simulator', () => {
  let h: SimHarness;
  beforeAll(async () => {
    h = await simHarness({ now: new Date(now) });
  });
  afterAll(async () => {
    await h.close();
  });

  it('flags the cluster behind its schedule and no other, with Production’s compliance policy', async () => {
    const verdicts: Record<string, string> = {};
    for (const p of h.sim.seed.projects) {
      const status = await loadProjectBackupStatus(h.client(), p, { now });
      expect(status.compliance.state, p.name).toBe(p.id === h.sim.seed.projectId ? 'present' : 'none');
      for (const c of status.clusters) {
        verdicts[c.clusterName] = c.verdict;
        expect(c.problems, c.clusterName).toEqual([]);
      }
    }
    expect(h.sim.seed.behindSchedule?.clusterName).toBe('reporting');
    expect(verdicts).toEqual({
      'orders-prod': 'ok',
      'events-sharded': 'ok',
      'sandbox-flex': 'ok',
      'metrics-serverless': 'ok',
      'orders-staging': 'ok',
      'staging-flex': 'ok',
      reporting: 'BEHIND',
    });
    const analytics = h.sim.seed.projects.find((p) => p.name === 'Analytics');
    if (!analytics) throw new Error('no Analytics');
    const [reporting] = (await loadProjectBackupStatus(h.client(), analytics, { now })).clusters;
    expect(reporting?.newestCompleted?.ageMs).toBeGreaterThan(30 * hour);
    expect(reporting?.failedLast7Days.length).toBeGreaterThan(0);
    expect(reporting?.continuous).toBe(false);
  });
});
