import { describe, expect, it } from 'vitest';
import { snapshotsMessage } from '../src/commands/snapshots.js';
import { slackLimits } from '../src/blocks/limits.js';
import { MessageBuilder } from '../src/blocks/message.js';
import { mrkdwn, splitMrkdwn, text as outside } from '../src/blocks/slack-text.js';
import { cleanDescription } from '../src/blocks/format.js';
import { fromSnapshot, type Project } from '@atlas-backups/core';

const project: Project = {
  id: 'a'.repeat(24),
  name: 'Payments',
  orgId: 'b'.repeat(24),
  created: '',
  clusterCount: 1,
};

function sectionTexts(blocks: { type: string; text?: { text: string } }[]): string[] {
  return blocks.flatMap((b) => (b.type === 'section' && b.text ? [b.text.text] : []));
}

describe('MessageBuilder', () => {
  it('splits long text over sections of at most 3,000 characters', () => {
    const line = 'x'.repeat(120);
    const text = Array.from({ length: 80 }, () => line).join('\n');
    const message = new MessageBuilder().section(outside(text)).build();
    const texts = sectionTexts(message.blocks as never);
    expect(texts.length).toBeGreaterThan(3);
    for (const t of texts) expect(t.length).toBeLessThanOrEqual(slackLimits.sectionText);
    expect(texts.join('\n')).toBe(text);
  });

  it('never goes past 50 blocks, and says what it left out', () => {
    const b = new MessageBuilder();
    for (let i = 0; i < 80; i += 1) b.section(mrkdwn`item ${i}`);
    const message = b.build();
    expect(message.blocks).toHaveLength(slackLimits.blocksPerMessage);
    expect(JSON.stringify(message.blocks.at(-1))).toContain('31 more blocks not shown');
    expect(message.text).toContain('31 more blocks not shown');
  });

  it('keeps a long snapshot table within the limits and notes the rows it dropped', () => {
    const rows = Array.from({ length: 2_000 }, (_, i) =>
      fromSnapshot({
        id: i.toString(16).padStart(24, '0'),
        snapshotType: 'scheduled',
        status: 'completed',
        createdAt: '2025-01-01T00:00:00Z',
        expiresAt: '2025-01-08T00:00:00Z',
        storageSizeBytes: 12 * 1024 ** 3,
        description: 'nightly backup with a long description',
      }),
    );
    const message = snapshotsMessage(project, 'Cluster0', rows, 2_000);
    expect(message.blocks.length).toBeLessThanOrEqual(slackLimits.blocksPerMessage);
    const texts = sectionTexts(message.blocks as never);
    for (const t of texts) expect(t.length).toBeLessThanOrEqual(slackLimits.sectionText);
    const shownRows = texts
      .join('\n')
      .split('\n')
      .filter((l) => /^[0-9a-f]{24} /.test(l)).length;
    expect(shownRows).toBeGreaterThan(500);
    expect(shownRows).toBeLessThan(2_000);
    expect(JSON.stringify(message.blocks)).toContain(`${2_000 - shownRows} more snapshots not shown`);
    expect(message.text.length).toBeLessThanOrEqual(slackLimits.fallbackText);
    // Every table section repeats the header so each reads on its own.
    for (const t of texts.filter((x) => x.startsWith('```'))) expect(t).toContain('ID  ');
  });

  it("escapes people's text and keeps it from breaking out of the code block", () => {
    const message = snapshotsMessage(
      project,
      'c',
      [fromSnapshot({ id: 'id', description: 'a <b> & ```c```' })],
      1,
    );
    const table = sectionTexts(message.blocks as never).find((t) => t.startsWith('```')) ?? '';
    expect(table).toContain("a &lt;b&gt; &amp; '''c'''");
    expect(table.match(/```/g)).toHaveLength(2);
  });

  it('splits text on lines', () => {
    expect(splitMrkdwn(outside('a\nb\nc'), 3).map(String)).toEqual(['a\nb', 'c']);
  });
});

describe('cleanDescription', () => {
  it('drops the marker the tool adds to what it creates', () => {
    expect(cleanDescription('before upgrade [atlas-backups-request:0a1b2c3d]')).toBe('before upgrade');
  });
});
