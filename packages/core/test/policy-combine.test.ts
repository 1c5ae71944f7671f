import { describe, expect, it } from 'vitest';
import {
  CachedGroupMembership,
  FilePolicyEngine,
  StaticGroupMembership,
  checkApprover,
  checkPolicy,
  defaultPolicyDocument,
  parsePolicy,
  readPolicyFile,
  type ActionPreview,
  type Actor,
  type PolicyInput,
} from '../src/index.js';

type ProjectFacts = PolicyInput['project'];
const payments: ProjectFacts = { id: '5f0c0ffee0c0ffee0c0ffee0', name: 'Payments', tags: [] };
const sandbox: ProjectFacts = { id: 'cccccccccccccccccccccccc', name: 'Sandbox', tags: [] };

function preview(action: string): ActionPreview {
  return {
    action,
    title: action,
    lines: [],
    warnings: [],
    risk: 'destructive',
    projectId: payments.id,
    production: true,
  };
}

const ask = (actor: Actor, action: PolicyInput['action'], project = payments): PolicyInput => ({
  actor,
  action,
  project,
  preview: preview(action),
});

const person = (id: string, channel?: string): Actor => ({ id, source: 'slack', channel });

describe('the example policy says what it means', () => {
  const doc = readPolicyFile(new URL('../../../examples/policy.example.yaml', import.meta.url).pathname);
  const membership = new StaticGroupMembership({ S05DBATEAM: ['U0DBA1', 'U0DBA2'], S07CONTRACT: [] });
  const policy = new FilePolicyEngine(doc, { membership });

  it('sends a production restore by a DBA in the incident channel to two of the three leads', async () => {
    expect(await policy.decide(ask(person('U0DBA1', 'C04INCIDENT'), 'restore.automated'))).toMatchObject({
      allowed: true,
      approval: { required: 2, users: ['U01LEADAAA', 'U01LEADBBB', 'U01LEADCCC'], groups: [] },
    });
  });

  it('refuses a production restore asked from a DM, another channel or by someone not a DBA, naming the rule', async () => {
    for (const actor of [
      person('U0DBA1', 'D0DIRECTMSG'),
      person('U0DBA1', 'C0RANDOM'),
      person('U0DBA1'),
      person('U0DEVELOPER', 'C04INCIDENT'),
    ]) {
      const d = await policy.decide(ask(actor, 'restore.automated'));
      expect(d).toMatchObject({ allowed: false });
      const reason = d.allowed ? '' : d.reason;
      expect(reason).toContain('"production restores need two of the three leads"');
      expect(reason).toContain('members of user group S05DBATEAM');
      expect(reason).toContain('C04INCIDENT or C02DBAOPS');
      expect(await policy.decide(ask(actor, 'restore.pointInTime'))).toMatchObject({ allowed: false });
    }
  });

  it('still sends other restores to any second person', async () => {
    expect(
      await policy.decide(ask(person('U0DEVELOPER', 'C0RANDOM'), 'restore.automated', sandbox)),
    ).toMatchObject({
      allowed: true,
      approval: { required: 1, users: [], groups: [], ttlMs: 4 * 3_600_000 },
    });
  });

  it('has nothing policy:check warns about', () => {
    expect(checkPolicy(doc)).toEqual([]);
  });
});

