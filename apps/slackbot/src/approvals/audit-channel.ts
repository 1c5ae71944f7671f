import type { AuditEntry, AuditSink } from '@atlas-backups/core';
import type { Logger } from '@slack/bolt';
import { join, type Mrkdwn } from '../blocks/slack-text.js';
import { auditLine } from './approval-blocks.js';

export interface AuditChannelOptions {
  chat: {
    postMessage(args: {
      channel: string;
      text: string;
      mrkdwn: boolean;
      unfurl_links: boolean;
      unfurl_media: boolean;
    }): Promise<unknown>;
  };
  /** ATLAS_AUDIT_CHANNEL. */
  channel: string;
  logger: Logger;
  /** Characters per posted message (Slack shows long text folded; keep each post readable). */
  maxChars?: number;
}

/**
 * Posts every audit entry to a Slack channel, one line each, after it is stored. `append`
 * only queues, so neither a decision nor its acknowledgement waits for Slack; entries that
 * arrive while a post is on its way go together in the next one (fifty refused clicks make a
 * few messages, not fifty), in the order they were written.
 */
export class AuditChannel implements AuditSink {
  private readonly queue: Mrkdwn[] = [];
  private sending: Promise<void> | undefined;

  constructor(private readonly options: AuditChannelOptions) {}

  append(entry: AuditEntry): void {
    this.queue.push(auditLine(entry));
    this.sending ??= this.drain().finally(() => {
      this.sending = undefined;
    });
  }

  /** Resolves once everything queued so far has been posted (or given up on). */
  async flush(): Promise<void> {
    while (this.sending) await this.sending;
  }

  private async drain(): Promise<void> {
    const max = this.options.maxChars ?? 3_500;
    while (this.queue.length > 0) {
      const lines: Mrkdwn[] = [];
      let size = 0;
      for (let next = this.queue[0]; next !== undefined; next = this.queue[0]) {
        const length = String(next).length;
        if (lines.length > 0 && size + length + 1 > max) break;
        lines.push(next);
        size += length + 1;
        this.queue.shift();
      }
      try {
        await this.options.chat.postMessage({
          channel: this.options.channel,
          text: String(join(lines, '\n')),
          mrkdwn: true,
          unfurl_links: false,
          unfurl_media: false,
        });
      } catch (error) {
        // The entries are safe in the database; the channel is a copy.
        this.options.logger.warn(
          `could not post ${lines.length} audit entr${lines.length === 1 ? 'y' : 'ies'} to ${this.options.channel}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }
}
