import {
  actionCatalogue,
  isActionName,
  isAtlasBackupsError,
  errorLogText,
  type ActionName,
  type ActionService,
  type Confirmation,
} from '@atlas-backups/core';
import type { Logger, webApi } from '@slack/bolt';
import { confirmationClosedMessage, confirmationMessage } from './confirmation-message.js';
import { errorMessage, noticeMessage } from '../blocks/replies.js';
import { MessageBuilder } from '../blocks/message.js';
import { code, mrkdwn, mention, type Mrkdwn } from '../blocks/slack-text.js';
import type { PendingApprovalHandler } from '../approvals/pending-approval.js';
import type { JobFollower } from '../jobs/job-follower.js';
import type { ClaimResult, Confirmations, PendingConfirmation } from '../state/confirmations.js';
import { WriteUnavailableError } from '../state/write-health.js';
import { writeUnavailableMessage } from '../blocks/status.js';
import type { Invocation } from '../slack/invocation.js';

export interface ActionFlowDeps {
  actions: ActionService;
  confirmations: Confirmations;
  jobs: JobFollower;
  approvals: PendingApprovalHandler;
  slack: webApi.WebClient;
  logger: Logger;
}

const refusal: Record<Exclude<ClaimResult, { ok: true }>['reason'], string> = {
  unknown:
    'This confirmation is not known to the bot (it may have been restarted with a new database). Run the command again.',
  expired: 'This confirmation has expired; nothing was done. Run the command again.',
  done: 'This confirmation was already answered.',
  not_yours: 'Only the person who asked can confirm or cancel this.',
};

export function refusalText(result: ClaimResult): string {
  return result.ok ? '' : refusal[result.reason];
}

/**
 * Every change goes this way: preview → confirmation (with the typed phrase on production)
 * → ActionService.request → executed (job message followed in the channel) or pending approval
 * (handed to the approval seam). Atlas is never changed from anywhere else in the bot.
 */
export class ActionFlow {
  constructor(private readonly deps: ActionFlowDeps) {}

  /** Explains the change and asks the requester to confirm it; safe changes run at once. */
  async propose(
    inv: Invocation,
    asked: ActionName,
    rawParams: Record<string, unknown>,
    reason?: string,
    breakGlass?: boolean,
  ): Promise<void> {
    // A restore or download of a Flex cluster is its own action; core tells which one applies.
    const action = await this.deps.actions.actionFor(asked, rawParams);
    const { params, preview } = await this.previewWithReason(inv, action, rawParams, reason, breakGlass);
    if (preview.risk === 'safe') {
      await this.execute(inv, action, params, undefined, reason, breakGlass);
      return;
    }
    const confirmation = await this.unlessUnwritable(inv, () =>
      this.deps.confirmations.create({
        userId: inv.userId,
        channelId: inv.channelId,
        action,
        params,
        preview,
        responseUrl: inv.responseUrl,
        reason,
        breakGlass,
      }),
    );
    if (!confirmation) return;
    await inv.replier.ephemeral(confirmationMessage(preview, confirmation.id, confirmation.expiresAt));
  }

  /**
   * The preview, after checking the reason the policy asks for (in its form) before anyone
   * confirms. Other refusals are left to the request, which decides on the stored channel.
   */
  private async previewWithReason(
    inv: Invocation,
    action: ActionName,
    rawParams: Record<string, unknown>,
    reason: string | undefined,
    breakGlass: boolean | undefined,
  ) {
    try {
      return await this.deps.actions.requirements(inv.actor, action, rawParams, {
        reason: reason ?? '',
        ...(breakGlass ? { breakGlass } : {}),
      });
    } catch (error) {
      if (isAtlasBackupsError(error) && ['POLICY_DENIED', 'MEMBERSHIP_UNAVAILABLE'].includes(error.code))
        return this.deps.actions.preview(inv.actor, action, rawParams);
      throw error;
    }
  }

  /** Confirm pressed on a change that needs no typed phrase. */
  async confirm(inv: Invocation, confirmationId: string): Promise<void> {
    const claimed = await this.claim(inv, confirmationId, 'confirmed');
    if (claimed) await this.confirmed(inv, claimed, { confirmed: true });
  }

  /** The production form was submitted with the right phrase. */
  async confirmWithPhrase(inv: Invocation, confirmationId: string, typedPhrase: string): Promise<void> {
    const claimed = await this.claim(inv, confirmationId, 'confirmed');
    if (claimed) await this.confirmed(inv, claimed, { confirmed: true, typedPhrase });
  }

  async cancel(inv: Invocation, confirmationId: string): Promise<void> {
    const claimed = await this.claim(inv, confirmationId, 'cancelled');
    if (claimed)
      await inv.replier.replaceOriginal(
        confirmationClosedMessage(claimed.preview, mrkdwn`Cancelled. Nothing was done.`),
      );
  }

