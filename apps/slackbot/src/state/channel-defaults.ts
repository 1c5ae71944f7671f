import { toSql, type Sql } from '@atlas-backups/core';
import type { BotStore } from './db.js';
import { retryWrite, type WriteHealth } from './write-health.js';

export interface ChannelDefault {
  projectId: string;
  projectName: string;
  setBy: string;
  setAt: number;
}

/** Each channel's default project, set with `/atlas use`, kept in the database (shared by replicas). */
export class ChannelDefaults {
  private readonly sql: Sql;

  constructor(
    db: BotStore,
    private readonly health?: WriteHealth,
  ) {
    this.sql = toSql(db);
  }

  async get(channelId: string): Promise<ChannelDefault | undefined> {
    const row = await this.sql.get<{
      project_id: string;
      project_name: string;
      set_by: string;
      set_at: number;
    }>('SELECT project_id, project_name, set_by, set_at FROM bot_channel_defaults WHERE channel_id = ?', [
      channelId,
    ]);
    return row
      ? {
          projectId: row.project_id,
          projectName: row.project_name,
          setBy: row.set_by,
          setAt: Number(row.set_at),
        }
      : undefined;
  }

  async set(channelId: string, value: ChannelDefault): Promise<void> {
    const write = () =>
      this.sql.run(
        `INSERT INTO bot_channel_defaults (channel_id, project_id, project_name, set_by, set_at)
         VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (channel_id) DO UPDATE SET project_id = excluded.project_id,
           project_name = excluded.project_name, set_by = excluded.set_by, set_at = excluded.set_at`,
        [channelId, value.projectId, value.projectName, value.setBy, value.setAt],
      );
    if (this.health) await retryWrite(this.health, "save the channel's default project", write);
    else await write();
  }
}
