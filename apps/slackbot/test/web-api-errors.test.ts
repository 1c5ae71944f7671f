import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackStartError } from '../src/slack/start-error.js';
import { isSlackUnreachable, slackRefusal } from '../src/slack/web-api-errors.js';

// A Web API that refuses every call as Slack does, and an address where nothing listens.
const refusing = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ ok: false, error: 'invalid_auth' }));
});
let refusingUrl = '';
let deadUrl = '';

beforeAll(async () => {
  refusing.listen(0, '127.0.0.1');
  await once(refusing, 'listening');
  refusingUrl = `http://127.0.0.1:${(refusing.address() as AddressInfo).port}/api/`;
  const dead = createServer().listen(0, '127.0.0.1');
  await once(dead, 'listening');
  deadUrl = `http://127.0.0.1:${(dead.address() as AddressInfo).port}/api/`;
  await new Promise((resolve) => dead.close(resolve));
});
afterAll(() => refusing.close());

const failureOf = (slackApiUrl: string) =>
  new webApi.WebClient('xoxb-test', { slackApiUrl, retryConfig: { retries: 0 } }).auth.test().then(
    () => expect.unreachable('the call succeeded'),
    (error: unknown) => error,
  );

describe("Slack's error codes, as the Web API client really throws them", () => {
  it('a refusal carries Slack’s reason', async () => {
    const error = await failureOf(refusingUrl);
    expect(slackRefusal(error)).toBe('invalid_auth');
    expect(isSlackUnreachable(error)).toBe(false);
    expect(new SlackStartError('SLACK_BOT_TOKEN', error).message).toBe(
      "SLACK_BOT_TOKEN: Slack refused the token (invalid_auth). Copy it again from the app's settings page.",
    );
  });

  it('no answer at all is told apart from a refusal', async () => {
    const error = await failureOf(deadUrl);
    expect(slackRefusal(error)).toBeUndefined();
    expect(isSlackUnreachable(error)).toBe(true);
    expect(new SlackStartError('SLACK_APP_TOKEN', error).message).toMatch(
      /^Could not reach Slack to check SLACK_APP_TOKEN: /,
    );
  });

  it('anything else is neither', () => {
    expect(slackRefusal(new Error('boom'))).toBeUndefined();
    expect(isSlackUnreachable(undefined)).toBe(false);
    expect(new SlackStartError('SLACK_BOT_TOKEN', new Error('boom')).message).toBe(
      'Slack refused SLACK_BOT_TOKEN: boom',
    );
  });
});
