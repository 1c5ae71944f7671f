import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

describe('the Slack app manifest', () => {
  const manifest = parse(readFileSync(new URL('../manifest.yaml', import.meta.url), 'utf8')) as {
    features: { slash_commands: { command: string; should_escape: boolean }[]; bot_user: unknown };
    oauth_config: { scopes: { bot: string[] } };
    settings: { interactivity: { is_enabled: boolean }; socket_mode_enabled: boolean };
  };

  it('declares /atlas, interactivity and Socket Mode', () => {
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual(['/atlas']);
    expect(manifest.features.bot_user).toBeDefined();
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(true);
  });

  it('asks for exactly the scopes the bot uses', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(
      ['chat:write', 'chat:write.public', 'commands', 'usergroups:read'].sort(),
    );
  });
});
