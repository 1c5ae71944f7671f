import { existsSync } from 'node:fs';
import { ConfigError, fanOutAudit, isAtlasBackupsError } from '@atlas-backups/core';
import { openAtlas } from '@atlas-backups/runtime';
import { createSlackBot } from './app.js';
import { createSlackApprovalStack } from './approvals/setup.js';
import { loadSlackConfig, noSlackConfigured, slackVariables } from './config.js';
import { createJsonLogger, logLevels } from './ops/json-logger.js';
import { startOpsServer } from './ops/ops-server.js';
import { createOperations } from './ops/operations.js';
import { approvalsByState, storeReadiness } from './ops/store-probes.js';
import { keepServingOnUnexpectedErrors } from './slack/last-resort.js';
import { openBotStores } from './state/db.js';

async function main(): Promise<void> {
  const config = loadSlackConfig();
  const secrets = [
    config.botToken,
    config.appToken,
    config.signingSecret,
    process.env.MONGODB_ATLAS_CLIENT_SECRET,
    process.env.MONGODB_ATLAS_PRIVATE_API_KEY,
  ].filter((v): v is string => v !== undefined && v.trim() !== '');
  const logger = createJsonLogger({ level: logLevels[config.logLevel], secrets });
  keepServingOnUnexpectedErrors(logger, secrets);
  const clientOptions = config.apiUrl ? { slackApiUrl: config.apiUrl } : {};

  // Each thing opened registers how it is checked (readiness) and closed (shutdown steps).
  const ops = createOperations({ logger, shutdownSeconds: config.shutdownSeconds });
  const { lifecycle } = ops;
  lifecycle.handleSignals();

  try {
    const runtime = await openAtlas({ client: { observer: ops.atlasObserver } });
    lifecycle.steps.add('close', 'Atlas client', () => runtime.close());
    lifecycle.readiness.add('atlas', async () => {
      await runtime.client.credentialsReady();
      return { ok: true, detail: runtime.mode };
    });
    if (runtime.mode === 'simulator')
      logger.warn('No Atlas credentials are set: running on the embedded Atlas simulator. Data is NOT real.');
    logger.info(runtime.banner);

    const stores = await openBotStores(config);
    if (config.databaseUrl) logger.info(`Store: PostgreSQL at ${stores.store.location}`);
    const { store: db, requestLog } = stores;
    lifecycle.readiness.add('database', storeReadiness(db));
    ops.metrics.feed({
      approvalsByState: approvalsByState(db),
      scheduler: () => runtime.client.scheduler.state(),
    });
    const approvals = createSlackApprovalStack({
      db,
      client: runtime.client,
      botToken: config.botToken,
      clientOptions,
      logger,
      auditChannel: config.auditChannel,
      executionLeaseMs: config.leaseSeconds * 1_000,
    });
    logger.info(`Policy: ${approvals.policySource}`);
    // The policy file is reloaded when it changes and on SIGHUP; an invalid one is refused.
    approvals.watchPolicy();
    process.on('SIGHUP', () => void approvals.reloadPolicy());
    if (config.approvalsChannel)
      logger.info(`Approval requests are also posted in ${config.approvalsChannel}.`);
    if (config.auditChannel) logger.info(`Audit entries are also posted in ${config.auditChannel}.`);

    // bot.start() recovers what a previous run left (approvals, followed jobs) and starts the expiry timer.
    const bot = createSlackBot({
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
      follow: { leaseMs: config.leaseSeconds * 1_000 },
      audit: approvals.auditChannel
        ? fanOutAudit(approvals.auditLog, approvals.auditChannel)
        : approvals.auditLog,
      routes: ops.routes,
      middleware: ops.middleware,
    });
    lifecycle.readiness.add('slack', () => ({
      ok: bot.connected(),
      detail: bot.mode === 'socket' ? 'socket mode' : 'http',
    }));
    ops.metrics.feed({ jobsFollowed: () => bot.jobs.active, leasesHeld: () => bot.jobs.leases.count });
    // A stop: new requests are refused politely, those taken in are handled, then the bot stops
    // (its server, its socket, the work after acks; followed jobs stay recorded and resume).
    lifecycle.steps.add('drain', 'Slack requests in flight', async () => {
      ops.intake.close();
      await ops.intake.settled();
    });
    lifecycle.steps.add('drain', 'Slack bot', () => bot.stop());
    lifecycle.steps.add('drain', 'audit channel', () => approvals.auditChannel?.flush());
    // bot.stop() hands the job leases back (jobs.stop), so another replica carries on at once.
    lifecycle.steps.add('close', 'database', () => stores.close());

    if (config.healthPort !== undefined) {
      const server = await startOpsServer(ops.routes, { port: config.healthPort, logger });
      // Last to close: probes still get their 503 while the bot drains.
      lifecycle.steps.add('close', 'health listener', () => server.close());
      logger.info(`Health, readiness and metrics on port ${server.port}: /healthz, /readyz, /metrics.`);
    }

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
    await lifecycle.stop(1);
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
