import { existsSync } from 'node:fs';
import { ConfigError, fanOutAudit, isAtlasBackupsError } from '@atlas-backups/core';
import { openAtlas, type AtlasRuntime } from '@atlas-backups/runtime';
import { LogLevel } from '@slack/bolt';
import { createSlackBot, type SlackBot } from './app.js';
import { createSlackApprovalStack, type SlackApprovalStack } from './approvals/setup.js';
import { loadSlackConfig, noSlackConfigured, slackVariables } from './config.js';
import { keepServingOnUnexpectedErrors } from './slack/last-resort.js';
import { createLogger } from './slack/logger.js';
import { openBotDatabase, openRequestLog, type BotDatabase } from './state/db.js';

const levels = { debug: LogLevel.DEBUG, info: LogLevel.INFO, warn: LogLevel.WARN, error: LogLevel.ERROR };

async function main(): Promise<void> {
  const config = loadSlackConfig();
  const logger = createLogger(levels[config.logLevel]);
  keepServingOnUnexpectedErrors(
    logger,
    [config.botToken, config.appToken, config.signingSecret].filter((v): v is string => v !== undefined),
  );
  const clientOptions = config.apiUrl ? { slackApiUrl: config.apiUrl } : {};

  let runtime: AtlasRuntime | undefined;
  let db: BotDatabase | undefined;
  let requestLog: BotDatabase | undefined;
  let bot: SlackBot | undefined;
  let approvals: SlackApprovalStack | undefined;
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await bot?.stop().catch(() => undefined);
    await approvals?.auditChannel?.flush();
    await runtime?.close().catch(() => undefined);
    requestLog?.close();
    db?.close();
    process.exit(code);
  };
  process.once('SIGINT', () => void shutdown(0));
  process.once('SIGTERM', () => void shutdown(0));

  try {
    runtime = await openAtlas();
    if (runtime.mode === 'simulator')
      logger.warn('No Atlas credentials are set: running on the embedded Atlas simulator. Data is NOT real.');
    logger.info(runtime.banner);

    db = openBotDatabase(config.dbPath);
    requestLog = openRequestLog(config.dbPath);
    approvals = createSlackApprovalStack({
      db,
      client: runtime.client,
      botToken: config.botToken,
      clientOptions,
      logger,
      auditChannel: config.auditChannel,
    });
    logger.info(`Policy: ${approvals.policySource}`);
    // The policy file is reloaded when it changes and on SIGHUP; an invalid one is refused.
    const stack = approvals;
    stack.watchPolicy();
    process.on('SIGHUP', () => void stack.reloadPolicy());
    if (config.approvalsChannel)
      logger.info(`Approval requests are also posted in ${config.approvalsChannel}.`);
    if (config.auditChannel) logger.info(`Audit entries are also posted in ${config.auditChannel}.`);

    // bot.start() recovers what a previous run left (approvals, followed jobs) and starts the expiry timer.
    bot = createSlackBot({
      atlas: runtime.client,
      actions: approvals.actions,
      approvalStack: approvals,
      approvalsChannel: config.approvalsChannel,
      db,
      requestLog,
      botToken: config.botToken,
      signingSecret: config.signingSecret,
      appToken: config.appToken,
      clientOptions,
      defaultProjectId: runtime.defaultProjectId,
      banner: runtime.banner,
      logger,
      teamId: config.teamId,
      audit: approvals.auditChannel
        ? fanOutAudit(approvals.auditLog, approvals.auditChannel)
        : approvals.auditLog,
    });
    const started = await bot.start(config.port);
    logger.info(
      bot.mode === 'socket'
        ? 'Connected to Slack in Socket Mode. Try /atlas help in a channel.'
        : `Listening for Slack on port ${started.port ?? config.port} at /slack/events (HTTP mode). Try /atlas help in a channel.`,
    );
  } catch (error) {
    if (error instanceof ConfigError || isAtlasBackupsError(error)) {
      console.error(`Configuration error: ${error.message}`);
      if (error.hint) console.error(error.hint);
    } else {
      console.error(
        `The Slack bot could not start: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    await shutdown(1);
  }
}

/** The built playground (apps/playground/dist/main.js), from src/ or dist/ alike. */
const playgroundMain = new URL('../../playground/dist/main.js', import.meta.url);

try {
  if (noSlackConfigured()) {
    console.log(
      `No Slack tokens are set (${slackVariables.join(', ')}): starting the local playground instead, to try the bot in a browser. To connect to Slack, see apps/slackbot/SETUP.md.`,
    );
    if (!existsSync(playgroundMain)) {
      console.error('The playground is not built yet: run pnpm run build (pnpm slackbot does it for you).');
      process.exit(1);
    }
    await import(playgroundMain.href);
  } else await main();
} catch (error) {
  // Only configuration read before anything opened can land here.
  const e = error as { message?: string; hint?: string };
  console.error(`Configuration error: ${e.message ?? String(error)}`);
  if (e.hint) console.error(e.hint);
  process.exit(1);
}
