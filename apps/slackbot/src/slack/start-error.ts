import { isSlackUnreachable, slackRefusal } from './web-api-errors.js';

/** Slack refused or could not be reached while the bot started; names the variable to check. */
export class SlackStartError extends Error {
  constructor(
    readonly variable: 'SLACK_BOT_TOKEN' | 'SLACK_APP_TOKEN',
    cause: unknown,
  ) {
    super(describe(variable, cause), { cause });
    this.name = 'SlackStartError';
  }
}

function describe(variable: string, cause: unknown): string {
  const refusal = slackRefusal(cause);
  if (refusal !== undefined)
    return `${variable}: Slack refused the token (${refusal}). Copy it again from the app's settings page.`;
  if (isSlackUnreachable(cause))
    return `Could not reach Slack to check ${variable}: ${cause instanceof Error ? cause.message : String(cause)}`;
  return `Slack refused ${variable}: ${cause instanceof Error ? cause.message : String(cause)}`;
}
