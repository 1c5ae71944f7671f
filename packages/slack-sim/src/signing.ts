import { createHmac } from 'node:crypto';

/** Slack's v0 request signature: `v0=` + HMAC-SHA256 of `v0:<timestamp>:<body>` with the signing secret. */
export function slackSignature(signingSecret: string, timestampSeconds: number, body: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestampSeconds}:${body}`).digest('hex')}`;
}

export interface SignedRequest {
  body: string;
  headers: Record<string, string>;
}

/** Headers Slack sends with a request: content type, timestamp and signature (and the retry headers when given). */
export function signRequest(
  signingSecret: string,
  body: string,
  options: {
    contentType?: string;
    timestampSeconds?: number;
    retryNum?: number;
    retryReason?: string;
  } = {},
): SignedRequest {
  const ts = options.timestampSeconds ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': options.contentType ?? 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(ts),
    'x-slack-signature': slackSignature(signingSecret, ts, body),
  };
  if (options.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(options.retryNum);
    headers['x-slack-retry-reason'] = options.retryReason ?? 'http_timeout';
  }
  return { body, headers };
}

/** A slash command's form body, as Slack posts it. */
export function slashCommandBody(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

/** An interaction (button, select, form submission) as Slack posts it: `payload=<json>`. */
export function interactionBody(payload: unknown): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
