/**
 * A process with the bot's last-resort handlers installed that then throws from a timer and
 * leaves a rejection unhandled, both mentioning secrets (run by slack-malformed-bodies.test.ts).
 * It prints a line after both and ends normally if the handlers kept it alive.
 */
import { keepServingOnUnexpectedErrors } from '@atlas-backups/slackbot';

type Logger = Parameters<typeof keepServingOnUnexpectedErrors>[0];
const line =
  (level: string) =>
  (...m: unknown[]) =>
    console.error(`${level} ${m.map(String).join(' ')}`);
const logger = {
  debug: line('DEBUG'),
  info: line('INFO'),
  warn: line('WARN'),
  error: line('ERROR'),
  setLevel: () => undefined,
  getLevel: () => 'debug',
  setName: () => undefined,
} as unknown as Logger;

keepServingOnUnexpectedErrors(logger, ['child-signing-secret']);
void Promise.reject(new TypeError('rejected: Authorization: Bearer xoxb-child-secret-token'));
setTimeout(() => {
  throw new Error('boom in a timer (token xoxb-child-secret-token, secret child-signing-secret)');
});
setTimeout(() => console.log('still serving after both'));
