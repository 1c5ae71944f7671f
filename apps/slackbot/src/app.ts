import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  FollowedJobStore,
  type ActionService,
  type ApprovalStack,
  type AtlasClient,
  type AuditSink,
} from '@atlas-backups/core';
import {
  App,
  LogLevel,
  SocketModeReceiver,
  webApi,
  type AnyMiddlewareArgs,
  type Logger,
  type Middleware,
  type Receiver,
} from '@slack/bolt';
import { ApprovalMessages } from './approvals/approval-messages.js';
import { announcePendingApproval, type PendingApprovalHandler } from './approvals/pending-approval.js';
import { SlackApprovals } from './approvals/slack-approvals.js';
import { ActionFlow } from './changes/action-flow.js';
import { changeAskedFor } from './commands/parse.js';
import { FormController } from './forms/form-controller.js';
import { JobFollower } from './jobs/job-follower.js';
import { registerListeners } from './listeners/index.js';
import { withAckTiming } from './ops/ack-timing.js';
import { ProjectDirectory } from './projects/directory.js';
import type { BotServices } from './services.js';
import { AckFirstGate } from './slack/ack-first.js';
import { SlackEventsReceiver } from './slack/events-receiver.js';
import { createHttpServer, type RouteTable } from './slack/http-server.js';
import { invocations } from './slack/invocation.js';
import { createLogger } from './slack/logger.js';
import { ignoreRedeliveries } from './slack/redelivery.js';
import { SlackStartError } from './slack/start-error.js';
import { BackgroundTasks } from './slack/tasks.js';
import { describeWorkspace, pinnedWorkspace, type Workspace } from './slack/workspace.js';
import { workspaceGuard } from './slack/workspace-guard.js';
import { ChannelDefaults } from './state/channel-defaults.js';
import { Confirmations } from './state/confirmations.js';
import type { BotStore } from './state/db.js';
import { OpenForms } from './state/forms.js';
import { ProcessedRequests } from './state/processed-requests.js';
import { WriteHealth } from './state/write-health.js';

export interface SlackBotOptions {
  atlas: AtlasClient;
  /** The one path for changes; its policy also decides what each person may see. */
  actions: ActionService;
  db: BotStore;
  /** Where the keys of handled requests go (see openRequestLog); `db` when absent. */
  requestLog?: BotStore | undefined;
  botToken: string;
  /** HTTP mode: requests are verified with it. */
  signingSecret?: string | undefined;
  /** Socket Mode when set. */
  appToken?: string | undefined;
  /** Passed to every Slack Web API client (`slackApiUrl` points the bot at a fake Slack in tests). */
  clientOptions?: webApi.WebClientOptions | undefined;
  /** The slash command's name. */
  command?: string;
  /** MONGODB_ATLAS_PROJECT_ID: the project when a channel has no default. */
  defaultProjectId?: string | undefined;
  /** One line shown in `/atlas help` (e.g. that Atlas is simulated). */
  banner?: string | undefined;
  /** What to do with requests that wait for approval; by default the approval UI (with `approvalStack`), else the channel is told. */
  approvals?: PendingApprovalHandler | undefined;
  /**
   * Core's approval stack on `db` (createApprovalStack): requests that need approval are posted
   * with Approve, Deny and Cancel request, and `/atlas approvals` and `/atlas audit` answer.
   * `start()` recovers what a previous run left and starts the expiry timer.
   */
  approvalStack?: Pick<ApprovalStack, 'approvals' | 'auditLog' | 'followedJobs'> | undefined;
  /** ATLAS_APPROVALS_CHANNEL: requests are also posted here. */
  approvalsChannel?: string | undefined;
  /** How often open requests are checked for expiry (default 15 s). */
  approvalExpiryIntervalMs?: number | undefined;
  logger?: Logger | undefined;
  logLevel?: LogLevel | undefined;
  follow?: {
    pollIntervalMs?: number;
    timeoutMs?: number;
    minUpdateIntervalMs?: number;
    updatesPerMinute?: number;
    /** How long this replica's hold on a followed job lasts without renewal (ATLAS_BOT_LEASE_SECONDS). */
    leaseMs?: number;
  };
  confirmationTtlMs?: number;
  now?: () => number;
  /** Socket Mode: ping and reconnect settings (tests shorten them). */
  socketMode?: { clientPingTimeout?: number; serverPingTimeout?: number; autoReconnectEnabled?: boolean };
  /**
   * SLACK_TEAM_ID: the workspace to serve. The bot token's own (from `auth.test` at start) when
   * absent; requests from any other workspace or organisation are refused.
   */
  teamId?: string | undefined;
  /** Where requests refused before reaching core are audited; `approvalStack.auditLog` by default. */
  audit?: AuditSink | undefined;
  /** HTTP mode: more routes beside `/slack/events` (the operator's /healthz, /readyz, /metrics). */
  routes?: RouteTable | undefined;
  /** Global middleware run first for every request (request logs and metrics, refusing work while stopping). */
  middleware?: readonly Middleware<AnyMiddlewareArgs>[] | undefined;
  /** HTTP mode: limits on what a client may send (tests shorten the timeouts). */
  http?: {
    maxBodyBytes?: number;
    bodyTimeoutMs?: number;
    maxBufferedBytes?: number;
    headersTimeoutMs?: number;
    requestTimeoutMs?: number;
  };
}

