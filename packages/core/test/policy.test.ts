import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CachedGroupMembership,
  FilePolicyEngine,
  PolicyFileError,
  StaticGroupMembership,
  checkApprover,
  defaultPolicyDocument,
  loadPolicy,
  parseDuration,
  parsePolicy,
  readPolicyFile,
  type ActionPreview,
  type Actor,
  type PolicyInput,
} from '../src/index.js';

const prodProject = {
  id: 'aaaaaaaaaaaaaaaaaaaaaaaa',
  name: 'Production',
  tags: [{ key: 'environment', value: 'production' }],
};
const stagingProject = {
  id: 'bbbbbbbbbbbbbbbbbbbbbbbb',
  name: 'Staging',
  tags: [{ key: 'environment', value: 'staging' }],
};

const alice: Actor = { id: 'UALICE', source: 'slack', channel: 'COPS' };
const bob: Actor = { id: 'UBOB', source: 'slack', channel: 'COPS' };

function preview(action: string, risk: ActionPreview['risk'] = 'destructive'): ActionPreview {
  return {
    action,
    title: action,
    lines: [],
    warnings: [],
    risk,
    projectId: prodProject.id,
    production: true,
  };
}

function input(
  actor: Actor,
  action: PolicyInput['action'],
  project = prodProject,
  risk?: ActionPreview['risk'],
): PolicyInput {
  return { actor, action, project, preview: preview(action, risk) };
}

