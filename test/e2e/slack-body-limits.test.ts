import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/slack/fake-slack.js';
import { BotHarness, blockText, signingSecret } from '../support/slack/harness.js';
import { RawConnection } from '../support/slack/raw-http.js';
import { signRequest } from '../support/slack/sign.js';

const bodyTimeoutMs = 500;
/** Smaller than the default (maxSlackBodyBytes, 1 MiB) so the test sends little. */
const maxBodyBytes = 64 * 1024;
const maxBufferedBytes = 128 * 1024;

/** Headers that pass every check made before the body is read (the signature is checked after). */
function slackHeaders(overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const headers: Record<string, string | undefined> = {
    ...signRequest(signingSecret, 'not the body').headers,
    ...overrides,
  };
  return Object.fromEntries(Object.entries(headers).filter((e): e is [string, string] => e[1] !== undefined));
}

async function openRequest(url: string, headers: Record<string, string>): Promise<RawConnection> {
  const conn = await RawConnection.open(url);
  const { host, pathname } = new URL(url);
  const lines = [`POST ${pathname} HTTP/1.1`, `Host: ${host}`];
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  conn.write(`${lines.join('\r\n')}\r\n\r\n`);
  return conn;
}

/**
 * What a client can make the bot hold: bodies are capped and timed, and headers are checked
 * before any body byte is read (the real bot in this process, HTTP mode, with a short body
 * timeout and a small total budget so the test need not wait or send much).
 */
describe('request bodies are bounded before they are read', () => {
  let h: BotHarness;

  beforeAll(async () => {
    h = await BotHarness.start({ bot: { http: { bodyTimeoutMs, maxBodyBytes, maxBufferedBytes } } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('refuses a body declared larger than the limit with 413, before it is sent', async () => {
    const conn = await openRequest(h.url, slackHeaders({ 'content-length': String(4 * 1024 * 1024) }));
    expect((await conn.response())?.status).toBe(413);
    expect(conn.bodyBytesWritten).toBe(0);
    await conn.closed;
  });

  it('refuses a chunked body once it grows past the limit', async () => {
    const conn = await openRequest(h.url, slackHeaders({ 'transfer-encoding': 'chunked' }));
    const chunk = Buffer.alloc(16 * 1024, 'a');
    const answered = conn.response();
    let settled = false;
    void answered.then(() => (settled = true));
    while (!settled && conn.bodyBytesWritten < 4 * maxBodyBytes) {
      conn.writeBody(`${chunk.length.toString(16)}\r\n`);
      conn.writeBody(chunk);
      conn.writeBody('\r\n');
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect((await answered)?.status).toBe(413);
    conn.destroy();
  });

  it.each([
    ['no signature', { 'x-slack-signature': undefined }, 401],
    ['a malformed signature', { 'x-slack-signature': 'v1=abc' }, 401],
    ['no timestamp', { 'x-slack-request-timestamp': undefined }, 401],
    ['a stale timestamp', { 'x-slack-request-timestamp': String(Math.floor(Date.now() / 1000) - 600) }, 401],
    ['a future timestamp', { 'x-slack-request-timestamp': String(Math.floor(Date.now() / 1000) + 600) }, 401],
    ['a timestamp that is no number', { 'x-slack-request-timestamp': '1e9' }, 401],
    ['a content type Slack does not send', { 'content-type': 'text/plain' }, 415],
    ['no content type', { 'content-type': undefined }, 415],
  ])('refuses a request with %s from its headers alone', async (_what, overrides, status) => {
    // The body is announced but never sent: only the headers can have been judged.
    const conn = await openRequest(h.url, slackHeaders({ ...overrides, 'content-length': '1000' }));
    expect((await conn.response())?.status).toBe(status);
    expect(conn.bodyBytesWritten).toBe(0);
    conn.destroy();
  });

  it('answers 408 and closes a connection whose body stalls', async () => {
    const conn = await openRequest(h.url, slackHeaders({ 'content-length': '1000' }));
    conn.writeBody('payload=');
    expect((await conn.response())?.status).toBe(408);
    await conn.closed;
  });

  it('holds a burst of stalled bodies within its budget and still answers signed commands', async () => {
    const partial = 2 * 1024;
    const stalled = await Promise.all(
      Array.from({ length: 40 }, async () => {
        const conn = await openRequest(h.url, slackHeaders({ 'content-length': '50000' }));
        conn.writeBody(Buffer.alloc(partial, 'b'));
        return conn;
      }),
    );
    await waitFor(
      () => h.bot.bodyBytesInFlight() === stalled.length * partial,
      'the stalled bodies to arrive',
    );

    // What is left of the budget is too little for another big body, but enough for Slack's.
    const big = await openRequest(h.url, slackHeaders({ 'content-length': String(60 * 1024) }));
    big.writeBody(Buffer.alloc(60 * 1024, 'c'));
    expect((await big.response())?.status).toBe(503);
    expect(h.bot.bodyBytesInFlight()).toBeLessThanOrEqual(maxBufferedBytes);

    const res = await h.command('help');
    expect(res.status).toBe(200);
    expect(blockText(res.json?.blocks)).toContain('/atlas restore cancel');

    for (const conn of stalled) expect((await conn.response())?.status).toBe(408);
    await Promise.all(stalled.map((c) => c.closed));
    expect(h.bot.bodyBytesInFlight()).toBe(0);
  });
});
