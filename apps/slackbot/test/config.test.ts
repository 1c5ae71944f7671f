import { describe, expect, it } from 'vitest';
import { loadSlackConfig, noSlackConfigured } from '../src/config.js';

const base = { SLACK_BOT_TOKEN: 'xoxb-1-2-secretpart', SLACK_SIGNING_SECRET: 'shh-signing' };

function refusal(env: Record<string, string | undefined>): Error & { variable?: string } {
  try {
    loadSlackConfig(env);
  } catch (error) {
    return error as Error & { variable?: string };
  }
  throw new Error('expected the configuration to be refused');
}

describe('loadSlackConfig', () => {
  it('reads HTTP mode with defaults', () => {
    expect(loadSlackConfig(base)).toEqual({
      mode: 'http',
      botToken: base.SLACK_BOT_TOKEN,
      appToken: undefined,
      signingSecret: base.SLACK_SIGNING_SECRET,
      port: 3000,
      apiUrl: undefined,
      dbPath: '.data/slackbot.sqlite',
      leaseSeconds: 30,
      logLevel: 'info',
      shutdownSeconds: 10,
    });
  });

  it('uses Socket Mode when SLACK_APP_TOKEN is set, without a signing secret', () => {
    const config = loadSlackConfig({ SLACK_BOT_TOKEN: base.SLACK_BOT_TOKEN, SLACK_APP_TOKEN: 'xapp-1-abc' });
    expect(config.mode).toBe('socket');
    expect(config.signingSecret).toBeUndefined();
  });

  it('normalises SLACK_API_URL to end in a slash and reads PORT', () => {
    const config = loadSlackConfig({ ...base, SLACK_API_URL: 'http://127.0.0.1:9999/api', PORT: '8080' });
    expect(config.apiUrl).toBe('http://127.0.0.1:9999/api/');
    expect(config.port).toBe(8080);
  });

  it.each([
    [{ SLACK_SIGNING_SECRET: 'x' }, 'SLACK_BOT_TOKEN', 'is required'],
    [{ ...base, SLACK_BOT_TOKEN: 'xoxp-user-token' }, 'SLACK_BOT_TOKEN', 'starts with xoxb-'],
    [{ SLACK_BOT_TOKEN: base.SLACK_BOT_TOKEN }, 'SLACK_SIGNING_SECRET', 'is required in HTTP mode'],
    [{ ...base, SLACK_APP_TOKEN: 'xoxb-wrong-kind' }, 'SLACK_APP_TOKEN', 'starts with xapp-'],
    [{ ...base, PORT: 'eighty' }, 'PORT', 'must be a port number'],
    [{ ...base, PORT: '70000' }, 'PORT', 'between 0 and 65535'],
    [{ ...base, SLACK_API_URL: 'not a url' }, 'SLACK_API_URL', 'http(s) URL'],
    [{ ...base, LOG_LEVEL: 'loud' }, 'LOG_LEVEL', 'debug, info, warn or error'],
    [{ ...base, HEALTH_PORT: 'health' }, 'HEALTH_PORT', 'must be a port number'],
    [{ ...base, HEALTH_PORT: '-1' }, 'HEALTH_PORT', 'between 0 and 65535'],
    [{ ...base, ATLAS_BOT_SHUTDOWN_SECONDS: 'soon' }, 'ATLAS_BOT_SHUTDOWN_SECONDS', 'a number of seconds'],
    [{ ...base, ATLAS_BOT_SHUTDOWN_SECONDS: '2.5' }, 'ATLAS_BOT_SHUTDOWN_SECONDS', 'whole number'],
    [{ ...base, ATLAS_BOT_SHUTDOWN_SECONDS: '0' }, 'ATLAS_BOT_SHUTDOWN_SECONDS', 'between 1 and 600'],
    [{ ...base, ATLAS_BOT_SHUTDOWN_SECONDS: '601' }, 'ATLAS_BOT_SHUTDOWN_SECONDS', 'between 1 and 600'],
    [{ ...base, SLACK_TEAM_ID: 'acme-corp' }, 'SLACK_TEAM_ID', 'must be a Slack workspace id'],
    [{ ...base, SLACK_TEAM_ID: 'E0123ABCD' }, 'SLACK_TEAM_ID', 'such as T0123ABCD'],
  ])('refuses %j naming %s', (env, variable, message) => {
    const error = refusal(env);
    expect(error.variable).toBe(variable);
    expect(error.message).toContain(message);
  });

  it('reads HEALTH_PORT and ATLAS_BOT_SHUTDOWN_SECONDS', () => {
    const config = loadSlackConfig({ ...base, HEALTH_PORT: '9102', ATLAS_BOT_SHUTDOWN_SECONDS: '25' });
    expect(config.healthPort).toBe(9102);
    expect(config.shutdownSeconds).toBe(25);
    expect(loadSlackConfig(base).healthPort).toBeUndefined();
  });

  it('reads SLACK_TEAM_ID, the workspace to serve', () => {
    expect(loadSlackConfig({ ...base, SLACK_TEAM_ID: ' T0123ABCD ' }).teamId).toBe('T0123ABCD');
    expect(loadSlackConfig(base).teamId).toBeUndefined();
  });

  it('never echoes a token in its messages', () => {
    const error = refusal({ SLACK_BOT_TOKEN: 'xoxp-VERYSECRET', SLACK_APP_TOKEN: 'xoxb-ALSOSECRET' });
    expect(error.message).not.toContain('VERYSECRET');
    expect(error.message).not.toContain('ALSOSECRET');
  });

  it('counts as no Slack (start the playground) only when no Slack variable is set', () => {
    expect(noSlackConfigured({})).toBe(true);
    expect(noSlackConfigured({ SLACK_BOT_TOKEN: '  ', PORT: '3000' })).toBe(true);
    // Half a configuration is a mistake to report, never a reason to start something else.
    expect(noSlackConfigured({ SLACK_SIGNING_SECRET: 'x' })).toBe(false);
    expect(noSlackConfigured({ SLACK_APP_TOKEN: 'xapp-1' })).toBe(false);
  });
});