function issuesOf(text: string): string[] {
  try {
    parsePolicy(text, 'test.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyFileError);
    expect((error as PolicyFileError).code).toBe('INVALID_CONFIG');
    return (error as PolicyFileError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  throw new Error('expected the policy to be refused');
}

describe('policy file validation', () => {
  it('names the path of every problem in the file', () => {
    const issues = issuesOf(`
version: 1
rules:
  - actions: [read]
  - actions: [restore.automated]
    users: [alice]
  - actions: [restore.everything]
    approval:
      required: 0
      ttl: soon
  - actions: [export.create]
    projects: [{ id: 'nope' }]
    approval: { required: 3, approvers: { users: [UA, UB] } }
  - actions: [snapshot.take]
    effect: deny
    approval: { required: 1 }
    colour: blue
`);
    expect(issues).toEqual(
      expect.arrayContaining([
        'rules[1].users[0]: must be a Slack user id such as U0123ABCD (not a name or @handle)',
        expect.stringMatching(/^rules\[2\]\.actions\[0\]: must be \* or one of read, snapshot\.take/),
        'rules[2].approval.required: must be at least 1',
        'rules[2].approval.ttl: must be a duration such as 30m, 2h or 1d',
        'rules[3].projects[0].id: must be a 24-hexadecimal-digit Atlas project id',
        'rules[3].approval.required: needs 3 approvers but approvers.users lists only 2',
        'rules[4].approval: a deny rule cannot ask for approval',
        'rules[4].colour: is not a policy field (check the spelling)',
      ]),
    );
  });

  it('reports YAML syntax errors by line and column, and the file in the message', () => {
    const error = (() => {
      try {
        parsePolicy('version: 1\nrules:\n  - actions: [read\n', 'policy.yaml');
      } catch (e) {
        return e as PolicyFileError;
      }
      throw new Error('accepted');
    })();
    expect(error.issues[0]?.path).toMatch(/^line \d+, column \d+$/);
    expect(error.message).toContain('ATLAS_POLICY_FILE: policy.yaml is not a valid policy');
    expect(error.variable).toBe('ATLAS_POLICY_FILE');
  });

  it('requires a version and at least one rule, and accepts JSON', () => {
    expect(issuesOf('{"rules": []}')).toEqual([
      'version: must be 1',
      'rules: must contain at least one rule',
    ]);
    const doc = parsePolicy('{"version": 1, "rules": [{"actions": ["*"]}]}');
    expect(doc.rules[0]).toMatchObject({ effect: 'allow', actions: ['*'] });
  });

  it('reads ATLAS_POLICY_FILE at start and names the variable when the file is missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'policy-'));
    const file = join(dir, 'policy.yaml');
    writeFileSync(file, 'version: 1\nrules:\n  - actions: [read]\n    users: [UALICE]\n');
    const { engine, source } = loadPolicy({ env: { ATLAS_POLICY_FILE: file } });
    expect(source).toBe(file);
    expect(engine.document.rules).toHaveLength(1);
    expect(() => loadPolicy({ env: { ATLAS_POLICY_FILE: join(dir, 'missing.yaml') } })).toThrow(
      /ATLAS_POLICY_FILE: .*missing\.yaml is not a valid policy[\s\S]*cannot be read: no such file/,
    );
    expect(loadPolicy({ env: {} }).source).toMatch(/built-in defaults/);
  });

  it('validates the example policy shipped in the repository', () => {
    const doc = readPolicyFile(new URL('../../../examples/policy.example.yaml', import.meta.url).pathname);
    expect(doc.rules.length).toBeGreaterThan(3);
  });

  it('parses durations', () => {
    expect(parseDuration('30m')).toBe(1_800_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('2 h')).toBe(7_200_000);
    expect(parseDuration('soon')).toBeUndefined();
    expect(parseDuration('10')).toBeUndefined();
  });
});

describe('default policy (no file)', () => {
  const policy = new FilePolicyEngine(defaultPolicyDocument);

  it('lets anyone read, take snapshots and lengthen retention without approval', async () => {
    expect(await policy.canRead(alice, prodProject)).toBe(true);
    expect(await policy.decide(input(alice, 'snapshot.take', prodProject, 'safe'))).toEqual({
      allowed: true,
    });
    expect(await policy.decide(input(alice, 'snapshot.retention', prodProject, 'safe'))).toEqual({
      allowed: true,
    });
  });

  it('asks one approver other than the requester for restores, exports and shorter retention', async () => {
    for (const action of [
      'restore.automated',
      'restore.pointInTime',
      'restore.download',
      'export.create',
    ] as const) {
      const decision = await policy.decide(input(alice, action, stagingProject));
      expect(decision).toMatchObject({
        allowed: true,
        approval: { required: 1, users: [], groups: [], ttlMs: 4 * 3_600_000 },
      });
    }
    const shorten = await policy.decide(input(alice, 'snapshot.retention', stagingProject, 'destructive'));
    expect(shorten).toMatchObject({ allowed: true, approval: { required: 1 } });
    const rule = shorten.allowed ? shorten.approval : undefined;
    expect(rule).toBeDefined();
    if (!rule) return;
    expect(await checkApprover(rule, alice, alice.id)).toMatchObject({ ok: false, code: 'SELF_APPROVAL' });
    expect(await checkApprover(rule, bob, alice.id)).toMatchObject({ ok: true });
  });

  it('treats Atlas-tagged production projects as production', () => {
    expect(policy.isProduction(prodProject)).toBe(true);
    expect(policy.isProduction(stagingProject)).toBe(false);
  });
});

describe('file policy rules', () => {
  const text = `
version: 1
production:
  - name: Staging
defaults:
  approvalTtl: 30m
rules:
  - name: interns never restore
    effect: deny
    actions: [restore]
    usergroups: [SINTERNS]
  - name: production restores need two DBAs
    actions: [restore.*]
    projects: [{ production: true }]
    usergroups: [SDBAS, SINTERNS]
    approval: { required: 2, approvers: { usergroups: [SDBAS] }, ttl: 2h }
  - name: shortening needs the lead
    actions: [snapshot.retention.shorten]
    approval: { required: 1, approvers: { users: [ULEAD] } }
  - name: ops channel may do the rest
    actions: ['*']
    channels: [COPS]
`;
  const membership = new StaticGroupMembership({
    SDBAS: ['UALICE', 'UBOB', 'UCAROL'],
    SINTERNS: ['UINTERN'],
  });
  const policy = new FilePolicyEngine(parsePolicy(text), { membership });

  it('lets a deny rule win wherever it stands', async () => {
    const intern: Actor = { id: 'UINTERN', source: 'slack', channel: 'COPS' };
    const d = await policy.decide(input(intern, 'restore.automated'));
    expect(d).toEqual({ allowed: false, reason: 'rule "interns never restore" forbids it' });
    // ...but the intern still gets everything else from the channel rule.
    expect(await policy.decide(input(intern, 'snapshot.take', prodProject, 'safe'))).toEqual({
      allowed: true,
    });
  });

  it('uses the first matching allow rule, with its approval', async () => {
    const d = await policy.decide(input(alice, 'restore.automated'));
    expect(d).toMatchObject({
      allowed: true,
      approval: { required: 2, users: [], groups: ['SDBAS'], ttlMs: 7_200_000 },
    });
  });

  it('marks projects production by name in the file as well as by tag', async () => {
    expect(policy.isProduction(stagingProject)).toBe(true);
    const d = await policy.decide(input(alice, 'restore.download', stagingProject));
    expect(d).toMatchObject({ allowed: true, approval: { required: 2 } });
  });

  it('distinguishes shortening retention from lengthening it', async () => {
    expect(await policy.decide(input(alice, 'snapshot.retention', prodProject, 'destructive'))).toMatchObject(
      {
        allowed: true,
        approval: { required: 1, users: ['ULEAD'], groups: [], ttlMs: 1_800_000 },
      },
    );
    expect(await policy.decide(input(alice, 'snapshot.retention', prodProject, 'safe'))).toEqual({
      allowed: true,
    });
  });

  it('applies the stricter of source and target project to a cross-project restore', async () => {
    const analytics = { id: 'cccccccccccccccccccccccc', name: 'Analytics', tags: [] };
    const restore = { ...input(alice, 'restore.automated', analytics), target: prodProject };
    expect(await policy.decide(restore)).toMatchObject({ allowed: true, approval: { required: 2 } });
    const intern: Actor = { id: 'UINTERN', source: 'slack', channel: 'COPS' };
    const strict = new FilePolicyEngine(
      parsePolicy(`
version: 1
rules:
  - { effect: deny, actions: [restore], projects: [{ production: true }], users: [UINTERN] }
  - { actions: ['*'] }
`),
    );
    expect(
      await strict.decide({ ...input(intern, 'restore.automated', analytics), target: prodProject }),
    ).toEqual({
      allowed: false,
      reason: "rules[0] forbids it (the restore's target)",
    });
    expect(await strict.decide(input(intern, 'restore.automated', analytics))).toEqual({
      allowed: true,
    });
  });

  it('refuses when no rule matches, saying so', async () => {
    const elsewhere: Actor = { id: 'UALICE', source: 'slack', channel: 'CRANDOM' };
    const d = await policy.decide(input(elsewhere, 'snapshot.take', prodProject, 'safe'));
    expect(d).toEqual({
      allowed: false,
      reason:
        'no policy rule lets you snapshot.take on Production (aaaaaaaaaaaaaaaaaaaaaaaa) from this channel',
    });
    expect(await policy.canRead(elsewhere, prodProject)).toBe(false);
  });

  it('refuses a request nobody but the requester could approve', async () => {
    const lead: Actor = { id: 'ULEAD', source: 'slack', channel: 'COPS' };
    const d = await policy.decide(input(lead, 'snapshot.retention', prodProject, 'destructive'));
    expect(d).toEqual({
      allowed: false,
      reason:
        'rule "shortening needs the lead" needs 1 approver other than you, but only 0 people are listed',
    });
  });

  it('checks approvers against user group membership and explains refusals', async () => {
    const rule = { required: 2, users: [], groups: ['SDBAS'], ttlMs: 1 };
    expect(await checkApprover(rule, bob, alice.id, membership)).toMatchObject({ ok: true });
    expect(await checkApprover(rule, { id: 'UINTERN', source: 'slack' }, alice.id, membership)).toEqual({
      ok: false,
      code: 'NOT_AN_APPROVER',
      reason: 'Only a member of user group SDBAS may approve this request.',
    });
  });

  it('works from explicit user lists when the workspace has no user groups', async () => {
    const free = new FilePolicyEngine(
      parsePolicy(`
version: 1
rules:
  - actions: [restore]
    users: [UALICE, UBOB]
    approval: { required: 1, approvers: { users: [UALICE, UBOB] } }
`),
    );
    expect(await free.decide(input(alice, 'restore.automated'))).toMatchObject({
      allowed: true,
      approval: { users: ['UALICE', 'UBOB'], groups: [] },
    });
    expect(await free.decide(input({ id: 'UEVE', source: 'slack' }, 'restore.automated'))).toMatchObject({
      allowed: false,
    });
  });
});

describe('cached group membership', () => {
  it('shares one fetch among concurrent lookups, caches for the TTL, and refetches after', async () => {
    let t = 0;
    const calls: string[] = [];
    const cache = new CachedGroupMembership({
      fetch: async (g) => {
        calls.push(g);
        await new Promise((r) => setImmediate(r));
        return [`${g}-member-${calls.length}`];
      },
      ttlMs: 1_000,
      now: () => t,
    });
    const results = await Promise.all(Array.from({ length: 50 }, () => cache.membersOf('S1')));
    expect(new Set(results.map((r) => r.join()))).toEqual(new Set(['S1-member-1']));
    expect(calls).toEqual(['S1']);
    t = 999;
    await cache.membersOf('S1');
    expect(calls).toHaveLength(1);
    t = 1_000;
    expect(await cache.membersOf('S1')).toEqual(['S1-member-2']);
    expect(calls).toHaveLength(2);
  });

  it('falls back to a stale list when the source fails, and throws without one', async () => {
    let t = 0;
    let fail = false;
    const cache = new CachedGroupMembership({
      fetch: async () => {
        if (fail) throw new Error('ratelimited');
        return ['UA'];
      },
      ttlMs: 10,
      staleIfErrorMs: 100,
      now: () => t,
    });
    expect(await cache.membersOf('S1')).toEqual(['UA']);
    fail = true;
    t = 50;
    expect(await cache.membersOf('S1')).toEqual(['UA']);
    t = 200;
    await expect(cache.membersOf('S1')).rejects.toThrow('ratelimited');
    await expect(cache.membersOf('S2')).rejects.toThrow('ratelimited');
  });

  it('makes a policy fail closed when membership cannot be read', async () => {
    const broken = new CachedGroupMembership({
      fetch: async () => {
        throw new Error('missing_scope');
      },
    });
    const policy = new FilePolicyEngine(
      parsePolicy('version: 1\nrules:\n  - actions: [read]\n    usergroups: [SOPS]\n'),
      { membership: broken },
    );
    const d = await policy.decide({ ...input(alice, 'snapshot.take', prodProject, 'safe') });
    expect(d).toMatchObject({ allowed: false });
    expect(await policy.canRead(alice, prodProject)).toBe(false);
    const rule = { required: 1, users: [], groups: ['SOPS'], ttlMs: 1 };
    expect(await checkApprover(rule, bob, alice.id, broken)).toMatchObject({
      ok: false,
      code: 'MEMBERSHIP_UNAVAILABLE',
    });
  });
});
