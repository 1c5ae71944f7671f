import { ConfigError, readEnv } from '@atlas-backups/core';
import { LogLevel } from '@slack/bolt';
import { z } from 'zod';
import { startPlayground, type Playground } from './playground.js';

/** The page's port when PLAYGROUND_PORT is not set (any free one if it is taken). */
export const defaultPort = 3030;

const levels = { debug: LogLevel.DEBUG, info: LogLevel.INFO, warn: LogLevel.WARN, error: LogLevel.ERROR };

function settings() {
  return readEnv({
    PLAYGROUND_PORT: z.coerce
      .number({ error: 'must be a port number' })
      .int('must be a whole port number')
      .min(0, 'must be between 0 and 65535')
      .max(65535, 'must be between 0 and 65535')
      .optional(),
    LOG_LEVEL: z
      .enum(['debug', 'info', 'warn', 'error'], { error: 'must be debug, info, warn or error' })
      .default('warn'),
  });
}

async function start(port: number | undefined, logLevel: LogLevel): Promise<Playground> {
  try {
    return await startPlayground({ port: port ?? defaultPort, logLevel });
  } catch (error) {
    if ((error as { code?: string }).code !== 'EADDRINUSE') throw error;
    if (port !== undefined)
      throw new ConfigError('PLAYGROUND_PORT', `is ${port}, which another program is using`);
    console.log(`Port ${defaultPort} is in use; taking a free one (set PLAYGROUND_PORT to choose).`);
    return startPlayground({ port: 0, logLevel });
  }
}

try {
  const vars = settings();
  const playground = await start(vars.PLAYGROUND_PORT, levels[vars.LOG_LEVEL]);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await playground.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  console.log(`Atlas Backups playground: open ${playground.url} in a browser.`);
  console.log(
    `The real Slack bot runs there on a local stand-in for Slack, with ${playground.atlas.banner}.`,
  );
  console.log(
    'You can be Riley (asks), Avery or Jiwoo (approve), or a guest with no rights. Ctrl-C stops it.',
  );
} catch (error) {
  const e = error as { message?: string; hint?: string };
  console.error(
    error instanceof ConfigError
      ? `Configuration error: ${error.message}`
      : `The playground could not start: ${e.message ?? String(error)}`,
  );
  if (e.hint) console.error(e.hint);
  process.exit(1);
}
