import { LogLevel } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { createJsonLogger } from '../src/ops/json-logger.js';
import { requestContext } from '../src/ops/request-context.js';

function capture(level = LogLevel.DEBUG, secrets: string[] = []) {
  const lines: string[] = [];
  const logger = createJsonLogger({
    level,
    secrets,
    destination: { write: (line: string) => lines.push(line) },
  });
  return { logger, entries: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>), lines };
}

describe('the JSON logger behind Bolt’s Logger', () => {
  it('writes one JSON line per entry with level, time and message; fields from a first object', () => {
    const { logger, entries } = capture();
    logger.info({ event: 'atlas_call', atlasStatus: 429 }, 'Atlas getCluster:', 429);
    logger.debug('plain', 'words');
    expect(entries()).toMatchObject([
      { level: 'info', event: 'atlas_call', atlasStatus: 429, msg: 'Atlas getCluster: 429' },
      { level: 'debug', msg: 'plain words' },
    ]);
    expect(typeof entries()[0]?.time).toBe('string');
  });

  it('keeps to its level whatever the Slack libraries ask', () => {
    const { logger, entries } = capture(LogLevel.WARN);
    logger.setLevel(LogLevel.DEBUG);
    logger.info('not written');
    logger.warn('written');
    expect(entries().map((e) => e.msg)).toEqual(['written']);
    expect(logger.getLevel()).toBe(LogLevel.WARN);
  });

  it('censors credential fields by path, and secrets and token shapes anywhere in text', () => {
    const { logger, lines } = capture(LogLevel.DEBUG, ['sk-configured-secret']);
    logger.info({
      token: 'xoxb-in-a-field',
      headers: { authorization: 'Bearer abc.def', 'content-type': 'text/plain' },
      request: { clientSecret: 'cs-nested', note: 'has sk-configured-secret inside' },
    });
    logger.warn('failed with xoxb-123-abc and Bearer eyJhbGciOi.payload and sk-configured-secret');
    logger.error(new Error('auth sk-configured-secret refused for xapp-1-A0-secret'));
    const text = lines.join('\n');
    for (const leaked of [
      'xoxb-in-a-field',
      'abc.def',
      'cs-nested',
      'sk-configured-secret',
      'xoxb-123',
      'eyJhbGciOi',
      'xapp-1',
    ])
      expect(text).not.toContain(leaked);
    expect(text).toContain('[redacted]');
    expect(text).toContain('text/plain');
  });

  it('adds the request being handled to every line', async () => {
    const { logger, entries } = capture();
    await requestContext.run({ requestId: 'r1', user: 'U1', action: 'command:help' }, async () => {
      await Promise.resolve();
      logger.info('inside');
    });
    logger.info('outside');
    expect(entries()).toMatchObject([
      { requestId: 'r1', user: 'U1', action: 'command:help', msg: 'inside' },
      { msg: 'outside' },
    ]);
    expect(entries()[1]).not.toHaveProperty('requestId');
  });
});
