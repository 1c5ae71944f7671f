import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSim, type Page, type TestSim } from './support/sim.js';

let t: TestSim;
beforeAll(async () => {
  t = await startTestSim();
});
afterAll(async () => {
  await t.sim.close();
});

const path = () => `/groups/${t.g}/clusters/${t.rs}/backup/snapshots`;

describe('pagination', () => {
  it('pages with itemsPerPage and pageNum, counts, and links previous/next', async () => {
    const all = await t.client.call<Page<{ id: string; createdAt: string }>>(path());
    const total = all.body.totalCount ?? 0;
    expect(total).toBe(all.body.results.length);
    expect(total).toBeGreaterThan(10);
    const created = all.body.results.map((s) => Date.parse(s.createdAt));
    expect([...created].sort((a, b) => b - a)).toEqual(created);

    const page2 = await t.client.call<Page<{ id: string }>>(`${path()}?itemsPerPage=5&pageNum=2`);
    expect(page2.body.results.map((s) => s.id)).toEqual(all.body.results.slice(5, 10).map((s) => s.id));
    expect(page2.body.totalCount).toBe(total);
    const rels = page2.body.links.map((l) => l.rel);
    expect(rels).toEqual(['self', 'previous', 'next']);
    const next = page2.body.links.find((l) => l.rel === 'next')?.href ?? '';
    expect(next.startsWith(t.sim.url)).toBe(true);
    expect(new URL(next).searchParams.get('pageNum')).toBe('3');

    const last = Math.ceil(total / 5);
    const lastPage = await t.client.call<Page<unknown>>(`${path()}?itemsPerPage=5&pageNum=${last}`);
    expect(lastPage.body.links.map((l) => l.rel)).toEqual(['self', 'previous']);
    const beyond = await t.client.call<Page<unknown>>(`${path()}?itemsPerPage=5&pageNum=${last + 1}`);
    expect(beyond.body.results).toEqual([]);
  });

  it('leaves out totalCount with includeCount=false', async () => {
    const res = await t.client.call<Page<unknown>>(`${path()}?includeCount=false&itemsPerPage=1`);
    expect(res.body.totalCount).toBeUndefined();
    expect(res.body.results).toHaveLength(1);
  });
});

describe('envelope and pretty', () => {
  it('wraps single objects as {status, content} and adds status to lists', async () => {
    const one = await t.client.call<{ status: number; content: { id: string } }>(
      `/groups/${t.g}?envelope=true`,
    );
    expect(one.status).toBe(200);
    expect(one.body.status).toBe(200);
    expect(one.body.content.id).toBe(t.g);
    const list = await t.client.call<Page<unknown> & { status: number }>(
      `${path()}?envelope=true&itemsPerPage=2`,
    );
    expect(list.body.status).toBe(200);
    expect(list.body.results).toHaveLength(2);
  });

  it('indents with pretty=true', async () => {
    const res = await t.client.call(`/groups/${t.g}?pretty=true`);
    expect(res.text).toContain('\n  "id"');
    const compact = await t.client.call(`/groups/${t.g}`);
    expect(compact.text).not.toContain('\n');
  });
});

describe('request log', () => {
  it('records method, path, query, status and simulated time, and can be cleared', async () => {
    t.sim.clearRequests();
    await t.client.call(`${path()}?itemsPerPage=1`);
    const entry = t.sim.requests.at(-1);
    expect(entry).toMatchObject({
      method: 'GET',
      path: `/api/atlas/v2${path()}`,
      query: 'itemsPerPage=1',
      status: 200,
      operationId: 'listGroupClusterBackupSnapshots',
    });
    expect(entry?.at.getTime()).toBe(t.sim.clock.now());
    t.sim.clearRequests();
    expect(t.sim.requests).toHaveLength(0);
    expect(t.sim.stats.requests).toBeGreaterThan(0);
  });
});
