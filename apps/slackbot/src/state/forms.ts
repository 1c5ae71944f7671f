import type { FormKind } from '../forms/backup-form.js';
import type { BotDatabase } from './db.js';

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
  private readonly insertStmt;
  private readonly getStmt;
  private readonly pruneStmt;

  constructor(
    db: BotDatabase,
    private readonly now: () => number = Date.now,
    /** Forms older than this are forgotten (a person answers a form within minutes). */
    readonly keepMs = 24 * 3_600_000,
  ) {
    this.insertStmt = db.prepare(
      `INSERT OR REPLACE INTO bot_forms (view_id, user_id, channel_id, kind, response_url, opened_at)
       VALUES (@viewId, @userId, @channelId, @kind, @responseUrl, @openedAt)`,
    );
    this.getStmt = db.prepare<[string], Row>('SELECT * FROM bot_forms WHERE view_id = ?');
    this.pruneStmt = db.prepare('DELETE FROM bot_forms WHERE opened_at <= ?');
  }

  add(form: Omit<OpenForm, 'openedAt'>): OpenForm {
    const opened: OpenForm = { ...form, openedAt: this.now() };
    this.pruneStmt.run(opened.openedAt - this.keepMs);
    this.insertStmt.run({ ...opened, responseUrl: opened.responseUrl ?? null });
    return opened;
  }

  /** The form with this view id, if this user opened it and it is not too old. */
  get(viewId: string, userId: string): OpenForm | undefined {
    const row = this.getStmt.get(viewId);
    if (!row || row.user_id !== userId || row.opened_at <= this.now() - this.keepMs) return undefined;
    return {
      viewId: row.view_id,
      userId: row.user_id,
      channelId: row.channel_id,
      kind: row.kind === 'export' ? 'export' : 'restore',
      responseUrl: row.response_url ?? undefined,
      openedAt: row.opened_at,
    };
  }
}