describe('how rules combine', () => {
  const membership = new StaticGroupMembership({ SDBA: ['UDBA'], SLEADS: ['ULEAD1', 'ULEAD2', 'ULEAD3'] });

  it('lets rules naming a project replace rules without one for that project, wherever they stand', async () => {
    const policy = new FilePolicyEngine(
      parsePolicy(`
version: 1
rules:
  - name: restores need a second person
    actions: [restore]
    approval: { required: 1 }
  - name: sandbox restores need nobody
    actions: [restore]
    projects: [{ name: Sandbox }]
  - name: payments restores are for DBAs
    actions: [restore.automated]
    projects: [{ id: ${payments.id} }]
    usergroups: [SDBA]
    approval: { required: 2, approvers: { usergroups: [SLEADS] } }
`),
      { membership },
    );
    expect(await policy.decide(ask(person('UDEV'), 'restore.automated', sandbox))).toEqual({ allowed: true });
    expect(await policy.decide(ask(person('UDBA'), 'restore.automated'))).toMatchObject({
      allowed: true,
      approval: { required: 2, groups: ['SLEADS'] },
    });
    expect(await policy.decide(ask(person('UDEV', 'COPS'), 'restore.automated'))).toEqual({
      allowed: false,
      reason:
        'rule "payments restores are for DBAs" governs restore.automated on Payments (5f0c0ffee0c0ffee0c0ffee0); it applies only to members of user group SDBA',
    });
    // The scoped rule covers restore.automated only: other restores on Payments keep the general rule.
    expect(await policy.decide(ask(person('UDEV'), 'restore.download'))).toMatchObject({
      allowed: true,
      approval: { required: 1 },
    });
  });

  it('names every rule that governs when several do', async () => {
    const policy = new FilePolicyEngine(
      parsePolicy(`
version: 1
rules:
  - name: DBAs restore production from ops
    actions: [restore]
    projects: [{ production: true }]
    usergroups: [SDBA]
    channels: [COPS, CINCIDENT]
  - actions: [restore]
    projects: [{ name: Payments }]
    users: [ULEAD1]
  - actions: [restore]
`),
      { membership },
    );
    const prodPayments = { ...payments, tags: [{ key: 'env', value: 'prod' }] };
    const d = await policy.decide(ask(person('UDBA', 'CRANDOM'), 'restore.automated', prodPayments));
    expect(d).toEqual({
      allowed: false,
      reason:
        'the rules for restore.automated on Payments (5f0c0ffee0c0ffee0c0ffee0) apply only to members of user group SDBA asking from COPS or CINCIDENT (rule "DBAs restore production from ops"), or to ULEAD1 (rules[1])',
    });
    expect(await policy.decide(ask(person('ULEAD1', 'CRANDOM'), 'restore.automated', prodPayments))).toEqual({
      allowed: true,
    });
  });

  it('refuses with otherwise: deny instead of trying the rules below', async () => {
    const text = (otherwise: string) => `
version: 1
rules:
  - name: exports are for DBAs
    actions: [export.create]
    usergroups: [SDBA]
    ${otherwise}
  - name: the ops channel may do anything
    actions: ['*']
    channels: [COPS]
`;
    const loose = new FilePolicyEngine(parsePolicy(text('')), { membership });
    expect(await loose.decide(ask(person('UDEV', 'COPS'), 'export.create'))).toEqual({ allowed: true });
    const strict = new FilePolicyEngine(parsePolicy(text('otherwise: deny')), { membership });
    expect(await strict.decide(ask(person('UDEV', 'COPS'), 'export.create'))).toEqual({
      allowed: false,
      reason:
        'rule "exports are for DBAs" governs export.create on Payments (5f0c0ffee0c0ffee0c0ffee0) and says otherwise: deny; it applies only to members of user group SDBA',
    });
    expect(await strict.decide(ask(person('UDBA', 'COPS'), 'export.create'))).toEqual({ allowed: true });
    expect(await strict.decide(ask(person('UDEV', 'COPS'), 'snapshot.take'))).toEqual({ allowed: true });
  });

  it('refuses otherwise on a deny rule', () => {
    expect(() =>
      parsePolicy(
        'version: 1\nrules:\n  - { effect: deny, actions: [read], otherwise: deny, users: [UA] }\n',
      ),
    ).toThrow(/rules\[0\]\.otherwise: only an allow rule can say otherwise: deny/);
    expect(() => parsePolicy('version: 1\nrules:\n  - { actions: [read], otherwise: allow }\n')).toThrow(
      /rules\[0\]\.otherwise: must be deny/,
    );
  });

  it('behaves as before without a policy file', async () => {
    const policy = new FilePolicyEngine(defaultPolicyDocument);
    expect(checkPolicy(defaultPolicyDocument)).toEqual([]);
    expect(await policy.decide(ask(person('UDEV', 'CRANDOM'), 'restore.automated'))).toMatchObject({
      allowed: true,
      approval: { required: 1, users: [], groups: [], ttlMs: 4 * 3_600_000 },
    });
    expect(await policy.canRead(person('UDEV'), payments)).toBe(true);
  });
});

