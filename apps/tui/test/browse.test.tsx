import { afterEach, describe, expect, it } from 'vitest';
import { globalKeys } from '../src/keys/bindings.js';
import { views } from '../src/views/registry.js';
import { startTui, type TuiHarness } from './support/harness.js';

let h: TuiHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('browsing', () => {
  it('shows the simulator in the header and drills from projects to a snapshot', async () => {
    h = await startTui();
    const first = await h.waitFor('Production', 'the project list');
    expect(first).toContain('SIMULATOR');
    expect(first).toMatch(/NAME▲\s+ID\s+ENV\s+CLUSTERS/);
    expect(first).toContain('PRODUCTION');

    await h.open('Production', 'orders-prod');
    const clusters = h.frame();
    expect(clusters).toContain('projects › Production [PRODUCTION] › clusters');
    for (const mark of ['[RS]', '[SHARDED]', '[FLEX]', '[SERVERLESS]']) expect(clusters).toContain(mark);
    expect(clusters).toContain('SIMULATOR');

    await h.open('orders-prod', /\d+ items/);
    const snapshots = h.frame();
    expect(snapshots).toContain('orders-prod (replica set) › snapshots');
    expect(snapshots).toMatch(/ID\s+TYPE\s+STATUS\s+CREATED▼\s+EXPIRES\s+SIZE\s+DESCRIPTION/);
    expect(snapshots).toContain('1:snapshots');

    // The selected row's details follow the selection.
    await h.select('Pre-release', 'description Pre-release checkpoint');
    expect(h.frame()).toMatch(/Snapshot [0-9a-f]{24}/);
    expect(h.frame()).toContain('onDemand');

    // Esc clears the filter, then goes back up the breadcrumbs.
    await h.press('escape');
    await h.waitFor((f) => !f.includes('match /'), 'the filter to clear');
    await h.press('escape');
    await h.waitFor('Production [PRODUCTION] › clusters');
    // Back in the clusters list, its own filter is still there until Esc clears it.
    await h.waitFor('1 of 4 match /orders-prod');
    await h.press('escape');
    await h.waitFor('4 items');
    await h.press('escape');
    await h.waitFor((f) => /^projects\s*$/m.test(f), 'the projects breadcrumb');
  });

  it('switches tabs, sorts by key and jumps by command', async () => {
    h = await startTui();
    await h.waitFor('Production');
    await h.open('Production', 'orders-prod');
    await h.open('orders-prod', '› snapshots');

    await h.press('tab');
    await h.waitFor('› restores');
    expect(h.frame()).toMatch(/ID\s+TYPE\s+STATUS\s+REQUESTED▼/);
    await h.press('3');
    await h.waitFor('quarterly archive', 'the seeded export job details');
    await h.press('5');
    await h.waitFor('Backup schedule of orders-prod');
    expect(h.frame()).toMatch(/FREQUENCY\s+EVERY\s+KEPT FOR/);

    await h.press(':');
    await h.type('buckets');
    await h.press('enter');
    await h.waitFor('acme-atlas-exports');

    await h.press(':');
    await h.type('snap');
    await h.waitFor(':snap▏');
    await h.press('enter');
    await h.waitFor('CREATED▼');
    await h.press('s');
    await h.waitFor('EXPIRES▼');
    await h.press('S');
    await h.waitFor('EXPIRES▲');

    await h.press(':');
    await h.type('projects');
    await h.press('enter');
    await h.waitFor((f) => /^projects\s*$/m.test(f));
  });

  it('generates ? help from the key map of the current view', async () => {
    h = await startTui();
    await h.waitFor('Production');
    await h.open('Production', 'orders-prod');
    await h.open('orders-prod', 'CREATED▼');
    await h.press('?');
    const help = await h.waitFor('Keys — snapshots');
    for (const binding of [...views.snapshots.keys, ...globalKeys]) {
      expect(help).toContain(binding.help);
      expect(help).toContain(binding.keys.join(', '));
    }
    await h.press('escape');
    await h.waitFor('CREATED▼');
  });

  it('reflows to the terminal size', async () => {
    h = await startTui({ size: { columns: 80, rows: 20 } });
    const narrow = await h.waitFor('Production');
    expect(narrow.split('\n').every((line) => line.length <= 80)).toBe(true);
    expect(narrow.split('\n').length).toBeLessThanOrEqual(20);
  });
});
