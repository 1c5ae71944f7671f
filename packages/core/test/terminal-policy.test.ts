import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ActionService,
  PolicyFileError,
  TerminalPolicy,
  type Actor,
  type AuditEntry,
  type ChatIdentity,
} from '../src/index.js';
import { selfRestore, simHarness, type SimHarness } from './support/sim.js';

/**
 * The team's policy as the bot reads it: production restores need a DBA (with an incident id, and
 * on-call may break glass); Analytics is production by the file; DBAs may not delete snapshots.
 */
const policyText = `
version: 1
production: [{ name: Analytics }]
rules:
  - name: production restores
    actions: [restore]
    projects: [{ production: true }]
    reason: { required: true, prompt: 'the incident, e.g. INC-123', pattern: '^INC-\\d+' }
    breakGlass: { usergroups: [SONCALL] }
    approval: { required: 1, approvers: { usergroups: [SDBA] } }
  - name: other restores
    actions: [restore]
    approval: { required: 1 }
  - name: snapshots are open
    actions: [snapshot.take, read]
  - name: no deletes for DBAs
    effect: deny
    actions: [snapshot.delete]
    usergroups: [SDBA]
  - name: leads delete
    actions: [snapshot.delete]
    users: [ULEAD]
    approval: { required: 1 }
`;

const me: Actor = { id: 'local:bea', displayName: 'bea', source: 'tui' };
const confirmed = { confirmed: true, typedPhrase: 'orders-prod' };

let h: SimHarness;
let dir: string;
let path: string;
beforeEach(async () => {
  h = await simHarness({ now: new Date('2026-11-27T12:00:00Z') });
  dir = mkdtempSync(join(tmpdir(), 'terminal-policy-'));
  path = join(dir, 'policy.yaml');
  writeFileSync(path, policyText);
});
afterEach(async () => {
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

function service(identity?: ChatIdentity) {
  const audit: AuditEntry[] = [];
  const actions = new ActionService({
    client: h.client(),
    policy: TerminalPolicy.open(path, identity),
    audit: { append: (e) => void audit.push(e) },
    now: () => h.sim.clock.now(),
  });
  return { actions, audit };
}

const restoreOn = (projectName: string) => selfRestore(h, projectName);

describe('the terminal under the team policy', () => {
  it("asks for the rule's reason, refuses a missing or malformed one, and records it in the audit trail", async () => {
    const { actions, audit } = service();
    const params = await restoreOn('Production');
    const { requirements } = await actions.requirements(me, 'restore.automated', params);
    expect(requirements).toMatchObject({
      approval: undefined,
      reason: { prompt: 'the incident, e.g. INC-123', pattern: '^INC-\\d+' },
      ruleLabel: 'rule "production restores"',
      chat: {
        outcome: 'approval',
        text: 'Slack would ask for 1 approval from members of user group SDBA (rule "production restores")',
      },
    });

    await expect(
      actions.request(me, 'restore.automated', params, { confirmation: confirmed }),
    ).rejects.toMatchObject({ code: 'REASON_REQUIRED' });
    await expect(
      actions.request(me, 'restore.automated', params, { confirmation: confirmed, reason: 'oops' }),
    ).rejects.toMatchObject({
      code: 'REASON_REQUIRED',
      message: expect.stringContaining('^INC-\\d+') as unknown,
    });

    // The terminal cannot collect approvals: with the reason, it runs on the person's own Atlas identity.
    const done = await actions.request(me, 'restore.automated', params, {
      confirmation: confirmed,
      reason: ' INC-42 orders dropped ',
    });
    expect(done.status).toBe('executed');
    expect(audit.map((e) => [e.event, e.reason, e.error?.code])).toEqual([
      ['refused', undefined, 'REASON_REQUIRED'],
      ['refused', 'oops', 'REASON_REQUIRED'],
      ['requested', 'INC-42 orders dropped', undefined],
      ['executed', 'INC-42 orders dropped', undefined],
    ]);
  });

  it("says what Slack would ask of the person named, from the bot's own decision", async () => {
    const params = await restoreOn('Production');
    const oncall = service({ userId: 'UBEA', groups: ['SONCALL'] });
    expect((await oncall.actions.requirements(me, 'restore.automated', params)).requirements.chat).toEqual({
      outcome: 'approval',
      text: 'Slack would ask for 1 approval from members of user group SDBA (rule "production restores"); you may break glass there',
    });

    const staging = await restoreOn('Staging');
    const plain = service({ userId: 'UBEA', groups: [] });
    const { requirements } = await plain.actions.requirements(me, 'restore.automated', staging);
    expect(requirements).toMatchObject({
      reason: undefined,
      chat: {
        outcome: 'approval',
        text: 'Slack would ask for 1 approval from anyone but the requester (rule "other restores")',
      },
    });
    const snapshot = await plain.actions.requirements(me, 'snapshot.take', {
      groupId: staging.groupId,
      clusterName: staging.clusterName,
    });
    expect(snapshot.requirements.chat).toEqual({
      outcome: 'open',
      text: 'Slack would run it without approval',
    });
  });

  it('shows a refusal in Slack without refusing here (Atlas roles decide), and a rule that depends on who asks', async () => {
    const staging = await restoreOn('Staging');
    const dba = service({ userId: 'UDBA', groups: ['SDBA'] });
    const remove = {
      groupId: staging.groupId,
      clusterName: staging.clusterName,
      snapshotId: staging.snapshotId,
    };
    const { requirements } = await dba.actions.requirements(me, 'snapshot.delete', remove);
    expect(requirements.chat).toEqual({
      outcome: 'refused',
      text: 'Slack would refuse it: rule "no deletes for DBAs" forbids it',
    });
    expect(requirements.approval).toBeUndefined();

    const anyone = service();
    expect(
      (await anyone.actions.requirements(me, 'snapshot.delete', remove)).requirements.chat,
    ).toMatchObject({
      outcome: 'depends',
      text: expect.stringContaining(
        'In Slack it depends on who asks: rule "leads delete": allows it for ULEAD',
      ) as unknown,
    });
  });

  it("takes production from the file's list as well as from tags: the typed confirmation applies", async () => {
    const { actions } = service();
    const analytics = await restoreOn('Analytics');
    const { preview } = await actions.preview(me, 'restore.automated', analytics);
    expect(preview.production).toBe(true);
    expect(preview.confirmPhrase).toBe(analytics.targetClusterName);
  });

  it('refuses a policy file that is not valid, naming the problem', () => {
    writeFileSync(path, 'version: 1\nrules:\n  - actions: [restore]\n    reason: { pattern: "(" }\n');
    expect(() => TerminalPolicy.open(path)).toThrow(PolicyFileError);
  });
});
