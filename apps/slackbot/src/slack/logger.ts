import { LogLevel, type Logger } from '@slack/bolt';

/** Fields given as an object (as the JSON logger takes them) are shown as JSON, not `[object Object]`. */
export function logWords(value: unknown): string {
  if (typeof value !== 'object' || value === null || value instanceof Error) return String(value);
  try {
    return JSON.stringify(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/**
 * One line per entry, with time and level; warnings and errors on stderr. The level is the
 * bot's (LOG_LEVEL): the Slack libraries that share this logger call `setLevel` and `setName`
 * for their own defaults, which is ignored.
 */
export function createLogger(level: LogLevel, name = 'atlas-slackbot'): Logger {
  const order = [LogLevel.DEBUG, LogLevel.INFO, LogLevel.WARN, LogLevel.ERROR];
  const enabled = (l: LogLevel) => order.indexOf(l) >= order.indexOf(level);
  const out = (l: LogLevel, msg: unknown[]) => {
    if (!enabled(l)) return;
    const line = `${new Date().toISOString()} ${l.toUpperCase()} [${name}] ${msg.map(logWords).join(' ')}`;
    if (l === LogLevel.ERROR || l === LogLevel.WARN) console.error(line);
    else console.log(line);
  };
  return {
    debug: (...m) => out(LogLevel.DEBUG, m),
    info: (...m) => out(LogLevel.INFO, m),
    warn: (...m) => out(LogLevel.WARN, m),
    error: (...m) => out(LogLevel.ERROR, m),
    setLevel: () => undefined,
    getLevel: () => level,
    setName: () => undefined,
  };
}
