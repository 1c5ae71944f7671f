import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join as joinPath, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { plain } from '../src/blocks/message.js';
import {
  channelLink,
  code,
  codeBlock,
  join,
  link,
  mrkdwn,
  mention,
  plainText,
  text,
  truncateMrkdwn,
  userGroup,
} from '../src/blocks/slack-text.js';

const hostile = '<!channel> <@U0EVIL001> <http://evil.example|click here> & *bold* `code` 한국어 🚀';
const escaped =
  '&lt;!channel&gt; &lt;@U0EVIL001&gt; &lt;http://evil.example|click here&gt; &amp; *bold* `code` 한국어 🚀';

describe('slack-text: outside text becomes something Slack shows as typed', () => {
  it('escapes the three control characters and nothing else (markup, other scripts and emoji stay)', () => {
    expect(String(text(hostile))).toBe(escaped);
    expect(String(text(42))).toBe('42');
  });

  it('mrkdwn`…` escapes every value and its own text, and passes the helpers’ markup through', () => {
    const line = mrkdwn`*${hostile}* by ${mention('U0LEAD0001')} in ${channelLink('C0INCIDENT')} <not a tag> & more`;
    expect(String(line)).toBe(`*${escaped}* by <@U0LEAD0001> in <#C0INCIDENT> &lt;not a tag&gt; &amp; more`);
    expect(String(mrkdwn`${mrkdwn`${'<b>'}`}`)).toBe('&lt;b&gt;');
  });

  it('join escapes its parts and its separator', () => {
    expect(String(join(['a<b', mention('U1234'), 'c'], ' & '))).toBe('a&lt;b &amp; <@U1234> &amp; c');
  });

  it('mentions, channels and user groups only from Slack ids; anything else is text', () => {
    expect(String(mention('U0LEAD0001'))).toBe('<@U0LEAD0001>');
    expect(String(mention('W0GRID0001'))).toBe('<@W0GRID0001>');
    expect(String(mention('U1><!channel'))).toBe('U1&gt;&lt;!channel');
    expect(String(mention('@alice'))).toBe('@alice');
    expect(String(channelLink('C0><!here'))).toBe('C0&gt;&lt;!here');
    expect(String(userGroup('S0DBATEAM'))).toBe('<!subteam^S0DBATEAM>');
    expect(String(userGroup('!here'))).toBe('!here');
  });

  it('links only http(s) URLs, which cannot end the link early or bring their own label', () => {
    expect(String(link('https://dl.example/a b?x=1&y=2|evil>', 'Download'))).toBe(
      '<https://dl.example/a%20b?x=1&amp;y=2%7Cevil%3E|Download>',
    );
    expect(String(link('https://dl.example/f', '<!here> part 1'))).toBe(
      '<https://dl.example/f|&lt;!here&gt; part 1>',
    );
    expect(String(link('javascript:alert(1)', 'Download'))).toBe('Download: javascript:alert(1)');
    expect(String(link('<!channel>', 'Download'))).toBe('Download: &lt;!channel&gt;');
  });

  it('keeps code on one line and its content from closing it', () => {
    expect(String(code('a`b\n<c>'))).toBe('`aˋb &lt;c&gt;`');
    expect(String(codeBlock(['x ```y``` <z>', '`one`']))).toBe("```\nx '''y''' &lt;z&gt;\n`one`\n```");
  });

  it('cuts mrkdwn without splitting an entity, a mention or a link', () => {
    const amp = text('ab&cd');
    expect(String(truncateMrkdwn(amp, 5))).toBe('ab…');
    const who = mrkdwn`hi ${mention('U0LEAD0001')} there`;
    expect(String(truncateMrkdwn(who, 10))).toBe('hi …');
    expect(String(truncateMrkdwn(who, 100))).toBe('hi <@U0LEAD0001> there');
  });

  it('plain_text is escaped whole and cut to its limit as sent', () => {
    expect(plainText(hostile, 500)).toBe(escaped);
    expect(plainText('a & b & c', 7)).toBe('a …');
    expect(plainText('a & b & c', 8)).toBe('a &amp;…');
    expect(plain('<!here> 운영', 75)).toEqual({
      type: 'plain_text',
      text: '&lt;!here&gt; 운영',
      emoji: true,
    });
  });
});

const src = joinPath(import.meta.dirname, '..', 'src');
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = joinPath(dir, name);
    return statSync(path).isDirectory() ? sources(path) : name.endsWith('.ts') ? [path] : [];
  });
}

describe('every text Slack reads is made in one place', () => {
  it('text objects are built only by message.ts, and escaped text only by slack-text.ts and message.ts', () => {
    const offenders = sources(src).flatMap((file) => {
      const name = relative(src, file);
      const body = readFileSync(file, 'utf8');
      const found: string[] = [];
      if (name !== 'blocks/message.ts' && /type: '(mrkdwn|plain_text)'/.test(body))
        found.push(`${name} builds a text object itself`);
      if (name !== 'blocks/message.ts' && /as MessageText\b/.test(body))
        found.push(`${name} makes a message text itself`);
      if (name !== 'blocks/slack-text.ts' && /as (unknown as )?Mrkdwn\b|new Mrkdwn\b/.test(body))
        found.push(`${name} makes mrkdwn itself`);
      return found;
    });
    expect(offenders).toEqual([]);
  });
});
