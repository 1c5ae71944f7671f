import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotHarness, blockText } from '../support/slack/harness.js';

describe('slack smoke', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await BotHarness.start();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('answers help in the ack', async () => {
    const res = await h.command('help');
    expect(res.status).toBe(200);
    expect(res.json?.response_type).toBe('ephemeral');
    expect(blockText(res.json?.blocks)).toContain('/atlas snapshots <cluster>');
  });

  it('lists projects', async () => {
    const res = await h.command('projects');
    expect(res.status).toBe(200);
    const post = await h.responseTo(res.responseUrl);
    console.log(JSON.stringify(post.body, null, 1).slice(0, 3000));
  });
});
