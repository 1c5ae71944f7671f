import type { EphemeralMessage, MessageRef, ShownMessage } from './types.js';

export interface NewMessage {
  channel: string;
  user: string;
  botId?: string | undefined;
  text: string;
  blocks: unknown[];
  threadTs?: string | undefined;
}

/**
 * The messages of every channel, threads included, and the ephemeral ones each person sees.
 * Timestamps are Slack's: seconds, a dot and six digits, unique and increasing.
 */
export class Conversations {
  readonly messages = new Map<string, ShownMessage>();
  readonly ephemerals: EphemeralMessage[] = [];
  private seq = 0;

  constructor(private readonly now: () => number) {}

  private nextTs(): string {
    this.seq += 1;
    return `${Math.floor(this.now() / 1000)}.${String(this.seq % 1_000_000).padStart(6, '0')}`;
  }

  post(message: NewMessage): ShownMessage {
    const ts = this.nextTs();
    const shown: ShownMessage = {
      channel: message.channel,
      ts,
      threadTs: message.threadTs,
      text: message.text,
      blocks: message.blocks,
      updates: 0,
      user: message.user,
      botId: message.botId,
      editedAt: undefined,
    };
    this.messages.set(key(message.channel, ts), shown);
    return shown;
  }

  get(channel: string, ts: string): ShownMessage | undefined {
    return this.messages.get(key(channel, ts));
  }

  update(channel: string, ts: string, change: { text: string; blocks: unknown[] }): ShownMessage | undefined {
    const shown = this.get(channel, ts);
    if (!shown) return undefined;
    shown.text = change.text;
    shown.blocks = change.blocks;
    shown.updates += 1;
    shown.editedAt = this.now();
    return shown;
  }

  postEphemeral(message: Omit<EphemeralMessage, 'id' | 'ts' | 'updates'>): EphemeralMessage {
    const ts = this.nextTs();
    const shown: EphemeralMessage = { ...message, id: `E${ts.replace('.', '')}`, ts, updates: 0 };
    this.ephemerals.push(shown);
    return shown;
  }

  /** Replaces a message in place (a response_url's replace_original); false when it is gone. */
  replace(ref: MessageRef, change: { text: string; blocks: unknown[] }): boolean {
    if (ref.kind === 'channel') return this.update(ref.channel, ref.ts, change) !== undefined;
    const shown = this.ephemerals.find((m) => m.id === ref.id);
    if (!shown) return false;
    shown.text = change.text;
    shown.blocks = change.blocks;
    shown.updates += 1;
    return true;
  }

  remove(ref: MessageRef): boolean {
    if (ref.kind === 'channel') return this.messages.delete(key(ref.channel, ref.ts));
    const i = this.ephemerals.findIndex((m) => m.id === ref.id);
    if (i < 0) return false;
    this.ephemerals.splice(i, 1);
    return true;
  }

  /** The top-level messages of a channel, oldest first. */
  channelMessages(channel: string): ShownMessage[] {
    return [...this.messages.values()].filter((m) => m.channel === channel && m.threadTs === undefined);
  }

  threadReplies(channel: string, ts: string): ShownMessage[] {
    return [...this.messages.values()].filter((m) => m.channel === channel && m.threadTs === ts);
  }

  /** What `user` sees only for themselves, oldest first. */
  ephemeralFor(user: string): EphemeralMessage[] {
    return this.ephemerals.filter((m) => m.user === user);
  }

  clear(): void {
    this.messages.clear();
    this.ephemerals.length = 0;
  }
}

function key(channel: string, ts: string): string {
  return `${channel}/${ts}`;
}
