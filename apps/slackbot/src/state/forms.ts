import type { FormKind } from '../forms/backup-form.js';
import { toSql, type Sql } from '@atlas-backups/core';
import type { BotStore } from './db.js';

/** A restore or export form as it was opened: by whom, from where, and how to answer them. */
export interface OpenForm {
  viewId: string;
  userId: string;
  channelId: string;
  kind: FormKind;
  responseUrl: string | undefined;
  openedAt: number;
}

interface Row {
  view_id: string;
  user_id: string;
  channel_id: string;
  kind: string;
  response_url: string | null;
  opened_at: number;
}

/**
 * Where each open form came from, kept when the bot opens it. A form's picks and its submission
 * are decided on this (the channel is a policy input), never on the view's private_metadata,
 * which comes back with every interaction and is only as trustworthy as the request carrying it.
 */
export class OpenForms {
  private readonly sql: Sql;

  constructor(
    db: BotStore,
    private readonly now: () => number = Date.now,
    /** Forms older than this are forgotten (a person answers a form within minutes). */
    readonly keepMs = 24 * 3_600_000,
  ) {
    this.sql = toSql(db);
  }

  async add(form: Omit<OpenForm, 'openedAt'>): Promise<OpenForm> {
    const opened: OpenForm = { ...form, openedAt: this.now() };
    await this.sql.run('DELETE FROM bot_forms WHERE opened_at <= ?', [opened.openedAt - this.keepMs]);
    await this.sql.run(
      `INSERT INTO bot_forms (view_id, user_id, channel_id, kind, response_url, opened_at)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (view_id) DO UPDATE SET user_id = excluded.user_id, channel_id = excluded.channel_id,
         kind = excluded.kind, response_url = excluded.response_url, opened_at = excluded.opened_at`,
      [
        opened.viewId,
        opened.userId,
        opened.channelId,
        opened.kind,
        opened.responseUrl ?? null,
        opened.openedAt,
      ],
    );
    return opened;
  }

  /** The form with this view id, if this user opened it and it is not too old. */
  async get(viewId: string, userId: string): Promise<OpenForm | undefined> {
    const row = await this.sql.get<Row>('SELECT * FROM bot_forms WHERE view_id = ?', [viewId]);
    if (!row || row.user_id !== userId || Number(row.opened_at) <= this.now() - this.keepMs) return undefined;
    return {
      viewId: row.view_id,
      userId: row.user_id,
      channelId: row.channel_id,
      kind: row.kind === 'export' ? 'export' : 'restore',
      responseUrl: row.response_url ?? undefined,
      openedAt: Number(row.opened_at),
    };
  }
}
