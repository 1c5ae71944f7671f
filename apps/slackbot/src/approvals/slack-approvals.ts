import {
  finalApprovalStates,
  type ApprovalChange,
  type ApprovalEngine,
  type ApprovalRefusal,
  type ApprovalRequest,
  type FollowedJobStore,
  type SqliteAuditLog,
} from '@atlas-backups/core';
import type { Logger, webApi } from '@slack/bolt';
import { noticeMessage } from '../blocks/replies.js';
import { slackLimits } from '../blocks/limits.js';
import { mrkdwnObject, type SlackMessage } from '../blocks/message.js';
import { channelLink, mrkdwn, type Mrkdwn } from '../blocks/slack-text.js';
import type { Invocation } from '../slack/invocation.js';
import { slackWatcher, type JobFollower } from '../jobs/job-follower.js';
import type { BackgroundTasks } from '../slack/tasks.js';
import { slackRefusal } from '../slack/web-api-errors.js';
import {
  approvalRequestMessage,
  approvedMessage,
  auditMaxCount,
  auditMessage,
  closedByYouMessage,
  escalationMessage,
  reminderMessage,
  openRequestsMessage,
  refusalMessage,
  renderedVersion,
  requesterNotice,
  voteRecordedMessage,
} from './approval-blocks.js';
import type { ApprovalMessages, ApprovalMessageRole } from './approval-messages.js';
import { denyModal, type DenyMetadata } from './deny-modal.js';
import type { PendingApprovalHandler } from './pending-approval.js';

export interface SlackApprovalsDeps {
  engine: ApprovalEngine;
  auditLog: SqliteAuditLog;
  /** Core's followed jobs: rows under the `approval` watcher are jobs approved requests started. */
  followedJobs: FollowedJobStore;
  messages: ApprovalMessages;
  jobs: JobFollower;
  slack: webApi.WebClient;
  tasks: BackgroundTasks;
  logger: Logger;
  /** ATLAS_APPROVALS_CHANNEL. */
  approvalsChannel?: string | undefined;
  /** How often open requests are checked for expiry. */
  expiryIntervalMs?: number | undefined;
  /** How long Deny waits for the engine's checks before opening the form anyway (its trigger lasts 3 s). */
  denyPrecheckMs?: number | undefined;
}

/** The watcher name core uses for jobs started by approved requests. */
const approvalWatcher = 'approval';

/**
 * The Slack face of core's approval engine. The engine decides everything; this posts each
 * request where approvers and the requester see it, forwards clicks, renders the engine's
 * answers and refusals, keeps every message about a request current (`chat.update`, also after a
 * restart), tells the requester what happened, and hands the jobs approved requests start to
 * the bot's job follower.
 */
