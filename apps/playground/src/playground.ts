import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SimulatorOptions } from '@atlas-backups/atlas-sim';
import { fanOutAudit } from '@atlas-backups/core';
import { openAtlas, type AtlasRuntime } from '@atlas-backups/runtime';
import { AppDelivery, SlackSim } from '@atlas-backups/slack-sim';
import {
  createLogger,
  createSlackApprovalStack,
  createSlackBot,
  openBotDatabase,
  openRequestLog,
  type BotDatabase,
  type SlackApprovalStack,
  type SlackBot,
  type SlackBotOptions,
} from '@atlas-backups/slackbot';
import { LogLevel, type Logger } from '@slack/bolt';
import { startPageServer, type PageServer } from './page-server.js';
import { approvalsChannel, approverGroup, auditChannel, channels, people, workspace } from './people.js';

export interface PlaygroundOptions {
  /** The page's port on 127.0.0.1 (0 for any free one). */
  port?: number;
  /** The policy the bot runs (default: playground-policy.yaml beside this package). */
  policyFile?: string;
  /** The embedded Atlas simulator's options (tests use a manual clock). */
  simulator?: SimulatorOptions;
  /** How the bot follows jobs (tests poll faster). */
  follow?: SlackBotOptions['follow'];
  logger?: Logger;
  logLevel?: LogLevel;
  /** Where `web/` and `dist/web/` are (this package's folder by default). */
  packageDir?: string;
}

export interface Playground {
  /** The page, e.g. `http://127.0.0.1:3030`. */
  url: string;
  atlas: AtlasRuntime;
  slack: SlackSim;
  delivery: AppDelivery;
  bot: SlackBot;
  policySource: string;
  close(): Promise<void>;
}

/** This package's folder: src/ and dist/ both sit directly in it. */
export const playgroundDir = fileURLToPath(new URL('..', import.meta.url));
export const playgroundPolicy = join(playgroundDir, 'playground-policy.yaml');

/**
 * The real bot, wired as `pnpm slackbot` wires it (approval stack, audit channel, approvals
 * channel, job follower, signature checks on its own HTTP front), against the embedded Atlas
 * simulator and a local Slack; and the page that shows that Slack in a browser. Credentials are
 * made up for this run; the bot's database lives in a temporary folder removed on close.
 */
export async function startPlayground(options: PlaygroundOptions = {}): Promise<Playground> {
  const logger = options.logger ?? createLogger(options.logLevel ?? LogLevel.WARN, 'atlas-playground');
  const botToken = `xoxb-playground-${randomBytes(12).toString('hex')}`;
  const signingSecret = randomBytes(16).toString('hex');
  const dir = mkdtempSync(join(tmpdir(), 'atlas-playground-'));
  const opened: { close(): unknown }[] = [];
  const closeAll = async () => {
    for (const thing of opened.reverse()) await Promise.resolve(thing.close()).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    // No environment: the playground always runs on the simulator, whatever Atlas credentials are set.
    const atlas = await openAtlas({ env: {}, simulator: options.simulator });
    opened.push(atlas);
    const slack = await SlackSim.start({
      botToken,
      botUserId: workspace.botUserId,
      botName: 'atlas-backups',
      teamId: workspace.teamId,
      teamName: workspace.teamName,
      users: people,
      channels,
      userGroups: { [approverGroup.id]: people.filter((p) => p.role === 'approver').map((p) => p.id) },
      strictTriggers: true,
    });
    opened.push(slack);
    const dbPath = join(dir, 'bot.sqlite');
    const db: BotDatabase = openBotDatabase(dbPath);
    opened.push(db);
    const requestLog = openRequestLog(dbPath);
    opened.push(requestLog);
    const clientOptions = { slackApiUrl: slack.apiUrl };
    const policyFile = options.policyFile ?? playgroundPolicy;
    const approvals: SlackApprovalStack = createSlackApprovalStack({
      db,
      client: atlas.client,
      botToken,
      clientOptions,
      logger,
      env: { ATLAS_POLICY_FILE: policyFile },
      auditChannel: auditChannel.id,
    });
    const bot = createSlackBot({
      atlas: atlas.client,
      actions: approvals.actions,
      approvalStack: approvals,
      approvalsChannel: approvalsChannel.id,
      db,
      requestLog,
      botToken,
      signingSecret,
      clientOptions,
      defaultProjectId: atlas.simulator?.seed.projectId,
      banner: atlas.banner,
      logger,
      audit: approvals.auditChannel
        ? fanOutAudit(approvals.auditLog, approvals.auditChannel)
        : approvals.auditLog,
      ...(options.follow ? { follow: options.follow } : {}),
    });
    const started = await bot.start(0, '127.0.0.1');
    opened.push({
      close: async () => {
        await bot.stop();
        await approvals.auditChannel?.flush();
      },
    });
    const delivery = new AppDelivery(slack, {
      requestUrl: `http://127.0.0.1:${started.port ?? 0}/slack/events`,
      signingSecret,
    });
    const page: PageServer = await startPageServer({
      slack,
      delivery,
      port: options.port ?? 0,
      packageDir: options.packageDir ?? playgroundDir,
      banner: atlas.banner,
      logger,
    });
    opened.push(page);
    return {
      url: page.url,
      atlas,
      slack,
      delivery,
      bot,
      policySource: approvals.policySource,
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