export interface SlackBot {
  app: App;
  mode: 'http' | 'socket';
  jobs: JobFollower;
  /** HTTP mode: listens on `port` (0 for any free one). Socket Mode: connects to Slack. */
  start(port?: number, host?: string): Promise<{ port?: number | undefined }>;
  /** Resolves when the work started by requests so far has finished (jobs still followed excepted). */
  idle(): Promise<void>;
  /** Whether the bot can write its database; degraded while its writes keep failing. */
  health: WriteHealth;
  /** The workspace served, once started. */
  workspace(): Workspace | undefined;
  /** Whether Slack can reach the bot: Socket Mode connected, or the HTTP front listening. */
  connected(): boolean;
  /** HTTP mode: body bytes held right now by requests still arriving. */
  bodyBytesInFlight(): number;
  stop(): Promise<void>;
}

/**
 * Builds the bot: the Bolt app and its receiver, the services every handler uses, and the
 * listeners (listeners/) for `/atlas`, its buttons and its forms.
 */
export function createSlackBot(options: SlackBotOptions): SlackBot {
  const now = options.now ?? Date.now;
  const logger = options.logger ?? createLogger(options.logLevel ?? LogLevel.INFO);
  const mode: 'http' | 'socket' = options.appToken ? 'socket' : 'http';
  const clientOptions: webApi.WebClientOptions = { logger, ...options.clientOptions };

  const gate = new AckFirstGate();
  let receiver: Receiver;
  let httpReceiver: SlackEventsReceiver | undefined;
  if (mode === 'socket') {
    receiver = new SocketModeReceiver({
      appToken: options.appToken as string,
      logger,
      installerOptions: { clientOptions },
      // An envelope Bolt cannot even dispatch (a payload Slack would not send) is logged and
      // acknowledged, so Slack does not send it again; nothing ran.
      processEventErrorHandler: async ({ error }) => {
        logger.warn(`Slack envelope refused: ${error.message}`);
        return true;
      },
      ...options.socketMode,
    });
  } else {
    if (!options.signingSecret) throw new Error('HTTP mode needs the signing secret');
    httpReceiver = new SlackEventsReceiver({
      signingSecret: options.signingSecret,
      logger,
      now,
      gate,
      ...options.http,
    });
    receiver = httpReceiver;
  }
  const app = new App({
    token: options.botToken,
    receiver,
    logger,
    clientOptions,
    deferInitialization: true,
    // No conversation state is kept: skipping Bolt's store saves work before every ack.
    convoStore: false,
  });

  // Both receivers hand Bolt their events here: the one place to time every ack.
  const dispatch = app.processEvent.bind(app);
  app.processEvent = (event) => dispatch(withAckTiming(event));

  const slack = new webApi.WebClient(options.botToken, clientOptions);
  const tasks = new BackgroundTasks(logger, gate);
  const health = new WriteHealth(logger, now);
  const processed = new ProcessedRequests(options.requestLog ?? options.db, { health, logger, now });
  const defaults = new ChannelDefaults(options.db, health);
  const confirmations = new Confirmations(options.db, now, options.confirmationTtlMs, health);
  const policy = options.actions.policy;
  const projects = new ProjectDirectory(options.atlas, policy, now);
  const jobs = new JobFollower({
    atlas: options.atlas,
    slack,
    store: new FollowedJobStore(options.db, now),
    logger,
    now,
    ...options.follow,
  });
  const approvalUi = options.approvalStack
    ? new SlackApprovals({
        engine: options.approvalStack.approvals,
        auditLog: options.approvalStack.auditLog,
        followedJobs: options.approvalStack.followedJobs,
        messages: new ApprovalMessages(options.db, now),
        jobs,
        slack,
        tasks,
        logger,
        approvalsChannel: options.approvalsChannel,
        expiryIntervalMs: options.approvalExpiryIntervalMs,
      })
    : undefined;
  const flow = new ActionFlow({
    actions: options.actions,
    confirmations,
    jobs,
    approvals: options.approvals ?? approvalUi ?? announcePendingApproval,
    slack,
    logger,
  });
  const forms = new FormController({
    atlas: options.atlas,
    projects,
    defaults,
    forms: new OpenForms(options.db, now),
    fallbackProjectId: options.defaultProjectId,
    logger,
  });

  const bot: BotServices = {
    atlas: options.atlas,
    policy,
    slack,
    logger,
    now,
    tasks,
    health,
    projects,
    defaults,
    confirmations,
    fallbackProjectId: options.defaultProjectId,
    banner: options.banner,
    flow,
    forms,
    approvals: approvalUi,
    invocation: invocations(slack.chat),
  };

  for (const middleware of options.middleware ?? []) app.use(middleware);

  // Only the pinned workspace gets past this (first, so nothing else runs for the others).
  let workspace: Workspace | undefined;
  app.use(
    workspaceGuard({
      workspace: () => workspace,
      logger,
      tasks,
      audit: options.audit ?? options.approvalStack?.auditLog,
      changeOf: changeAskedFor,
      now,
    }),
  );

  // A redelivered request (X-Slack-Retry-Num) is acknowledged again but never run twice.
  app.use(ignoreRedeliveries(processed, logger));

  registerListeners(app, { ...bot, command: options.command ?? '/atlas' });

  app.error(async (error) => {
    logger.error(`Slack request failed: ${error.code ?? ''} ${error.message}`);
  });

  let server: Server | undefined;
  let socketConnected = false;
  if (receiver instanceof SocketModeReceiver) {
    receiver.client.on('connected', () => (socketConnected = true));
    for (const state of ['reconnecting', 'disconnecting', 'disconnected'])
      receiver.client.on(state, () => (socketConnected = false));
  }
  let pruneTimer: ReturnType<typeof setInterval> | undefined;

  return {
    app,
    mode,
    jobs,
    health,
    workspace: () => workspace,
    connected: () => (mode === 'socket' ? socketConnected : server?.listening === true),
    bodyBytesInFlight: () => httpReceiver?.budget.inUse ?? 0,
    async start(port = 3000, host) {
      const identity = await slack.auth.test().catch((error: unknown) => {
        throw new SlackStartError('SLACK_BOT_TOKEN', error);
      });
      const pinned = pinnedWorkspace(identity, options.teamId);
      await app.init().catch((error: unknown) => {
        throw new SlackStartError('SLACK_BOT_TOKEN', error);
      });
      workspace = pinned;
      logger.info(`Serving Slack ${describeWorkspace(pinned)}; requests from anywhere else are refused.`);
      await processed.ready;
      await processed.prune();
      pruneTimer = setInterval(() => void processed.prune(), 3_600_000);
      pruneTimer.unref();
      await jobs.resume();
      if (mode === 'socket') {
        await app.start().catch((error: unknown) => {
          throw new SlackStartError('SLACK_APP_TOKEN', error);
        });
        await approvalUi?.start();
        return {};
      }
      const routes: RouteTable = {
        ...options.routes,
        '/slack/events': { POST: (httpReceiver as SlackEventsReceiver).handle },
      };
      server = createHttpServer(routes, { logger, ...options.http });
      const listening = server;
      await new Promise<void>((resolve, reject) => {
        listening.once('error', reject);
        listening.listen(port, host, () => resolve());
      });
      await approvalUi?.start();
      return { port: (listening.address() as AddressInfo).port };
    },
    async idle() {
      await tasks.idle();
    },
    async stop() {
      if (pruneTimer) clearInterval(pruneTimer);
      await processed.close();
      if (server) {
        const s = server;
        await new Promise<void>((resolve) => s.close(() => resolve()));
        s.closeAllConnections();
      }
      if (mode === 'socket') await app.stop().catch(() => undefined);
      await approvalUi?.stop();
      await tasks.idle();
      approvalUi?.detach();
      await jobs.stop();
    },
  };
}
