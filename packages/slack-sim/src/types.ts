/** A person in the simulated workspace. */
export interface SimUser {
  id: string;
  /** The handle (`riley`). */
  name: string;
  /** What Slack shows as the display name; `name` when absent. */
  realName?: string;
}

/** A public channel in the simulated workspace. */
export interface SimChannel {
  id: string;
  /** Without the `#`. */
  name: string;
}

/** A user group (`S…`) and its handle (`db-approvers`). */
export interface SimUserGroup {
  id: string;
  handle: string;
  members: string[];
}

/** One Web API call as the simulator received it. Values Slack takes as JSON (blocks, view) are parsed. */
export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  /** The bearer token used (tests compare it with the configured one). */
  token: string | undefined;
  at: number;
  /** What the simulator answered (`ok`, and `error` when not ok). */
  ok?: boolean;
  error?: string | undefined;
}

/** A post to an interaction's response_url. */
export interface ResponseUrlPost {
  id: string;
  body: Record<string, unknown>;
  at: number;
}

/** A message as a channel shows it now (after every chat.update). */
export interface ShownMessage {
  channel: string;
  ts: string;
  threadTs: string | undefined;
  text: string;
  blocks: unknown[];
  /** How many times it was edited in place. */
  updates: number;
  /** Who posted it: the bot's user id, or a person's. */
  user: string;
  /** Set on the bot's messages. */
  botId: string | undefined;
  /** When it was last edited (epoch ms). */
  editedAt: number | undefined;
}

/** A message only one person sees ("Only visible to you"); it is gone when they reload Slack. */
export interface EphemeralMessage {
  id: string;
  channel: string;
  /** The one person who sees it. */
  user: string;
  ts: string;
  threadTs: string | undefined;
  text: string;
  blocks: unknown[];
  /** Who it is from: the bot, or Slackbot for Slack's own notices. */
  from: 'bot' | 'slackbot';
  updates: number;
}

/** A modal as it is open for someone, as the last views.open/update/push left it. */
export interface OpenView {
  id: string;
  /** Who it is open for (unknown when opened with a trigger id this simulator did not issue). */
  user: string | undefined;
  /** The view as the app sent it, plus the fields Slack adds (id, hash, team_id, …). */
  view: Record<string, unknown>;
  hash: string;
  rootViewId: string;
  previousViewId: string | undefined;
  /** What the app's last answer to a submission said is wrong, by block id (shown under the fields). */
  errors: Record<string, string>;
}

/** Where a response_url posts: the channel and person of the interaction, and the message it came from. */
export interface ResponseUrlContext {
  channel: string;
  user: string;
  /** The message the button was on (replace_original and delete_original act on it). */
  source?: MessageRef | undefined;
}

/** A message by where it lives: a channel message by its ts, an ephemeral one by its id. */
export type MessageRef = { kind: 'channel'; channel: string; ts: string } | { kind: 'ephemeral'; id: string };

/** What changed, for whoever shows the workspace. */
export type SimChange =
  | { kind: 'message'; channel: string; ts: string }
  | { kind: 'ephemeral'; user: string; id: string }
  | { kind: 'view'; user: string | undefined; id: string }
  | { kind: 'call'; method: string }
  | { kind: 'delivery' };
