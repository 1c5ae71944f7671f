import { LogLevel, type Logger } from '@slack/bolt';
import { pino, type DestinationStream } from 'pino';
import { redact } from '../slack/last-resort.js';
import { logWords } from '../slack/logger.js';
import { requestContext } from './request-context.js';

export interface JsonLoggerOptions {
  level: LogLevel;
  /** The configured secrets (tokens, signing secret, Atlas keys): never written, wherever they appear. */
  secrets?: readonly string[];
  /** Where lines go (stdout by default, written synchronously so nothing is lost at exit). */
  destination?: DestinationStream;
  name?: string;
}

/**
 * Field paths never written: credentials by every name they go by in this code, Slack's payloads
 * and HTTP headers. Values are replaced, the key kept, so a line still says a token was there.
 */
export const redactedPaths = [
  'token',
  'botToken',
  'appToken',
  'signingSecret',
  'clientSecret',
  'client_secret',
  'privateKey',
  'private_key',
  'access_token',
  'password',
  'authorization',
  'headers.authorization',
  'headers.Authorization',
  'headers["x-slack-signature"]',
  '*.token',
  '*.botToken',
  '*.appToken',
  '*.signingSecret',
  '*.clientSecret',
  '*.client_secret',
  '*.privateKey',
  '*.access_token',
  '*.authorization',
  '*.headers.authorization',
  '*.headers.Authorization',
];

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !(value instanceof Error) && !Array.isArray(value);

/**
 * Bolt's Logger over pino: one JSON line per entry, with the time, level, the request's id, user
 * and action when written while a Slack request is handled (see request-context.ts), and any
 * fields given as a first argument (`logger.info({ event: 'atlas_call', status: 429 })`). Field
 * values at `redactedPaths` are censored by pino; text (messages, errors and their stacks) has
 * the configured secrets and anything shaped like a Slack token or bearer credential replaced.
 * The level is LOG_LEVEL's: the Slack libraries' setLevel and setName are ignored.
 */
export function createJsonLogger(options: JsonLoggerOptions): Logger {
  const secrets = options.secrets ?? [];
  const scrub = (text: string) => redact(text, secrets);
  const base = pino(
    {
      name: options.name ?? 'atlas-slackbot',
      level: options.level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: redactedPaths, censor: '[redacted]' },
      mixin: () => ({ ...requestContext.getStore() }),
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
  const write = (level: 'debug' | 'info' | 'warn' | 'error', args: unknown[]) => {
    if (!base.isLevelEnabled(level)) return;
    const fields: Record<string, unknown> = {};
    const words: string[] = [];
    for (const [i, arg] of args.entries()) {
      if (i === 0 && isPlainObject(arg)) Object.assign(fields, scrubFields(arg, scrub));
      else if (arg instanceof Error) {
        const code = (arg as { code?: unknown }).code;
        fields.err = {
          type: arg.name,
          message: scrub(arg.message),
          ...(typeof code === 'string' ? { code } : {}),
          stack: scrub(arg.stack ?? ''),
        };
        words.push(scrub(arg.message));
      } else words.push(scrub(typeof arg === 'string' ? arg : logWords(arg)));
    }
    base[level](fields, words.join(' '));
  };
  return {
    debug: (...msg: unknown[]) => write('debug', msg),
    info: (...msg: unknown[]) => write('info', msg),
    warn: (...msg: unknown[]) => write('warn', msg),
    error: (...msg: unknown[]) => write('error', msg),
    setLevel: () => undefined,
    getLevel: () => options.level,
    setName: () => undefined,
  };
}

/** String values of a fields object (one level down too) with secrets replaced. */
function scrubFields(
  fields: Record<string, unknown>,
  scrub: (text: string) => string,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields))
    out[key] =
      typeof value === 'string'
        ? scrub(value)
        : isPlainObject(value)
          ? Object.fromEntries(
              Object.entries(value).map(([k, v]) => [k, typeof v === 'string' ? scrub(v) : v]),
            )
          : value;
  return out;
}

/** LOG_LEVEL's words as Bolt's levels. */
export const logLevels = {
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
} as const;
