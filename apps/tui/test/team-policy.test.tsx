import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTuiPolicy } from '../src/startup/policy.js';
import { flat, openSnapshots, startTui, type TuiHarness } from './support/harness.js';

/** The bot's policy: production snapshots need a change ticket; production restores need a DBA. */
const policyText = `
version: 1
rules:
  - name: production snapshots
    actions: [snapshot.take]
    projects: [{ production: true }]
    reason: { required: true, prompt: 'the change ticket, e.g. CHG-12', pattern: '^CHG-\\d+' }
  - name: everything else
    actions: [read, snapshot.take]
  - name: production restores
    actions: [restore]
    projects: [{ production: true }]
    breakGlass: { usergroups: [SONCALL] }
    approval: { required: 1, approvers: { usergroups: [SDBA] } }
`;

let h: TuiHarness | undefined;
let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tui-policy-'));
  path = join(dir, 'policy.yaml');
  writeFileSync(path, policyText);
});
afterEach(async () => {
  await h?.close();
  h = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** The frame as running text: box borders gone, wrapped lines joined. */

describe('the TUI under the team policy (ATLAS_POLICY_FILE)', () => {
  it("asks for the rule's reason in the confirmation, checks it as it is typed, and audits it", async () => {
    const t = (h = await startTui({ policy: openTuiPolicy({ ATLAS_POLICY_FILE: path }) }));
    await openSnapshots(t, 'Production', 'orders-prod');
    await t.press('n');
    await t.waitFor('Take an on-demand snapshot of orders-prod');
    await t.type('before the upgrade');
    await t.press('enter');
    const confirm = flat(await t.waitFor('[SAFE]'));
    expect(confirm).toContain('Slack would run it without approval (rule "production snapshots").');
    expect(confirm).toContain('Reason (the change ticket, e.g. CHG-12):');

    // Without a reason, Confirm refuses and says what is expected.
    await t.press('tab', 'tab', 'enter');
    await t.waitFor('Give a reason first: the change ticket, e.g. CHG-12.');
    // A reason of the wrong form is marked as it is typed, and refused.
    await t.press('shift-tab');
    await t.type('oops');
    await t.waitFor('✖ must match ^CHG-\\d+');
    await t.press('tab', 'y');
    await t.waitFor('The reason must match ^CHG-\\d+.');
    expect(t.sim.requests.filter((r) => r.method === 'POST' && /snapshots$/.test(r.path))).toHaveLength(0);

    // Any script, edited by grapheme: the reason is kept as typed.
    await t.press('shift-tab', '\u0015');
    await t.type('CHG-7 업그레이드 전 📸');
    await t.waitFor((f) => f.includes('CHG-7 업그레이드 전 📸') && !f.includes('✖ must match'));
    await t.press('tab', 'enter');
    await t.waitFor(/✔ Snapshot [0-9a-f]{24} queued on orders-prod/);
    expect(t.auditLog.read().map((e) => [e.event, e.reason])).toEqual([
      ['requested', 'CHG-7 업그레이드 전 📸'],
      ['executed', 'CHG-7 업그레이드 전 📸'],
    ]);
  });

  it('asks nothing where the rule asks nothing (a staging snapshot)', async () => {
    const t = (h = await startTui({ policy: openTuiPolicy({ ATLAS_POLICY_FILE: path }) }));
    await openSnapshots(t, 'Staging', 'orders-staging');
    await t.press('n');
    await t.waitFor('Take an on-demand snapshot of orders-staging');
    await t.press('enter');
    const confirm = flat(await t.waitFor('[SAFE]'));
    expect(confirm).toContain('Slack would run it without approval (rule "everything else").');
    expect(confirm).not.toContain('Reason');
  });

  it('shows that Slack would need approval, and whether this person may break glass there', async () => {
    const policy = openTuiPolicy({
      ATLAS_POLICY_FILE: path,
      ATLAS_TUI_SLACK_USER: 'UBEA',
      ATLAS_TUI_SLACK_GROUPS: 'SONCALL, SOTHER',
    });
    expect(policy.source).toContain('as Slack user UBEA in SONCALL, SOTHER');
    const t = (h = await startTui({ policy }));
    await openSnapshots(t, 'Production', 'orders-prod');
    await t.select('Pre-release', 'Pre-release checkpoint');
    await t.press('R');
    await t.waitFor('‹ orders-prod (replica set) ›', 'the target cluster choices');
    await t.press('enter');
    const confirm = flat(await t.waitFor('[DESTRUCTIVE]'));
    expect(confirm).toContain(
      'Slack would ask for 1 approval from members of user group SDBA (rule "production restores"); you may break glass there.',
    );
    await t.press('escape');
    await t.waitFor('Cancelled; nothing was changed.');

    // The help screen says which policy is in force.
    await t.press('?');
    expect(flat(await t.waitFor('Policy:'))).toContain(`Policy: policy ${path}`);
  });

  it('reloads the file when it changes, and keeps the version in force when the new one is invalid', async () => {
    const t = (h = await startTui({ policy: openTuiPolicy({ ATLAS_POLICY_FILE: path }) }));
    await t.waitFor('Production', 'the project list');
    writeFileSync(path, `${policyText}  - name: later\n    actions: [export]\n`);
    await t.waitFor(/Policy reloaded \(version [0-9a-f]{12}\)/, 'the reload');
    writeFileSync(path, 'version: 1\nrules: [{ actions: [nonsense] }]\n');
    await t.waitFor('Policy file not reloaded, the previous version stays', 'the refusal');

    await openSnapshots(t, 'Production', 'orders-prod');
    await t.press('n');
    await t.waitFor('Take an on-demand snapshot of orders-prod');
    await t.press('enter');
    expect(flat(await t.waitFor('[SAFE]'))).toContain('Reason (the change ticket, e.g. CHG-12):');
  });

  it('names the variable when a setting is wrong', () => {
    expect(() => openTuiPolicy({ ATLAS_TUI_SLACK_USER: 'UBEA' })).toThrow(
      'ATLAS_TUI_SLACK_USER: is used with the team policy: set ATLAS_POLICY_FILE too',
    );
    expect(() => openTuiPolicy({ ATLAS_POLICY_FILE: path, ATLAS_TUI_SLACK_USER: '@bea' })).toThrow(
      /^ATLAS_TUI_SLACK_USER: must be a Slack user id/,
    );
    expect(() => openTuiPolicy({ ATLAS_POLICY_FILE: path, ATLAS_TUI_SLACK_GROUPS: 'SDBA' })).toThrow(
      'ATLAS_TUI_SLACK_GROUPS: says whose groups: set ATLAS_TUI_SLACK_USER too',
    );
    expect(() => openTuiPolicy({ ATLAS_POLICY_FILE: join(dir, 'missing.yaml') })).toThrow(
      /^ATLAS_POLICY_FILE: .*missing\.yaml is not a valid policy/,
    );
    expect(openTuiPolicy({}).source).toContain('no policy file');
  });
});
