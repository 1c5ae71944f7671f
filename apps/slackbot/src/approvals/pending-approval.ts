import type { ActionOutcome } from '@atlas-backups/core';
import type { webApi } from '@slack/bolt';
import { pendingApprovalMessage } from '../blocks/confirmation.js';
import type { Invocation } from '../flows/invocation.js';

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
