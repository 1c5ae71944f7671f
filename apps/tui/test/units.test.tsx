import { Text } from 'ink';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { parseArgs, readTuiEnv, UsageError } from '../src/startup/cli-args.js';
import { parseCustomData } from '../src/forms/action-forms.js';
import { defaultAuditPath } from '../src/services/app-services.js';
import { nextDelay, useResource } from '../src/hooks/use-resource.js';

async function until(check: () => boolean, what: string) {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function Probe(props: {
  fetcher: (signal: AbortSignal) => Promise<string>;
  token: number;
  refreshMs: number;
}) {
  const state = useResource('probe', props.fetcher, {
    refreshMs: props.refreshMs,
    refreshToken: props.token,
  });
  return <Text>{`data=${state.data ?? '-'} fetches=${state.fetches} failures=${state.failures}`}</Text>;
}

describe('useResource', () => {
  it('never has two requests in flight: refreshes asked for meanwhile run once, afterwards', async () => {
    const pending: ((value: string) => void)[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const fetcher = () =>
      new Promise<string>((resolve) => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        pending.push((v) => {
          inFlight -= 1;
          resolve(v);
        });
      });
    const ui = render(<Probe fetcher={fetcher} token={0} refreshMs={0} />);
    await until(() => pending.length === 1, 'the first fetch');
    for (let token = 1; token <= 3; token += 1)
      ui.rerender(<Probe fetcher={fetcher} token={token} refreshMs={0} />);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(pending).toHaveLength(1);
    pending[0]?.('one');
    await until(() => pending.length === 2, 'the coalesced refresh');
    pending[1]?.('two');
    await until(() => (ui.lastFrame() ?? '').includes('data=two fetches=2'), 'the second answer');
    expect(maxInFlight).toBe(1);
    ui.unmount();
  });

  it('backs off while fetches fail, up to a ceiling', () => {
    expect(nextDelay(5_000, 0, 60_000)).toBe(5_000);
    expect([1, 2, 3, 4, 5].map((f) => nextDelay(5_000, f, 60_000))).toEqual([
      5_000, 10_000, 20_000, 40_000, 60_000,
    ]);
    expect(nextDelay(0, 0, 60_000)).toBeUndefined();
    expect(nextDelay(0, 2, 60_000)).toBe(2_000);
  });
});

describe('start-up input', () => {
  it('parses flags and names the bad one', () => {
    expect(parseArgs(['--read-only', '--project', '6401388087c960afed00faad', '--sim-speed=120'])).toEqual({
      readOnly: true,
      projectId: '6401388087c960afed00faad',
      simSpeed: 120,
      help: false,
    });
    expect(parseArgs(['-h']).help).toBe(true);
    expect(() => parseArgs(['--project', 'nope'])).toThrow(/--project: .*24 hexadecimal/);
    expect(() => parseArgs(['--frobnicate'])).toThrow(UsageError);
    expect(() => parseArgs(['--sim-speed', '-1'])).toThrow(/--sim-speed/);
    expect(() => parseArgs(['--sim-speed', '1e300'])).toThrow(
      '--sim-speed must be a number above 0 and at most 10000',
    );
  });

  it('validates its environment once, naming the variable', () => {
    expect(readTuiEnv({ ATLAS_TUI_READ_ONLY: 'yes', ATLAS_TUI_REFRESH_SECONDS: '10' })).toMatchObject({
      ATLAS_TUI_READ_ONLY: true,
      ATLAS_TUI_REFRESH_SECONDS: 10,
    });
    expect(() => readTuiEnv({ ATLAS_TUI_REFRESH_SECONDS: 'soon' })).toThrow(/ATLAS_TUI_REFRESH_SECONDS/);
    // Past 2^31 ms a timer fires at once: a huge interval would refresh without pause.
    expect(() => readTuiEnv({ ATLAS_TUI_REFRESH_SECONDS: '99999999999' })).toThrow(
      /ATLAS_TUI_REFRESH_SECONDS.*from 1 to 86400/,
    );
    expect(() => readTuiEnv({ ATLAS_TUI_READ_ONLY: 'maybe' })).toThrow(/ATLAS_TUI_READ_ONLY/);
  });

  it('puts the audit log where it was asked, else under the XDG state directory', () => {
    expect(defaultAuditPath({ ATLAS_TUI_AUDIT_LOG: '/tmp/a.jsonl' })).toBe('/tmp/a.jsonl');
    expect(defaultAuditPath({ XDG_STATE_HOME: '/state' })).toBe('/state/atlas-backups/tui-audit.jsonl');
    expect(defaultAuditPath({})).toMatch(/\.local\/state\/atlas-backups\/tui-audit\.jsonl$/);
  });
});

describe('form input conversions', () => {
  it('reads custom data pairs', () => {
    expect(parseCustomData('a=1, b = two ,')).toEqual({
      pairs: [
        { key: 'a', value: '1' },
        { key: 'b', value: 'two' },
      ],
    });
    expect(parseCustomData('a=1, oops')).toEqual({ error: '"oops" is not key=value' });
  });
});