export class SlackApprovals implements PendingApprovalHandler {
  private readonly updating = new Map<string, { dirty: boolean }>();
  private readonly handingOff = new Set<number>();
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly deps: SlackApprovalsDeps) {
    this.unsubscribe = deps.engine.onChange((change) => this.changed(change));
  }

  /**
   * After the bot is listening: settles what a previous run left (core's `recover()`), starts the
   * expiry timer, follows jobs approved requests started, and brings stale messages up to date.
   */
  async start(): Promise<void> {
    const { engine, followedJobs, messages, logger } = this.deps;
    const report = await engine.recover();
    const settled = Object.entries<string[]>({ ...report }).filter(([, ids]) => ids.length > 0);
    if (settled.length > 0)
      logger.info(`approvals after restart: ${settled.map(([k, ids]) => `${k} ${ids.length}`).join(', ')}`);
    engine.startExpiryTimer(this.deps.expiryIntervalMs ?? 15_000);
    // What another replica left approved or executing when it died is settled here, once.
    engine.startRecoveryTimer();

    const started = new Set((await followedJobs.active(approvalWatcher)).flatMap((j) => j.requestId ?? []));
    for (const id of started) {
      const request = await engine.store.get(id);
      if (request) this.deps.tasks.run('follow an approved job', () => this.followJobs(request));
    }
    for (const id of await messages.requestsNotFinal()) this.scheduleUpdate(id);
    for (const request of await engine.store.listOpen()) {
      if (request.requester.source === 'slack' && !(await messages.hasAny(request.id)))
        this.deps.tasks.run('post an approval request', () => this.post(request, undefined));
    }
  }

  /** Stops the expiry timer and waits for approved requests being sent to Atlas. */
  async stop(): Promise<void> {
    this.deps.engine.stopExpiryTimer();
    await this.deps.engine.drain();
  }

  /** Stops listening to the engine (after the last tasks ran). */
  detach(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  // ---- posting ---------------------------------------------------------------------------------

  async onPendingApproval({
    outcome,
    invocation,
  }: Parameters<PendingApprovalHandler['onPendingApproval']>[0]) {
    const request = await this.deps.engine.store.get(outcome.approval.id);
    if (!request) return;
    await this.post(request, invocation);
  }

  /** Posts the request in the requester's channel and the approvals channel, recording where. */
  private async post(request: ApprovalRequest, inv: Invocation | undefined): Promise<void> {
    const { slack, messages, logger } = this.deps;
    const version = this.version(request, undefined);
    const message = approvalRequestMessage(request);
    const origin = request.requester.channel || inv?.channelId || undefined;
    const approvals = this.deps.approvalsChannel;
    const targets: { channel: string; role: ApprovalMessageRole }[] = [];
    if (origin) targets.push({ channel: origin, role: 'origin' });
    if (approvals && approvals !== origin) targets.push({ channel: approvals, role: 'approvals' });
    if (targets.length === 0 && inv) await inv.replier.inChannel(message);

    for (const { channel, role } of targets) {
      try {
        const posted = await slack.chat.postMessage({
          channel,
          text: message.text,
          blocks: message.blocks,
          unfurl_links: false,
          unfurl_media: false,
        });
        if (!posted.ts) throw new Error('chat.postMessage returned no ts');
        await messages.add({
          requestId: request.id,
          channelId: channel,
          ts: posted.ts,
          role,
          rendered: version,
        });
      } catch (error) {
        logger.warn(`could not post approval request ${request.id} in ${channel}: ${describe(error)}`);
        if (!inv) continue;
        // Usually the bot is not in the channel. The reply still carries the buttons, but
        // only messages the bot posted itself can be kept up to date.
        if (role === 'origin')
          await inv.replier
            .inChannel(
              withNote(message, mrkdwn`Invite the bot to this channel so this message stays up to date.`),
            )
            .catch((e: unknown) => logger.warn(`could not answer ${inv.userId}: ${describe(e)}`));
        else
          await inv.replier
            .ephemeral(
              noticeMessage(
                mrkdwn`:warning: Could not post your request in ${channelLink(channel)} (${describe(error)}): invite the bot there. Approvers can still use the message here.`,
              ),
            )
            .catch((e: unknown) => logger.warn(`could not answer ${inv.userId}: ${describe(e)}`));
      }
    }
    // Something may have happened to the request while it was being posted.
    const now = await this.deps.engine.store.get(request.id);
    if (now && this.version(now, await this.jobChannel(now.id)) !== version) this.scheduleUpdate(request.id);
  }

  // ---- changes ---------------------------------------------------------------------------------

  private changed(change: ApprovalChange): void {
    if (change.kind === 'opened') return;
    const { tasks } = this.deps;
    if (change.kind === 'break_glass') {
      // Loudly, where approvers look: the requester's channel and the approvals channel.
      if (change.request.requester.source === 'slack')
        tasks.run('announce a break-glass action', () => this.post(change.request, undefined));
      return;
    }
    if (change.kind === 'reminded' || change.kind === 'escalated') {
      this.scheduleUpdate(change.request.id);
      tasks.run(`announce a ${change.kind === 'reminded' ? 'reminder' : 'escalation'}`, () =>
        this.announce(change),
      );
      return;
    }
    if (change.kind === 'executed') {
      // The job message first, so the request's message and the requester can point at it.
      tasks.run('follow an approved job', async () => {
        await this.followJobs(change.request);
        this.scheduleUpdate(change.request.id);
        await this.tell(change);
      });
      return;
    }
    this.scheduleUpdate(change.request.id);
    if (requesterNotice(change)) tasks.run('tell the requester', () => this.tell(change));
  }

  /** Edits every message about the request to its latest state; bursts of changes coalesce. */
  private scheduleUpdate(requestId: string): void {
    const running = this.updating.get(requestId);
    if (running) {
      running.dirty = true;
      return;
    }
    const entry = { dirty: true };
    this.updating.set(requestId, entry);
    this.deps.tasks.run('update approval messages', async () => {
      try {
        while (entry.dirty) {
          entry.dirty = false;
          await this.updateMessages(requestId);
        }
      } finally {
        this.updating.delete(requestId);
      }
    });
  }

  private async updateMessages(requestId: string): Promise<void> {
    const { engine, messages, slack, logger } = this.deps;
    const request = await engine.store.get(requestId);
    if (!request) return;
    const jobChannel = await this.jobChannel(requestId);
    const version = this.version(request, jobChannel);
    const final = finalApprovalStates.has(request.state);
    const stale = (await messages.forRequest(requestId)).filter(
      (m) => m.rendered !== version || m.final !== final,
    );
    if (stale.length === 0) return;
    const message = approvalRequestMessage(request, { jobChannel });
    await Promise.all(
      stale.map(async (ref) => {
        try {
          await slack.chat.update({
            channel: ref.channelId,
            ts: ref.ts,
            text: message.text,
            blocks: message.blocks,
          });
          await messages.shown(ref, version, final);
        } catch (error) {
          logger.warn(
            `could not update the message about ${requestId} in ${ref.channelId}: ${describe(error)}`,
          );
        }
      }),
    );
  }

  /**
   * A reminder or escalation: a reply mentioning the approvers in the thread of every message
   * about the request (so they are notified again), and for an escalation a message in its
   * channel. The request's own messages show it too.
   */
  private async announce(change: ApprovalChange): Promise<void> {
    const { slack, messages, logger } = this.deps;
    const request = change.request;
    const message = change.kind === 'reminded' ? reminderMessage(request) : escalationMessage(request);
    const threads = await messages.forRequest(request.id);
    const channels = new Set(threads.map((m) => m.channelId));
    const escalateTo = change.kind === 'escalated' ? request.rule.escalation?.channel : undefined;
    const posts = [
      ...threads.map((m) => ({ channel: m.channelId, thread_ts: m.ts })),
      ...(escalateTo && !channels.has(escalateTo) ? [{ channel: escalateTo, thread_ts: undefined }] : []),
    ];
    for (const where of posts) {
      try {
        await slack.chat.postMessage({
          ...where,
          ...(where.thread_ts === undefined ? {} : { thread_ts: where.thread_ts }),
          text: message.text,
          blocks: message.blocks,
          unfurl_links: false,
        });
      } catch (error) {
        logger.warn(
          `could not post the ${change.kind} notice of ${request.id} in ${where.channel}: ${describe(error)}`,
        );
      }
    }
  }

  /** A reply in the thread of the request's message in the requester's channel, else a direct message. */
  private async tell(change: ApprovalChange): Promise<void> {
    const notice = requesterNotice(change, await this.jobChannel(change.request.id));
    if (!notice) return;
    const origin = (await this.deps.messages.forRequest(change.request.id)).find((m) => m.role === 'origin');
    await this.deps.slack.chat.postMessage({
      channel: origin?.channelId ?? change.request.requester.id,
      ...(origin ? { thread_ts: origin.ts } : {}),
      text: notice.text,
      blocks: notice.blocks,
      unfurl_links: false,
    });
  }

  /**
   * Hands the jobs an executed request started to the bot's job follower, which posts and keeps
   * a job message exactly as for a change run directly. Core records them under its own watcher
   * in the same transaction that marks the request executed; once the bot follows one, core's
   * row is closed. A crash in between is picked up again at start (`start()`).
   */
  private async followJobs(request: ApprovalRequest): Promise<void> {
    const { followedJobs, jobs, logger } = this.deps;
    for (const row of await followedJobs.forRequest(request.id)) {
      if (row.watcher !== approvalWatcher || row.state !== 'following' || this.handingOff.has(row.id))
        continue;
      this.handingOff.add(row.id);
      try {
        const channels = [request.requester.channel, this.deps.approvalsChannel].filter(
          (c, i, all): c is string => !!c && all.indexOf(c) === i,
        );
        for (const channelId of channels) {
          try {
            await jobs.start({
              channelId,
              title: request.preview.title,
              job: row.ref,
              requestedBy: request.requester.id,
              requestId: request.id,
            });
            break;
          } catch (error) {
            logger.warn(
              `could not post the job message of ${request.id} in ${channelId}: ${describe(error)}`,
            );
          }
        }
        await followedJobs.finish(row.id);
      } finally {
        this.handingOff.delete(row.id);
      }
    }
  }

  /** What a message shows: the request's state, and where its job is followed once it is. */
  private version(request: ApprovalRequest, jobChannel: string | undefined): string {
    return `${renderedVersion(request)}|${jobChannel ?? ''}`;
  }

  private async jobChannel(requestId: string): Promise<string | undefined> {
    const job = (await this.deps.followedJobs.forRequest(requestId)).find(
      (j) => j.watcher === slackWatcher && (j.context as { messageTs?: unknown } | null)?.messageTs,
    );
    const channel = (job?.context as { channelId?: unknown } | undefined)?.channelId;
    return typeof channel === 'string' ? channel : undefined;
  }

  // ---- clicks (approvals/interactions.ts routes them here) --------------------------------------

  /** Approve: counts the vote, or says why it does not count. */
  async approve(inv: Invocation, requestId: string): Promise<void> {
    const result = await this.deps.engine.approve(requestId, inv.actor);
    if (result.outcome === 'refused') return this.refused(inv, result);
    if (result.outcome === 'recorded')
      await inv.replier.ephemeral(voteRecordedMessage(result.request, result.votes, result.needed));
    else await inv.replier.ephemeral(approvedMessage(result.request));
  }

  /** Acknowledge review, on a break-glass action's message. */
  async review(inv: Invocation, requestId: string): Promise<void> {
    const result = await this.deps.engine.acknowledge(requestId, inv.actor);
    if (result.outcome === 'refused') return this.refused(inv, result);
    await inv.replier.ephemeral(
      noticeMessage(mrkdwn`:white_check_mark: You acknowledged the review of this break-glass action.`),
    );
  }

  /** Cancel request: only the requester may. */
  async cancel(inv: Invocation, requestId: string): Promise<void> {
    const result = await this.deps.engine.cancel(requestId, inv.actor);
    if (result.outcome === 'refused') return this.refused(inv, result);
    await inv.replier.ephemeral(closedByYouMessage(result.request, 'cancelled'));
  }

  /**
   * Asks the engine first with an empty reason: it answers REASON_REQUIRED only when this person
   * may deny this request now, so anyone else is told why at once instead of after typing.
   */
  async openDenyForm(inv: Invocation, requestId: string, triggerId: string): Promise<void> {
    const check = await Promise.race([
      this.deps.engine.deny(requestId, inv.actor, ''),
      new Promise<undefined>((resolve) =>
        setTimeout(() => resolve(undefined), this.deps.denyPrecheckMs ?? 1_500).unref(),
      ),
    ]);
    if (check && check.outcome === 'refused' && check.code !== 'REASON_REQUIRED')
      return this.refused(inv, check);
    const request = await this.deps.engine.store.get(requestId);
    if (!request) return;
    const meta: DenyMetadata = { requestId, channelId: inv.channelId, responseUrl: inv.responseUrl };
    try {
      await this.deps.slack.views.open({ trigger_id: triggerId, view: denyModal(request, meta) });
    } catch (error) {
      // Most often the click's trigger expired (Slack gives three seconds).
      this.deps.logger.warn(`could not open the deny form for ${requestId}: ${describe(error)}`);
      await inv.replier.ephemeral(
        noticeMessage(mrkdwn`:warning: The form to deny could not open in time; press *Deny…* again.`),
      );
    }
  }

  async deny(inv: Invocation, requestId: string, reason: string): Promise<void> {
    const result = await this.deps.engine.deny(requestId, inv.actor, reason);
    if (result.outcome === 'refused') return this.refused(inv, result);
    await inv.replier.ephemeral(closedByYouMessage(result.request, 'denied'));
  }

  private async refused(inv: Invocation, refusal: ApprovalRefusal): Promise<void> {
    this.deps.logger.info(`approval click by ${inv.userId} refused: ${refusal.code}`);
    await inv.replier.ephemeral(refusalMessage(refusal));
  }

  // ---- commands --------------------------------------------------------------------------------

  /** `/atlas approvals`: open requests on projects the person may see. */
  async openRequests(visible: (projectId: string) => boolean): Promise<SlackMessage> {
    const [open, unreviewed] = await Promise.all([
      this.deps.engine.listOpen(),
      this.deps.engine.store.listUnreviewed(),
    ]);
    return openRequestsMessage(
      open.filter((r) => visible(r.projectId)),
      unreviewed.filter((r) => visible(r.projectId)),
    );
  }

  /** `/atlas audit [N]`: the newest N entries about projects the person may see. */
  async auditTrail(count: number, visible: (projectId: string) => boolean): Promise<SlackMessage> {
    const n = Math.min(auditMaxCount, Math.max(1, Math.floor(count)));
    const entries = (await this.deps.auditLog.latest(Math.max(n, 500)))
      .filter((e) => e.projectId === undefined || visible(e.projectId))
      .slice(0, n);
    return auditMessage(entries, n);
  }
}

function withNote(message: SlackMessage, note: Mrkdwn): SlackMessage {
  return {
    text: message.text,
    blocks: [...message.blocks, { type: 'context' as const, elements: [mrkdwnObject(note)] }].slice(
      0,
      slackLimits.blocksPerMessage,
    ),
  };
}

function describe(error: unknown): string {
  return slackRefusal(error) || (error instanceof Error ? error.message : String(error));
}