  /** Answers the confirmation once; anyone else, or too late, is told why and gets undefined. */
  private async claim(
    inv: Invocation,
    confirmationId: string,
    answer: Parameters<Confirmations['claim']>[2],
  ): Promise<PendingConfirmation | undefined> {
    const claimed = await this.unlessUnwritable(inv, () =>
      this.deps.confirmations.claim(confirmationId, inv.userId, answer),
    );
    if (!claimed) return undefined;
    if (!claimed.ok) {
      await inv.replier.ephemeral(noticeMessage(mrkdwn`:warning: ${refusalText(claimed)}`));
      return undefined;
    }
    return claimed.confirmation;
  }

  /** Runs a write of the bot's own; when the database can't take it, says so and gives undefined. */
  private async unlessUnwritable<T>(inv: Invocation, write: () => Promise<T>): Promise<T | undefined> {
    try {
      return await write();
    } catch (error) {
      if (!(error instanceof WriteUnavailableError)) throw error;
      this.deps.logger.warn(`${error.message} (for ${inv.userId})`);
      await inv.replier.ephemeral(writeUnavailableMessage(error));
      return undefined;
    }
  }

  /**
   * Requests a confirmed change. Who asked and from which channel (policy inputs) are what was
   * stored when the change was proposed; the click or form that confirmed it only answers.
   */
  private async confirmed(
    click: Invocation,
    c: PendingConfirmation,
    confirmation: Confirmation,
  ): Promise<void> {
    const inv: Invocation = {
      ...click,
      channelId: c.channelId,
      actor: { ...click.actor, channel: c.channelId },
    };
    await inv.replier
      .replaceOriginal(
        confirmationClosedMessage(c.preview, mrkdwn`Confirmed by ${mention(inv.userId)}; requesting it now.`),
      )
      .catch((error: unknown) => this.deps.logger.warn(`could not close confirmation: ${String(error)}`));
    await this.execute(inv, c.action, c.params, confirmation, c.reason, c.breakGlass);
  }

  /** Requests the change from core and shows what became of it. */
  async execute(
    inv: Invocation,
    action: ActionName,
    params: Record<string, unknown>,
    confirmation: Confirmation | undefined,
    reason?: string,
    breakGlass?: boolean,
  ): Promise<void> {
    let outcome;
    try {
      outcome = await this.deps.actions.request(inv.actor, action, params, {
        ...(confirmation ? { confirmation } : {}),
        ...(reason ? { reason } : {}),
        ...(breakGlass ? { breakGlass } : {}),
      });
    } catch (error) {
      this.deps.logger.info(`${action} by ${inv.userId} refused or failed: ${errorLogText(error)}`);
      await inv.replier.ephemeral(errorMessage(error, actionLabel(action)));
      return;
    }
    if (outcome.status === 'pending_approval') {
      await this.deps.approvals.onPendingApproval({ outcome, invocation: inv, slack: this.deps.slack });
      return;
    }
    if (outcome.status === 'break_glass') {
      // The approval face announces it and follows it, as for an approved request.
      await inv.replier.ephemeral(
        noticeMessage(
          mrkdwn`:rotating_light: Break-glass: ${code(outcome.requestId)} runs now without approval. It is announced in the approvals and audit channels and needs a review by someone else.`,
        ),
      );
      return;
    }
    const { result, preview } = outcome;
    if (!result.job) {
      await inv.replier.inChannel(
        new MessageBuilder()
          .section(mrkdwn`:white_check_mark: ${result.summary}`, mrkdwn`${result.summary}`)
          .context([mrkdwn`Requested by ${mention(inv.userId)}`, mrkdwn`project ${code(preview.projectId)}`])
          .build(),
      );
      return;
    }
    const summary = (note: Mrkdwn) =>
      new MessageBuilder()
        .section(mrkdwn`:white_check_mark: ${result.summary}`, mrkdwn`${result.summary}`)
        .context([mrkdwn`Requested by ${mention(inv.userId)}`, note])
        .build();
    try {
      const started = await this.deps.jobs.start({
        channelId: inv.channelId,
        title: preview.title,
        job: result.job,
        requestedBy: inv.userId,
      });
      if (!started.posted)
        await inv.replier.inChannel(summary(mrkdwn`The job's own message here shows its progress.`));
    } catch (error) {
      // Usually the bot is not in the channel (a private channel, or no chat:write.public).
      this.deps.logger.warn(`could not post the job message in ${inv.channelId}: ${errorLogText(error)}`);
      await inv.replier.inChannel(
        summary(
          mrkdwn`Invite the bot to this channel to see the job progress here; meanwhile use ${code('/atlas jobs')}.`,
        ),
      );
    }
  }
}

/** What the bot says while an action runs: the action's own words from core. */
export function actionLabel(action: string): string {
  return isActionName(action) ? actionCatalogue[action].doing : action;
}
