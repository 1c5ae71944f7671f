/**
 * What the playground's server and its page say to each other (JSON over `/play/…`). The page's
 * code imports these types too, so nothing here may import anything.
 */

export interface PagePerson {
  id: string;
  name: string;
  realName: string;
  role: string;
  description: string;
}

export interface PageChannel {
  id: string;
  name: string;
  purpose: string;
}

/** One line of the command list shown as you type `/`. */
export interface PageCommand {
  /** What is inserted when chosen, e.g. `/atlas snapshots `. */
  insert: string;
  usage: string;
  summary: string;
  changes: boolean;
}

export interface PageMessage {
  /** `channel/ts` for a channel message, the ephemeral message's id otherwise. */
  id: string;
  channel: string;
  ts: string;
  threadTs: string | undefined;
  /** A user id, or `USLACKBOT` for Slack's own notices. */
  author: string;
  text: string;
  blocks: unknown[];
  edited: boolean;
  ephemeral: boolean;
  /** Replies in its thread (top-level messages only). */
  replyCount: number;
}

export interface PageView {
  id: string;
  hash: string;
  view: Record<string, unknown>;
  /** The bot's answer to the last submission: messages by block id. */
  errors: Record<string, string>;
}

/** One request between the bot and Slack, for the "under the hood" panel. */
export interface PageTraffic {
  at: number;
  direction: 'to bot' | 'Web API' | 'response_url';
  summary: string;
  outcome: string;
}

export interface PageState {
  /** Grows with every change; the page refetches when the event stream says it moved. */
  version: number;
  you: string;
  workspace: { name: string; botUserId: string; botName: string; banner: string };
  people: PagePerson[];
  channels: PageChannel[];
  userGroups: { id: string; handle: string }[];
  commands: PageCommand[];
  messages: PageMessage[];
  /** Your open modals, bottom first. */
  views: PageView[];
  traffic: PageTraffic[];
}

/** Where an action happened. */
export type PageSource =
  | { kind: 'message'; channel: string; ts: string }
  | { kind: 'ephemeral'; id: string }
  | { kind: 'view'; viewId: string };

export interface PageOption {
  text: { type: string; text: string; emoji?: boolean };
  value: string;
}

/** Block id → action id → the element's value, as Slack's `state.values`. */
export type PageStateValues = Record<string, Record<string, Record<string, unknown>>>;

export interface PostMessageRequest {
  as: string;
  channel: string;
  text: string;
  threadTs?: string | undefined;
}

export interface ActionRequest {
  as: string;
  source: PageSource;
  blockId: string;
  actionId: string;
  value?: string | undefined;
  option?: PageOption | undefined;
  values?: string[] | undefined;
  state?: PageStateValues | undefined;
}

export interface ViewRequest {
  as: string;
  viewId: string;
  state: PageStateValues;
}

export interface SuggestRequest {
  as: string;
  source: PageSource;
  blockId: string;
  actionId: string;
  value: string;
}

/** Every POST answers this; `options` for suggestions. */
export interface PageAnswer {
  ok: boolean;
  /** Slack's error name when Slack would show one (`operation_timeout`, `dispatch_failed`). */
  error?: string;
  detail?: string;
  options?: PageOption[];
  option_groups?: { label: { type: string; text: string }; options: PageOption[] }[];
}
