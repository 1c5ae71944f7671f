import type { App, BlockAction } from '@slack/bolt';
import { approvalClicks } from '../../approvals/interactions.js';
import { confirmationClicks } from '../../changes/interactions.js';
import { formClicks } from '../../forms/interactions.js';
import type { ClickHandler, ListenerDeps } from '../handlers.js';

/** Every button and select the bot's messages and forms carry, by action id: one line per feature. */
export const clickHandlers: ReadonlyMap<string, ClickHandler> = new Map(
  Object.entries({ ...confirmationClicks, ...approvalClicks, ...formClicks }),
);

/**
 * One listener for every click: Bolt runs each listener's matching for every request, so one
 * listener and a map keep the acknowledgement fast however many buttons there are. A click on
 * anything else is left unacknowledged, as Bolt leaves what no listener takes.
 */
export function register(app: App, bot: ListenerDeps): void {
  app.action<BlockAction>({ type: 'block_actions' }, async ({ ack, body, action }) => {
    const handler = clickHandlers.get(action.action_id);
    if (!handler) return;
    await ack();
    const value = 'value' in action && typeof action.value === 'string' ? action.value : '';
    const inv = bot.invocation(
      body.user.id,
      body.user.name ?? body.user.username,
      body.channel?.id ?? (body.container.channel_id as string | undefined) ?? '',
      body.response_url,
    );
    handler({ body, actionId: action.action_id, value, inv }, bot);
  });
}
