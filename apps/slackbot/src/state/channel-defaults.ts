import type { BotDatabase } from './db.js';
import { retryWrite, type WriteHealth } from './write-health.js';

export interface ChannelDefault {
  projectId: string;
  projectName: string;
  setBy: string;
  setAt: number;
}

/** Each channel's default project, set with `/atlas use`, kept in SQLite across restarts. */
export class ChannelDefaults {
  private readonly getStmt;
  private readonly setStmt;

  constructor(
    db: BotDatabase,
    private readonly health?: WriteHealth,
  ) {
    this.getStmt = db.prepare<
      [string],
      { project_id: string; project_name: string; set_by: string; set_at: number }
    >('SELECT project_id, project_name, set_by, set_at FROM bot_channel_defaults WHERE channel_id = ?');
    this.setStmt = db.prepare(
      `INSERT INTO bot_channel_defaults (channel_id, project_id, project_name, set_by, set_at)
       VALUES (@channel, @projectId, @projectName, @setBy, @setAt)
       ON CONFLICT (channel_id) DO UPDATE SET project_id = excluded.project_id,
         project_name = excluded.project_name, set_by = excluded.set_by, set_at = excluded.set_at`,
    );
  }

  get(channelId: string): ChannelDefault | undefined {
    const row = this.getStmt.get(channelId);
    return row
      ? { projectId: row.project_id, projectName: row.project_name, setBy: row.set_by, setAt: row.set_at }
      : undefined;
  }

  async set(channelId: string, value: ChannelDefault): Promise<void> {
    const write = () => this.setStmt.run({ channel: channelId, ...value });
    if (this.health) await retryWrite(this.health, "save the channel's default project", write);
    else write();
  }
}
