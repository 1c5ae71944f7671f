import type { BlockAction, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { BotServices } from '../services.js';
import type { Invocation } from '../slack/invocation.js';

/**
 * What the bot's features give the listeners: a handler per action id (buttons and selects) and
 * per form callback id. The listeners route Slack's requests through these maps; nothing else
 * decides which code a click or a form reaches.
 */

/** A click on one of the bot's buttons or selects, already acknowledged. */
export interface Click {
  body: BlockAction;
  actionId: string;
  /** The button's value: the id of what it acts on ('' for a select). */
  value: string;
  /** Who clicked, where, and how to answer them. */
  inv: Invocation;
}

/** Starts the click's work (bot.tasks); it must not wait for it. */
export type ClickHandler = (click: Click, bot: BotServices) => void;

/** A submitted form; its handler acknowledges it, with errors shown by the fields when it is refused. */
export type Submission = Pick<SlackViewMiddlewareArgs<ViewSubmitAction>, 'ack' | 'body' | 'view'>;

export type SubmissionHandler = (submission: Submission, bot: BotServices) => Promise<void>;

/** What every listener's `register` gets: the bot's services, and the slash command's name. */
export interface ListenerDeps extends BotServices {
  command: string;
}

export type ClickHandlers = Readonly<Record<string, ClickHandler>>;
export type SubmissionHandlers = Readonly<Record<string, SubmissionHandler>>;
