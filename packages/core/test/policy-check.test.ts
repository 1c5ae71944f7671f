import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPolicy, formatPolicyWarning, parsePolicy } from '../src/index.js';
import { runPolicyCheck } from '../src/cli/policy-check.js';

const bypass = `
version: 1
rules:
  - name: restores need two leads
    actions: [restore.automated, restore.pointInTime]
    usergroups: [SDBA]
    channels: [COPS]
    approval: { required: 2, approvers: { users: [ULEAD1, ULEAD2, ULEAD3] } }
  - name: other restores need anyone
    actions: [restore]
    approval: { required: 1 }
`;

describe('policy warnings', () => {
  it('warns when a looser rule catches what a stricter rule for the same action and project leaves out', () => {
    expect(checkPolicy(parsePolicy(bypass)).map(formatPolicyWarning)).toEqual([
      'rules[1] ("other restores need anyone"): catches restore.automated and restore.pointInTime requests that rules[0] ("restores need two leads") leaves out (it applies only to members of user group SDBA asking from COPS), with a looser approval: 1 approval from anyone but the requester instead of 2 approvals from ULEAD1, ULEAD2 or ULEAD3. If rules[0] is meant to be the only way, add `otherwise: deny` to it.',
    ]);
    // Saying so, or giving the looser rule the same conditions, settles it.
    expect(
      checkPolicy(parsePolicy(bypass.replace('channels: [COPS]', 'channels: [COPS]\n    otherwise: deny'))),
    ).toEqual([]);
    expect(
      checkPolicy(
        parsePolicy(bypass.replace('approval: { required: 1 }', 'usergroups: [SDBA]\n    channels: [COPS]')),
      ),
    ).toEqual([]);
    expect(
      checkPolicy(
        parsePolicy(
          bypass.replace(
            'approval: { required: 1 }',
            'approval: { required: 2, approvers: { users: [ULEAD1, ULEAD2] } }',
          ),
        ),
      ),
    ).toEqual([]);
  });

  it('does not warn where a rule naming projects replaces the looser one', () => {
    const scoped = bypass.replace(
      'channels: [COPS]',
      'channels: [COPS]\n    projects: [{ production: true }]',
    );
    expect(checkPolicy(parsePolicy(scoped))).toEqual([]);
  });

  it('warns across rules naming projects that may overlap, but not disjoint ones', () => {
    const text = (second: string) => `
version: 1
rules:
  - name: payments restores are for DBAs
    actions: [restore]
    projects: [{ name: Payments }]
    usergroups: [SDBA]
    approval: { required: 1 }
  - name: production restores
    actions: [restore]
    projects: [${second}]
`;
    expect(checkPolicy(parsePolicy(text('{ production: true }')))).toHaveLength(1);
    expect(checkPolicy(parsePolicy(text('{ name: Billing }')))).toEqual([]);
  });

  it('warns when a looser rule above makes a stricter one unreachable', () => {
    const warnings = checkPolicy(
      parsePolicy(`
version: 1
rules:
  - name: ops may restore
    actions: [restore]
    channels: [COPS]
  - name: DBA restores need two leads
    actions: [restore.automated]
    channels: [COPS]
    usergroups: [SDBA]
    approval: { required: 2, approvers: { users: [ULEAD1, ULEAD2] } }
`),
    );
    expect(warnings.map(formatPolicyWarning)).toEqual([
      'rules[1] ("DBA restores need two leads"): never applies to restore.automated: rules[0] ("ops may restore") above it catches the same requests first, with a looser approval (none instead of 2 approvals from ULEAD1 or ULEAD2). Move it above rules[0].',
    ]);
  });

  it('points out a rule naming projects that stands below a general one it replaces', () => {
    const warnings = checkPolicy(
      parsePolicy(`
version: 1
rules:
  - name: restores need a second person
    actions: [restore]
    approval: { required: 1 }
  - name: sandbox restores need nobody
    actions: [restore.automated]
    projects: [{ name: Sandbox }]
`),
    );
    expect(warnings.map(formatPolicyWarning)).toEqual([
      'rules[1] ("sandbox restores need nobody"): names projects, so for restore.automated on them it replaces rules[0] ("restores need a second person"), which stands above it; move it above rules[0] so the file reads in the order it applies.',
    ]);
  });
});

describe('pnpm policy:check', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'policy-check-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function run(argv: string[], env: Record<string, string | undefined> = {}) {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const code = runPolicyCheck(argv, env, out);
    out.end();
    return { code, text: Buffer.concat(chunks).toString('utf8') };
  }

  const write = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('says a clean file is valid, and exits 0', async () => {
    const path = write('clean.yaml', 'version: 1\nrules:\n  - actions: [read]\n');
    expect(await run(['--', '--file', path])).toEqual({
      code: 0,
      text: `${path}: valid, 1 rule, no warnings.\n`,
    });
    expect((await run([], { ATLAS_POLICY_FILE: path })).code).toBe(0);
  });

  it('prints every warning and exits 2', async () => {
    const path = write('bypass.yaml', bypass);
    const { code, text } = await run(['--file', path]);
    expect(code).toBe(2);
    expect(text).toContain(`${path}: valid, 2 rules, 1 warning:\n`);
    expect(text).toContain('  rules[1] ("other restores need anyone"): catches restore.automated');
  });

  it('lists every problem of an invalid file and exits 1', async () => {
    const path = write(
      'bad.yaml',
      'version: 1\nrules:\n  - actions: [restore.everything]\n    users: [bob]\n',
    );
    const { code, text } = await run(['--file', path]);
    expect(code).toBe(1);
    expect(text).toContain('is not a valid policy (2 problems)');
    expect(text).toContain('rules[0].users[0]: must be a Slack user id');
  });

  it('says what to give when there is no file', async () => {
    const { code, text } = await run([]);
    expect(code).toBe(1);
    expect(text).toContain('No policy file given: use --file <policy.yaml> or set ATLAS_POLICY_FILE');
  });

  it('runs as a command', () => {
    const path = write('bypass-cmd.yaml', bypass);
    const root = new URL('../../../', import.meta.url).pathname;
    let status = 0;
    let stdout = '';
    try {
      execFileSync(
        process.execPath,
        ['--conditions=source', '--import', 'tsx', 'packages/core/src/cli/policy-check.ts', '--file', path],
        { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
      );
    } catch (error) {
      const e = error as { status: number; stdout: string };
      status = e.status;
      stdout = e.stdout;
    }
    expect(status).toBe(2);
    expect(stdout).toContain('1 warning');
  });
});
