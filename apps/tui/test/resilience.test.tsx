import { afterEach, describe, expect, it } from 'vitest';
import { readOnlyReason } from '../src/keys/bindings.js';
import { flat, openSnapshots, startTui, type TuiHarness } from './support/harness.js';

let h: TuiHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const noStack = /^\W*at .*:\d+:\d+\)?\W*$/m;

describe('read-only mode', () => {
  it('disables every change with the reason shown, and the core refuses them too', async () => {
    const t = (h = await startTui({ readOnly: true }));
    await openSnapshots(t, 'Staging', 'orders-staging');
    const frame = t.frame();
    expect(frame).toContain('READ-ONLY');
    expect(frame).not.toContain('n snapshot');
    expect(frame).not.toContain('R restore');

    for (const [key, what] of [
      ['n', 'snapshot'],
      ['e', 'retention'],
      ['x', 'export'],
      ['R', 'restore'],
    ]) {
      await t.press(key ?? '');
      await t.waitFor(`${key} (${what}) is disabled: ${readOnlyReason}`);
    }
    await t.press('2');
    await t.waitFor('› restores');
    await t.press('c');
    await t.waitFor(`c (cancel) is disabled: ${readOnlyReason}`);
    await t.press('?');
    const help = await t.waitFor('Keys — restores');
    expect(help).toContain(`(unavailable: ${readOnlyReason})`);
    await t.press('escape');

    const mutations = t.sim.requests.filter((r) => r.method !== 'GET' && r.path.startsWith('/api/atlas/'));
    expect(mutations).toEqual([]);

    const { actions, actor } = t.services;
    await expect(
      actions.request(actor, 'snapshot.take', {
        groupId: t.sim.seed.projects[1]?.id,
        clusterName: 'orders-staging',
      }),
    ).rejects.toMatchObject({ code: 'READ_ONLY' });
    expect(t.auditLog.read()).toMatchObject([{ event: 'refused', error: { code: 'READ_ONLY' } }]);
    expect(t.sim.requests.filter((r) => r.method !== 'GET' && r.path.startsWith('/api/atlas/'))).toEqual([]);
  });
});

describe('Atlas trouble', () => {
  it('rides out a 429 storm: one line with the hint, no stack, keeps answering keys, then recovers', async () => {
    const t = (h = await startTui({ refreshMs: 20 }));
    await t.waitFor('Production');
    await t.open('Production', '› clusters');
    await t.waitFor('orders-prod');
    // Three fetches' worth of rate limiting (each fetch is tried three times by the client).
    t.sim.faults.inject({
      status: 429,
      retryAfterSeconds: 1,
      times: 9,
      method: 'GET',
      path: /orders-prod\/backup\/snapshots$/,
    });
    await t.open('orders-prod', 'orders-prod (replica set) › snapshots');

    const storm = await t.waitFor('✖ Atlas 429');
    expect(flat(storm)).toMatch(
      /Atlas is rate limiting this identity; retries were exhausted, try again shortly\. \(retrying in \d+s\)/,
    );
    expect(storm).not.toMatch(noStack);
    await t.press('?');
    await t.waitFor('Keys — snapshots');
    await t.press('escape');

    const recovered = await t.waitFor(/\d+ items/, 'the list once the storm passes');
    expect(recovered).not.toContain('✖ Atlas 429');
    const limited = t.sim.requests.filter((r) => r.status === 429);
    expect(limited).toHaveLength(9);
  });

  it('lists a retired serverless instance from its Flex cluster and shows the 410 fallback notice', async () => {
    const t = (h = await startTui());
    await openSnapshots(t, 'Production', 'metrics-serverless');
    const list = flat(t.frame());
    expect(list).toContain(
      "Atlas retired the serverless backup API (410 VERSION_GONE); listing metrics-serverless's snapshots from its Flex cluster.",
    );
    expect(t.sim.requests.some((r) => r.status === 410)).toBe(true);

    await t.press('enter');
    const fetched = flat(await t.waitFor('Flex cluster instead'));
    expect(fetched).toContain(
      "(410 VERSION_GONE); read metrics-serverless's snapshot from its Flex cluster instead.",
    );
  });

  it('reads a serverless snapshot directly before the sunset', async () => {
    const t = (h = await startTui({ sim: { now: new Date('2025-12-01T00:00:00Z') } }));
    await openSnapshots(t, 'Production', 'metrics-serverless');
    expect(t.frame()).not.toContain('410');
    await t.press('enter');
    await t.waitFor(/Snapshot [0-9a-f]{24}: completed/);
    expect(t.frame()).not.toContain('Flex');
  });

  it('keeps every key typed faster than the screen redraws', async () => {
    const t = (h = await startTui());
    await openSnapshots(t, 'Staging', 'orders-staging');
    // Twelve downs in one burst, as key repeat delivers them.
    await t.type('\u001b[B'.repeat(12));
    await t.waitFor(/\(13\/\d+\)/, 'the thirteenth row selected');
    await t.press('n');
    await t.waitFor('› Description');
    for (const ch of 'quick brown fox') await t.type(ch);
    await t.waitFor('quick brown fox▏');
  });
});
