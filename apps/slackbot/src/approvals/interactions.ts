import { noticeMessage } from '../blocks/replies.js';
import { mrkdwn } from '../blocks/slack-text.js';
import type { ClickHandler, ClickHandlers, SubmissionHandlers } from '../listeners/handlers.js';
import type { SlackApprovals } from './slack-approvals.js';
import { approvalActionIds } from './approval-blocks.js';
import { denyCallbackId, readDenyForm } from './deny-modal.js';

/** A click on a request's message, for the approval UI; without one the person is told. */
const withApprovals =
  (handle: (ui: SlackApprovals, ...args: Parameters<ClickHandler>) => void): ClickHandler =>
  (click, bot) => {
    if (bot.approvals) handle(bot.approvals, click, bot);
    else
      bot.tasks.run('approval click', () =>
        click.inv.replier.ephemeral(noticeMessage(mrkdwn`:warning: Approvals are not set up in this bot.`)),
      );
  };

/** Approve, Deny… and Cancel request on a request's message. */
export const approvalClicks: ClickHandlers = {
  [approvalActionIds.approve]: withApprovals((ui, { inv, value }, bot) =>
    bot.tasks.run('approve', () => ui.approve(inv, value)),
  ),
  [approvalActionIds.deny]: withApprovals((ui, { inv, value, body }, bot) =>
    // The form must open within three seconds of the click.
    bot.tasks.run('open the deny form', () => ui.openDenyForm(inv, value, body.trigger_id), {
      urgent: true,
    }),
  ),
  [approvalActionIds.cancel]: withApprovals((ui, { inv, value }, bot) =>
    bot.tasks.run('cancel a request', () => ui.cancel(inv, value)),
  ),
  [approvalActionIds.review]: withApprovals((ui, { inv, value }, bot) =>
    bot.tasks.run('acknowledge a review', () => ui.review(inv, value)),
  ),
};

/** The reason given for a denial. */
export const approvalSubmissions: SubmissionHandlers = {
  [denyCallbackId]: async ({ ack, body, view }, bot) => {
    const ui = bot.approvals;
    if (!ui) return;
    const submitted = readDenyForm(view.private_metadata, view.state.values);
    if (!submitted.ok) {
      await ack({ response_action: 'errors', errors: submitted.errors });
      return;
    }
    await ack();
    const { meta, reason } = submitted;
    const inv = bot.invocation(body.user.id, body.user.name, meta.channelId, meta.responseUrl);
    bot.tasks.run('deny', () => ui.deny(inv, meta.requestId, reason));
  },
};
