import { LogLevel, type Logger } from '@slack/bolt';

/** One line per entry, with time and level, on stderr for warnings and errors. */
export function createLogger(level: LogLevel): Logger {
  const order = [LogLevel.DEBUG, LogLevel.INFO, LogLevel.WARN, LogLevel.ERROR];
  let current = level;
  let name = 'atlas-slackbot';
  const enabled = (l: LogLevel) => order.indexOf(l) >= order.indexOf(current);
  const out = (l: LogLevel, msg: unknown[]) => {
    if (!enabled(l)) return;
    const line = `${new Date().toISOString()} ${l.toUpperCase()} [${name}] ${msg.map(String).join(' ')}`;
    if (l === LogLevel.ERROR || l === LogLevel.WARN) console.error(line);
    else console.log(line);
  };
  return {
    debug: (...m) => out(LogLevel.DEBUG, m),
    info: (...m) => out(LogLevel.INFO, m),
    warn: (...m) => out(LogLevel.WARN, m),
    error: (...m) => out(LogLevel.ERROR, m),
    setLevel: (l) => {
      current = l;
    },
    getLevel: () => current,
    setName: (n) => {
      name = n;
    },
  };
}
