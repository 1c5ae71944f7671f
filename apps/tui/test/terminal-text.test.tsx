import stringWidth from 'string-width';
import { afterEach, describe, expect, it } from 'vitest';
import { openSnapshots, snapshotsListed, startTui, type TuiHarness } from './support/harness.js';

let h: TuiHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** What a terminal would obey rather than show (line feeds are the frame's own). */
// eslint-disable-next-line no-control-regex
const obeyed = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** Escape sequences that retitle the window, write the clipboard, link, colour, clear and move. */
const hostile: [sent: string, shown: string][] = [
  ['\u001b]0;PWNED-TITLE\u0007', '␛]0;PWNED-TITLE␇'],
  ['\u001b]52;c;cHduZWQ=\u0007', '␛]52;c;cHduZWQ=␇'],
  [
    '\u001b]8;;https://evil.example\u001b\\click\u001b]8;;\u001b\\',
    '␛]8;;https://evil.example␛\\click␛]8;;␛\\',
  ],
  ['\u001b[31mRED\u001b[0m', '␛[31mRED␛[0m'],
  ['\u001b[2J\u001b[H', '␛[2J␛[H'],
  ['\u009b31m\u009d0;C1-TITLE\u009c', '\ufffd31m\ufffd0;C1-TITLE\ufffd'],
  // A line break in a one-line cell is a space.
  ['bell\u0007 bs\u0008 cr\r del\u007f', 'bell␇ bs␈ cr  del␡'],
  ['\u202eevil\u202c \u2066iso\u2069', '\ufffdevil\ufffd \ufffdiso\ufffd'],
];
const allHostile = hostile.map(([sent]) => sent).join(' ');

/** The cell (not character) at which `needle` starts in `line`. */
const cellOf = (line: string, needle: string) => stringWidth(line.slice(0, line.indexOf(needle)));

describe('Atlas data on the terminal', () => {
  it('shows control characters and escape sequences in names and descriptions, never sends them', async () => {
    const t = (h = await startTui());
    const project = t.sim.store.getProject(t.sim.seed.projectId);
    if (!project) throw new Error('no seeded project');
    project.name = `Prod ${allHostile}`;
    const snapshots = t.sim.store.listSnapshots(t.sim.seed.projectId, 'orders-prod');
    hostile.forEach(([sent], i) => {
      const s = snapshots[i];
      if (s) s.description = `desc ${sent} end`;
    });

    const projects = await t.waitFor('Prod ␛]0;PWNED-TITLE␇', 'the project row, controls shown');
    expect(projects).not.toMatch(obeyed);

    await t.open('Prod ', 'orders-prod');
    const clusters = t.frame();
    // The breadcrumbs carry the name.
    expect(clusters.split('\n')[1]).toContain('projects › Prod ␛]0;PWNED-TITLE␇ ␛]52;c;cHduZWQ=␇');
    expect(clusters).not.toMatch(obeyed);

    await t.select('orders-prod', 'CREATED▼');
    await t.waitFor(/\d+ items/);
    for (const [i, [, shown]] of hostile.entries()) {
      const id = snapshots[i]?.id ?? '';
      if (i > 0) await t.press('escape'); // clears the last filter
      await t.select(id, `Snapshot ${id}`);
      const details = await t.waitFor(`description desc ${shown} end`);
      expect(details).not.toMatch(obeyed);
    }

    // Typed into a form (and so echoed), sent to Atlas as the preview, and listed as a job.
    await t.press('n');
    await t.waitFor('Take an on-demand snapshot of orders-prod');
    await t.type(`pasted ${allHostile}`);
    const form = await t.waitFor('pasted ]0;PWNED-TITLE');
    expect(form).not.toMatch(obeyed);
    await t.press('enter');
    const preview = await t.waitFor('[SAFE] Take an on-demand snapshot');
    expect(preview).not.toMatch(obeyed);
    await t.press('escape');
    expect(await t.waitFor('Cancelled; nothing was changed.')).not.toMatch(obeyed);
  });

  it('lines up table columns and details by terminal cells with Korean, Chinese, emoji and accents', async () => {
    const t = (h = await startTui());
    const names = {
      [t.sim.seed.projects[0]?.id ?? '']: '운영 한국어 프로젝트 데이터베이스',
      [t.sim.seed.projects[1]?.id ?? '']: '中文项目',
      [t.sim.seed.projects[2]?.id ?? '']: 'Cafe\u0301 👩‍👩‍👧 🇰🇷 ok',
    };
    for (const [id, name] of Object.entries(names)) {
      const project = t.sim.store.getProject(id);
      if (project) project.name = name;
    }
    const frame = await t.waitFor('中文项目', 'the renamed projects');
    const lines = frame.split('\n');
    const rows = Object.keys(names).map((id) => lines.find((l) => l.includes(id)) ?? '');
    expect(rows.every((row) => row !== '')).toBe(true);
    // The ID column starts at the same cell on every row, whatever the names hold.
    const idCells = rows.map((row, i) => cellOf(row, Object.keys(names)[i] ?? ''));
    expect(new Set(idCells).size).toBe(1);
    expect(idCells[0]).toBe(25);
    // The long Korean name is cut to its 24 cells with an ellipsis.
    expect(frame).toContain('운영 한국어 프로젝트 데…');
    expect(frame).toContain('Cafe\u0301 👩‍👩‍👧 🇰🇷 ok');
    // Nothing runs past the terminal's width.
    expect(lines.every((line) => stringWidth(line) <= 100)).toBe(true);
  });

  it('lines up a snapshot table whose descriptions are in many scripts', async () => {
    const t = (h = await startTui());
    const snapshots = t.sim.store.listSnapshots(t.sim.seed.projectId, 'orders-prod');
    const descriptions = [
      '배포 전 스냅샷',
      '升级前的快照',
      'リリース前',
      '🚀 launch 👩‍👩‍👧',
      'ne\u0301e\u0301 accents',
    ];
    descriptions.forEach((d, i) => {
      const s = snapshots[i];
      if (s) s.description = d;
    });
    const long = snapshots[descriptions.length];
    if (long) long.description = '긴 설명 '.repeat(30);
    await openSnapshots(t, 'Production', 'orders-prod', snapshotsListed);
    const lines = t.frame().split('\n');
    const header = lines.find((l) => l.includes('DESCRIPTION')) ?? '';
    const at = cellOf(header, 'DESCRIPTION');
    descriptions.forEach((d, i) => {
      const row = lines.find((l) => l.includes(snapshots[i]?.id ?? '-')) ?? '';
      // The column is 12 cells wide here: each description starts at the header and is cut to it.
      const start = [...new Intl.Segmenter().segment(d)]
        .slice(0, 3)
        .map((g) => g.segment)
        .join('');
      expect(row, d).toContain(start);
      expect(cellOf(row, start), d).toBe(at);
      expect(stringWidth(row), d).toBeLessThanOrEqual(at + 12);
    });

    // In the details, a long Korean value starts where the others do and is cut to the width.
    await t.press('/');
    await t.type(long?.id ?? '-');
    await t.press('enter');
    const detail = (await t.waitFor(`Snapshot ${long?.id}`)).split('\n');
    const idLine = detail.find((l) => l.startsWith('id ')) ?? '';
    const line = detail.find((l) => l.startsWith('description ')) ?? '';
    expect(cellOf(line, '긴 설명')).toBe(cellOf(idLine, long?.id ?? '-'));
    expect(line.endsWith('…')).toBe(true);
    expect(stringWidth(line)).toBeLessThanOrEqual(100);
  });
});

describe('typing in any script', () => {
  it('types and pastes Korean, Chinese, emoji and combining marks, editing by grapheme in the middle', async () => {
    const t = (h = await startTui());
    await openSnapshots(t, 'Staging', 'orders-staging', snapshotsListed);
    await t.press('n');
    await t.waitFor('Take an on-demand snapshot of orders-staging');

    // One key at a time, as an input method commits syllables.
    await t.press('한', '국', '어');
    await t.waitFor('Description     한국어▏');
    // One burst, as a paste: all of it is kept, ASCII and the rest.
    await t.type(' 中文 cafe\u0301 👩‍👩‍👧 🇰🇷 e\u0301');
    await t.waitFor('한국어 中文 cafe\u0301 👩‍👩‍👧 🇰🇷 e\u0301▏');

    // Backspace takes the whole e + combining accent.
    await t.press('backspace');
    await t.waitFor('👩‍👩‍👧 🇰🇷 ▏');
    // ← steps over a space, the flag, a space: the cursor is after the family emoji.
    await t.press('left', 'left', 'left');
    await t.waitFor('cafe\u0301 👩‍👩‍👧▏ 🇰🇷 ');
    // Backspace removes the ZWJ sequence as one.
    await t.press('backspace');
    await t.waitFor('cafe\u0301 ▏ 🇰🇷 ');
    await t.press('left', 'left');
    await t.waitFor('caf▏e\u0301');
    // Ctrl-D deletes the grapheme under the cursor: e and its accent together.
    await t.press('ctrl-d');
    await t.waitFor('caf▏  🇰🇷 ');
    await t.type('é日本語');
    await t.waitFor('café日本語▏  🇰🇷 ');
    // A paste that reads like a key name is text, not Enter.
    await t.type('enter');
    await t.press('end');
    await t.waitFor('café日本語enter  🇰🇷 ▏');
    await t.press('home');
    await t.waitFor('Description     ▏한국어');
    await t.type('→ ');

    const expected = '→ 한국어 中文 café日本語enter  🇰🇷';
    await t.press('enter');
    await t.waitFor('[SAFE] Take an on-demand snapshot of orders-staging');
    expect(t.frame()).toContain(`Description: ${expected}`);
    await t.press('tab', 'enter');
    await t.waitFor(/✔ Snapshot [0-9a-f]{24} queued on orders-staging/);
    const taken = t.sim.store
      .listSnapshots(t.sim.seed.projects[1]?.id ?? '', 'orders-staging')
      .find((s) => s.snapshotType === 'onDemand' && s.description?.startsWith('→'));
    // Atlas keeps it as typed (the request marker follows it).
    expect(taken?.description?.startsWith(`${expected} `)).toBe(true);
  });

  it('ignores keys Ink cannot name (Ctrl+F1 from VS Code, colour codes, reports): no crash, no junk', async () => {
    const t = (h = await startTui());
    await openSnapshots(t, 'Staging', 'orders-staging', snapshotsListed);
    await t.press('n');
    await t.waitFor('Take an on-demand snapshot of orders-staging');
    // Ctrl+F1 as VS Code sends it, an SGR colour code, a cursor position report, a focus report.
    await t.press('\u001b[1;5P', '\u001b[31m', '\u001b[24;80R', '\u001b[I', 'o', 'k');
    await t.waitFor('Description     ok▏');
    expect(t.frame()).not.toMatch(/\[(31m|24;80R|I)/);
  });

  it('keeps the cursor in view in a long line of wide text', async () => {
    const t = (h = await startTui({ size: { columns: 80, rows: 30 } }));
    await openSnapshots(t, 'Staging', 'orders-staging', snapshotsListed);
    await t.press('n');
    await t.waitFor('Take an on-demand snapshot of orders-staging');
    await t.type('가나다라마바사아자차카타파하'.repeat(6));
    const end = await t.waitFor('파하▏');
    const line = end.split('\n').find((l) => l.includes('Description')) ?? '';
    expect(line).toContain('Description     …');
    expect(stringWidth(line)).toBeLessThanOrEqual(80);
    await t.press('home');
    const start = await t.waitFor('Description     ▏가나다');
    const first = start.split('\n').find((l) => l.includes('Description')) ?? '';
    expect(first).toMatch(/…\s*│$/);
    expect(stringWidth(first)).toBeLessThanOrEqual(80);
  });

  it('filters a list by Korean text typed at the prompt', async () => {
    const t = (h = await startTui());
    const project = t.sim.store.getProject(t.sim.seed.projectId);
    if (project) project.name = '운영 프로젝트';
    await t.waitFor('운영 프로젝트');
    await t.press('/');
    await t.waitFor('/▏');
    await t.type('운영');
    await t.waitFor('/운영▏');
    await t.press('backspace');
    await t.waitFor('/운▏');
    await t.press('enter');
    const frame = await t.waitFor('1 of 3 match /운');
    expect(frame).toContain('운영 프로젝트');
    expect(frame).not.toContain('Staging');
  });
});
