import type { AtlasClient, PolicyEngine } from '@atlas-backups/core';
import type { Logger, webApi } from '@slack/bolt';
import type { SlackApprovals } from './approvals/slack-approvals.js';
import type { ProjectDirectory } from './projects/directory.js';
import type { ActionFlow } from './changes/action-flow.js';
import type { Invocation } from './slack/invocation.js';
import type { FormController } from './forms/form-controller.js';
import type { BackgroundTasks } from './slack/tasks.js';
import type { ChannelDefaults } from './state/channel-defaults.js';
import type { Confirmations } from './state/confirmations.js';
import type { WriteHealth } from './state/write-health.js';

/** What every command, click and form handler may use; built once by createSlackBot. */
export interface BotServices {
  atlas: AtlasClient;
  policy: PolicyEngine;
  slack: webApi.WebClient;
  logger: Logger;
  now: () => number;
  /** Work after the acknowledgement (see slack/ack-first.ts). */
  tasks: BackgroundTasks;
  health: WriteHealth;
  projects: ProjectDirectory;
  defaults: ChannelDefaults;
  confirmations: Confirmations;
  /** MONGODB_ATLAS_PROJECT_ID, when set. */
  fallbackProjectId: string | undefined;
  /** One line shown in `/atlas help` (e.g. that Atlas is simulated). */
  banner: string | undefined;
  flow: ActionFlow;
  forms: FormController;
  /** The approval UI, when the bot has an approval engine. */
  approvals: SlackApprovals | undefined;
  /** Who asked, where, and how to answer them. */
  invocation(
    userId: string,
    userName: string | undefined,
    channelId: string,
    responseUrl?: string,
  ): Invocation;
}
