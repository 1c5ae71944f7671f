import {
  deploymentKindFromError,
  fromSnapshot,
  listRestoreJobRows,
  listSnapshotRows,
  errorLogText,
  type AtlasClient,
  type PolicyEngine,
  type Project,
} from '@atlas-backups/core';
import type { Logger } from '@slack/bolt';
import type { SlackApprovals } from '../approvals/slack-approvals.js';
import { chooseProject, type ProjectDirectory } from '../atlas/projects.js';
import { errorMessage, noticeMessage } from '../blocks/replies.js';
import {
  clustersMessage,
  jobsMessage,
  projectsMessage,
  serverlessSnapshotMessage,
  snapshotsMessage,
} from '../blocks/lists.js';
import { bold, code, mrkdwn, mention } from '../blocks/slack-text.js';
import { actionLabel, type ActionFlow } from '../flows/action-flow.js';
import type { Invocation } from '../flows/invocation.js';
import type { ChannelDefaults } from '../state/channel-defaults.js';
import { WriteUnavailableError } from '../state/write-health.js';
import { writeUnavailableMessage } from '../blocks/status.js';
import type { ActionCommand, Command } from './parse.js';

export interface CommandHandlerDeps {
  atlas: AtlasClient;
  policy: PolicyEngine;
  projects: ProjectDirectory;
  defaults: ChannelDefaults;
  /** MONGODB_ATLAS_PROJECT_ID, when set. */
  fallbackProjectId: string | undefined;
  flow: ActionFlow;
  /** The approval UI, when the bot has an approval engine (`/atlas approvals`, `/atlas audit`). */
  approvals?: SlackApprovals | undefined;
  logger: Logger;
  now: () => number;
}

type ReadCommand = Exclude<Command, ActionCommand | { kind: 'help' } | { kind: 'openModal' }>;

/** Runs a parsed command after it was acknowledged; every answer goes through the invocation's replier. */
export class CommandHandlers {
  constructor(private readonly deps: CommandHandlerDeps) {}

  private project(inv: Invocation, given: string | undefined): Promise<Project> {
    return chooseProject(this.deps.projects, this.deps.defaults, this.deps.fallbackProjectId, given, {
      actor: inv.actor,
      channelId: inv.channelId,
    });
  }

  async run(command: ReadCommand | ActionCommand, inv: Invocation): Promise<void> {
    try {
      if (command.kind === 'action') await this.action(command, inv);
      else await this.read(command, inv);
    } catch (error) {
      this.deps.logger.info(`/atlas ${command.kind} failed: ${errorLogText(error)}`);
      if (error instanceof WriteUnavailableError) {
        await inv.replier.ephemeral(writeUnavailableMessage(error));
        return;
      }
      await inv.replier.ephemeral(
        errorMessage(error, command.kind === 'action' ? actionLabel(command.action) : undefined),
      );
    }
  }

  private async read(command: ReadCommand, inv: Invocation): Promise<void> {
    const { atlas } = this.deps;
    switch (command.kind) {
      case 'projects': {
        const projects = await this.deps.projects.visible(inv.actor);
        const current = this.deps.defaults.get(inv.channelId)?.projectId ?? this.deps.fallbackProjectId;
        await inv.replier.inChannel(
          projectsMessage(projects, current, (p) => this.deps.policy.isProduction(p)),
        );
        return;
      }
      case 'use': {
        const project = await this.deps.projects.resolve(inv.actor, command.project);
        await this.deps.defaults.set(inv.channelId, {
          projectId: project.id,
          projectName: project.name,
          setBy: inv.userId,
          setAt: this.deps.now(),
        });
        await inv.replier.inChannel(
          noticeMessage(
            mrkdwn`:pushpin: ${mention(inv.userId)} set this channel's default project to ${bold(project.name)} (${code(project.id)}).`,
          ),
        );
        return;
      }
      case 'clusters': {
        const project = await this.project(inv, command.project);
        const clusters = await atlas.listAllClusters(project.id);
        await inv.replier.inChannel(clustersMessage(project, clusters));
        return;
      }
      case 'snapshots': {
        const project = await this.project(inv, command.project);
        try {
          const page = await atlas.listSnapshots(project.id, command.cluster, {
            itemsPerPage: command.limit,
            includeCount: true,
          });
          await inv.replier.inChannel(
            snapshotsMessage(project, command.cluster, page.results.map(fromSnapshot), page.totalCount),
          );
        } catch (error) {
          // Flex clusters and serverless instances keep their snapshots behind their own APIs.
          const kind = deploymentKindFromError(error);
          if (!kind) throw error;
          const list = await listSnapshotRows(
            atlas,
            project.id,
            { name: command.cluster, kind },
            {
              limit: command.limit,
            },
          );
          const note =
            list.notice ??
            `${command.cluster} is a ${kind === 'flex' ? 'Flex cluster' : 'serverless instance'}: these are its ${kind === 'flex' ? 'Flex' : 'serverless'} backup snapshots.`;
          await inv.replier.inChannel(snapshotsMessage(project, command.cluster, list.rows, undefined, note));
        }
        return;
      }
      case 'jobs': {
        const project = await this.project(inv, command.project);
        const cluster = { name: command.cluster, kind: 'replicaSet' as const };
        const limit = { limit: command.limit };
        try {
          const [restores, exports] = await Promise.all([
            listRestoreJobRows(atlas, project.id, cluster, limit),
            atlas.listExportJobs(project.id, command.cluster, { itemsPerPage: command.limit }),
          ]);
          await inv.replier.inChannel(jobsMessage(project, command.cluster, restores, exports.results));
        } catch (error) {
          // A Flex cluster's restore jobs are behind the Flex API; it has no export jobs.
          if (deploymentKindFromError(error) !== 'flex') throw error;
          const restores = await listRestoreJobRows(atlas, project.id, { ...cluster, kind: 'flex' }, limit);
          await inv.replier.inChannel(jobsMessage(project, command.cluster, restores, undefined));
        }
        return;
      }
      case 'approvals':
      case 'audit': {
        const approvals = this.deps.approvals;
        if (!approvals) {
          await inv.replier.ephemeral(
            noticeMessage(mrkdwn`:information_source: Approvals are not set up in this bot.`),
          );
          return;
        }
        // People see requests and entries only about projects the policy lets them read.
        const visible = new Set((await this.deps.projects.visible(inv.actor)).map((p) => p.id));
        const canSee = (projectId: string) => visible.has(projectId);
        if (command.kind === 'approvals') await inv.replier.inChannel(approvals.openRequests(canSee));
        else await inv.replier.ephemeral(approvals.auditTrail(command.limit, canSee));
        return;
      }
      case 'serverlessSnapshot': {
        const project = await this.project(inv, command.project);
        const result = await atlas.getServerlessSnapshot(project.id, command.instance, command.snapshotId);
        await inv.replier.inChannel(serverlessSnapshotMessage(project, command.instance, result));
        return;
      }
    }
  }

  private async action(command: ActionCommand, inv: Invocation): Promise<void> {
    const project = await this.project(inv, command.project);
    const params: Record<string, unknown> = { ...command.params, groupId: project.id };
    if (command.action === 'restore.automated' || command.action === 'restore.pointInTime') {
      const target =
        command.targetProject === undefined
          ? project
          : await this.deps.projects.resolve(inv.actor, command.targetProject);
      params.targetGroupId = target.id;
    }
    await this.deps.flow.propose(inv, command.action, params, command.reason);
  }
}