describe('user groups that cannot be read', () => {
  const broken = () =>
    new CachedGroupMembership({
      fetch: async () => {
        throw new Error('An API error occurred: ratelimited');
      },
    });

  it('refuse with MEMBERSHIP_UNAVAILABLE when a group-scoped allow rule could apply, never trying a looser one', async () => {
    const policy = new FilePolicyEngine(
      parsePolicy(`
version: 1
rules:
  - name: DBA restores need two leads
    actions: [restore]
    usergroups: [SDBA]
    approval: { required: 2, approvers: { users: [ULEAD1, ULEAD2, ULEAD3] } }
  - name: other restores need anyone
    actions: [restore]
    approval: { required: 1 }
  - actions: [read]
`),
      { membership: broken() },
    );
    expect(await policy.decide(ask(person('UDBA', 'COPS'), 'restore.automated'))).toEqual({
      allowed: false,
      code: 'MEMBERSHIP_UNAVAILABLE',
      reason:
        'rule "DBA restores need two leads" may apply, but user group membership could not be checked (An API error occurred: ratelimited)',
    });
    // Rules for other actions are not consulted.
    expect(await policy.canRead(person('UDEV'), payments)).toBe(true);
  });

  it('does not refuse for a rule the channel already rules out', async () => {
    const policy = new FilePolicyEngine(
      parsePolicy(`
version: 1
rules:
  - actions: [restore]
    usergroups: [SDBA]
    channels: [CDBAOPS]
  - actions: [restore]
    approval: { required: 1 }
`),
      { membership: broken() },
    );
    expect(await policy.decide(ask(person('UDEV', 'COPS'), 'restore.automated'))).toMatchObject({
      allowed: true,
      approval: { required: 1 },
    });
    expect(await policy.decide(ask(person('UDEV', 'CDBAOPS'), 'restore.automated'))).toMatchObject({
      allowed: false,
      code: 'MEMBERSHIP_UNAVAILABLE',
    });
  });

  it('makes a deny rule that might apply refuse with MEMBERSHIP_UNAVAILABLE', async () => {
    const policy = new FilePolicyEngine(
      parsePolicy(`
version: 1
rules:
  - { name: contractors never restore, effect: deny, actions: [restore], usergroups: [SCONTRACT] }
  - { actions: ['*'] }
`),
      { membership: broken() },
    );
    expect(await policy.decide(ask(person('UDEV'), 'restore.automated'))).toMatchObject({
      allowed: false,
      code: 'MEMBERSHIP_UNAVAILABLE',
    });
  });

  it('refuses an approver with MEMBERSHIP_UNAVAILABLE unless a readable group includes them', async () => {
    const partly = {
      membersOf: async (group: string) => {
        if (group === 'SBROKEN') throw new Error('ratelimited');
        return ['UDBA'];
      },
    };
    const rule = { required: 1, users: [], groups: ['SBROKEN', 'SDBA'], ttlMs: 60_000 };
    expect(await checkApprover(rule, person('UDBA'), 'UREQ', partly)).toMatchObject({ ok: true });
    expect(await checkApprover(rule, person('UDEV'), 'UREQ', partly)).toEqual({
      ok: false,
      code: 'MEMBERSHIP_UNAVAILABLE',
      reason: 'Could not check user group membership (ratelimited); try again shortly.',
    });
    expect(await checkApprover({ ...rule, groups: ['SDBA'] }, person('UDBA'), 'UREQ')).toMatchObject({
      ok: false,
      code: 'MEMBERSHIP_UNAVAILABLE',
    });
  });

  it('counts user groups named without a way to read them as unreadable', async () => {
    const policy = new FilePolicyEngine(
      parsePolicy(`
version: 1
rules:
  - { actions: [restore], usergroups: [SDBA], approval: { required: 2 } }
  - { actions: [restore], approval: { required: 1 } }
`),
    );
    expect(await policy.decide(ask(person('UDBA'), 'restore.automated'))).toMatchObject({
      allowed: false,
      code: 'MEMBERSHIP_UNAVAILABLE',
    });
  });
});
