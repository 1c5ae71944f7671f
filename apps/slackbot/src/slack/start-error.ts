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
  const e = cause as { code?: string; data?: { error?: string } } | undefined;
  if (e?.code === 'slack_webapi_platform_error')
    return `${variable}: Slack refused the token (${e.data?.error ?? 'error'}). Copy it again from the app's settings page.`;
  if (e?.code === 'slack_webapi_request_error' || e?.code === 'slack_socketmode_platform_error')
    return `Could not reach Slack to check ${variable}: ${cause instanceof Error ? cause.message : String(cause)}`;
  return `Slack refused ${variable}: ${cause instanceof Error ? cause.message : String(cause)}`;
}
