import type { ActionOutcome, ActionPreview, PendingApproval } from '@atlas-backups/core';
import type { webApi } from '@slack/bolt';
import { formatTime } from '../blocks/format.js';
import { MessageBuilder, type SlackMessage } from '../blocks/message.js';
import { previewWarnings } from '../blocks/preview.js';
import { code, mention, mrkdwn } from '../blocks/slack-text.js';
import type { Invocation } from '../slack/invocation.js';

export type PendingOutcome = Extract<ActionOutcome, { status: 'pending_approval' }>;

/**
 * Where a request goes when policy says others must approve it: the seam for the approval UI
 * (Approve/Deny buttons, approver notifications), which replaces the default below.
 */
export interface PendingApprovalHandler {
  onPendingApproval(input: {
    outcome: PendingOutcome;
    invocation: Invocation;
    slack: webApi.WebClient;
  }): Promise<void>;
}

/** Until the approval UI lands: tell the channel that the request waits for approval. */
export const announcePendingApproval: PendingApprovalHandler = {
  async onPendingApproval({ outcome, invocation }) {
    await invocation.replier.inChannel(
      pendingApprovalMessage(outcome.preview, outcome.approval, invocation.userId),
    );
  },
};

/** Shown in the channel when policy sends the request to others for approval. */
function pendingApprovalMessage(
  preview: ActionPreview,
  approval: PendingApproval,
  requesterId: string,
): SlackMessage {
  const b = new MessageBuilder();
  const needs = approval.rule.required;
  b.section(
    mrkdwn`:hourglass_flowing_sand: *Waiting for approval:* ${preview.title}\nRequested by ${mention(requesterId)}; needs ${needs} approval${needs === 1 ? '' : 's'}.`,
    mrkdwn`Waiting for approval: ${preview.title} (requested by ${requesterId})`,
  );
  previewWarnings(b, preview);
  b.context([mrkdwn`Request ${code(approval.id)}`, mrkdwn`expires ${formatTime(approval.expiresAt)} UTC`]);
  return b.build();
}
