import { webApi } from '@slack/bolt';

/** The Web API client's own codes (`@slack/web-api`), so a renamed code fails to compile, not to match. */
const slackErrorCodes = webApi.ErrorCode;

interface CodedError {
  code?: unknown;
  data?: { error?: unknown };
}

/** Slack's reason for refusing a Web API call (`not_in_channel`, `invalid_auth`), when it refused one. */
export function slackRefusal(error: unknown): string | undefined {
  const e = error as CodedError | undefined;
  if (e?.code !== slackErrorCodes.PlatformError) return undefined;
  return typeof e.data?.error === 'string' ? e.data.error : undefined;
}

/** Slack could not be reached at all (no answer, as opposed to a refusal or an HTTP error). */
export function isSlackUnreachable(error: unknown): boolean {
  return (error as CodedError | undefined)?.code === slackErrorCodes.RequestError;
}
