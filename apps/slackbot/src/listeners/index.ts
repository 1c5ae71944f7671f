import type { App } from '@slack/bolt';
import { register as registerActions } from './actions/index.js';
import { register as registerCommands } from './commands/index.js';
import type { ListenerDeps } from './handlers.js';
import { register as registerViews } from './views/index.js';

/** Every way Slack reaches the bot: the slash command, clicks, and form submissions. */
export function registerListeners(app: App, deps: ListenerDeps): void {
  registerCommands(app, deps);
  registerActions(app, deps);
  registerViews(app, deps);
}
