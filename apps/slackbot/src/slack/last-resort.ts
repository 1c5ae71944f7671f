import type { Logger } from '@slack/bolt';

/** Slack tokens by their prefixes, and bearer credentials, wherever they appear in a message. */
const tokenPattern = /\b(xox[a-z]|xapp)-[A-Za-z0-9-]+|\bBearer\s+[^\s"']+/g;

/** The text with every given secret and anything shaped like a Slack token replaced. */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 6) out = out.split(secret).join('[redacted]');
  return out.replace(tokenPattern, '[redacted]');
}

function describe(error: unknown, secrets: readonly string[]): string {
  if (!(error instanceof Error)) return redact(String(error), secrets);
  const code = (error as { code?: unknown }).code;
  const head = `${error.name}${typeof code === 'string' ? ` (${code})` : ''}: ${error.message}`;
  // The frames say where it happened; the message line is already in `head`.
  const frames = (error.stack ?? '')
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .slice(0, 8)
    .join('\n');
  return redact(frames ? `${head}\n${frames}` : head, secrets);
}

/**
 * The last resort: an exception or rejection that nothing else caught is logged (with secrets
 * redacted) and the bot keeps serving, instead of Node ending the process and every request
 * with it. Every known input is handled where it arrives; this is for the unknown ones.
 * Returns a function that removes the handlers.
 */
export function keepServingOnUnexpectedErrors(
  logger: Logger,
  secrets: readonly string[] = [],
  target: NodeJS.Process = process,
): () => void {
  const onException = (error: unknown) =>
    logger.error(`Unexpected error (the bot keeps running): ${describe(error, secrets)}`);
  const onRejection = (reason: unknown) =>
    logger.error(`Unhandled rejection (the bot keeps running): ${describe(reason, secrets)}`);
  target.on('uncaughtException', onException);
  target.on('unhandledRejection', onRejection);
  return () => {
    target.off('uncaughtException', onException);
    target.off('unhandledRejection', onRejection);
  };
}
