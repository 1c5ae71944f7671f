import type { App, ViewSubmitAction } from '@slack/bolt';
import { approvalSubmissions } from '../../approvals/interactions.js';
import { confirmationSubmissions } from '../../changes/interactions.js';
import { formSubmissions } from '../../forms/interactions.js';
import type { ListenerDeps, SubmissionHandler } from '../handlers.js';

/** Every form the bot opens that can be submitted, by callback id: one line per feature. */
export const submissionHandlers: ReadonlyMap<string, SubmissionHandler> = new Map(
  Object.entries({ ...confirmationSubmissions, ...approvalSubmissions, ...formSubmissions }),
);

/** One listener for the bot's forms (their callback ids start with `atlas_`); each handler acknowledges. */
export function register(app: App, bot: ListenerDeps): void {
  app.view<ViewSubmitAction>(/^atlas_/, async ({ ack, body, view }) => {
    await submissionHandlers.get(view.callback_id)?.({ ack, body, view }, bot);
  });
}
