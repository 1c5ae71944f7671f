import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runPolicyExplain } from '../src/cli/policy-explain.js';
import { PolicyFileError, parsePolicy } from '../src/index.js';

const example = new URL('../../../examples/policy.example.yaml', import.meta.url).pathname;

async function explain(...argv: string[]): Promise<{ code: number; text: string }> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const code = await runPolicyExplain(['--', '--file', example, ...argv], {}, out);
  return { code, text };
}

describe('pnpm policy:explain on the example policy', () => {
  it('says who may restore production, with what approval, and which rule decided', async () => {
    const { code, text } = await explain(
      '--user',
      'U0DBA1',
      '--groups',
      'S05DBATEAM,S08ONCALL',
      '--channel',
      'C04INCIDENT',
      '--action',
      'restore.automated',
      '--project',
      'Payments',
    );
    expect(code).toBe(0);
    expect(text).toContain(
      'restore.automated on Payments (production) by U0DBA1 (in S05DBATEAM and S08ONCALL) asking from C04INCIDENT:',
    );
    expect(text).toContain('allowed with 2 approvals from U01LEADAAA, U01LEADBBB or U01LEADCCC');
    expect(text).toContain('decided by: rule "production restores need two of the three leads"');
    expect(text).toContain('a reason is required (the incident ticket, e.g. INC-1234), matching ^INC-\\d+');
    expect(text).toContain('approvers are reminded after 15m');
    expect(text).toContain('escalated after 40m to U09CTOAAAA in C04INCIDENT');
    expect(text).toContain('U0DBA1 may break glass');
    expect(text).toContain(
      'rule "contractors never change production": forbids it for members of user group S07CONTRACT',
    );
  });

  it('refuses from a DM, naming the rule and whom it admits (exit 3)', async () => {
    const { code, text } = await explain(
      '--user',
      'U0DBA1',
      '--groups',
      'S05DBATEAM',
      '--action',
      'restore.automated',
      '--project',
      'Payments',
    );
    expect(code).toBe(3);
    expect(text).toContain(
      'refused: rule "production restores need two of the three leads" governs restore.automated',
    );
    expect(text).toContain('decided by: rule "production restores need two of the three leads"');
  });

  it('shows two pools for shortening retention, and the general rule elsewhere', async () => {
    const shorten = await explain(
      '--user',
      'U0DEV',
      '--action',
      'snapshot.retention.shorten',
      '--project',
      'Sandbox',
    );
    expect(shorten.text).toContain(
      'allowed with 1 approval from members of user group S05DBATEAM (dba) and 1 approval from U01LEADAAA, U01LEADBBB or U01LEADCCC (leads)',
    );
    expect(shorten.text).toContain('a reason is required');
    const restore = await explain('--user', 'U0DEV', '--action', 'restore.automated', '--project', 'Sandbox');
    expect(restore.text).toContain('allowed with 1 approval from anyone but the requester');
    expect(restore.text).toContain('decided by: rule "other restores need any second person"');
  });

  it('names what is missing from the question', async () => {
    const { code, text } = await explain('--action', 'restore.sideways');
    expect(code).toBe(1);
    expect(text).toContain('--user is needed');
    expect(text).toContain('--action restore.sideways is not one of');
    expect(text).toContain('--project (or --project-id) is needed');
  });
});

describe('the new rule fields are checked as the file is read', () => {
  const problems = (yaml: string) => {
    try {
      parsePolicy(yaml);
      return [];
    } catch (error) {
      if (!(error instanceof PolicyFileError)) throw error;
      return error.issues.map((i) => `${i.path}: ${i.message}`);
    }
  };
  it('refuses a bad pattern, pools with required, break-glass without approval, reminders after expiry', () => {
    expect(
      problems(`
version: 1
rules:
  - actions: [restore]
    reason: { required: true, pattern: '(' }
  - actions: [export]
    approval:
      required: 1
      pools: [{ name: a, approvers: { users: [U1] } }, { name: a, approvers: { users: [U2] } }]
  - actions: [snapshot]
    reason: maybe
`),
    ).toEqual([
      expect.stringMatching(/^rules\[0\]\.reason\.pattern: is not a regular expression/) as unknown,
      'rules[1].approval.pools: give either pools or required and approvers, not both',
      'rules[1].approval.pools[1].name: a is named twice',
      'rules[2].reason: must be required, or { required: true, prompt: …, pattern: … }',
    ]);
    expect(
      problems(`
version: 1
rules:
  - actions: [restore]
    breakGlass: { users: [U1] }
  - actions: [export]
    approval: { required: 1, ttl: 1h, remindAfter: 2h }
`),
    ).toEqual([
      'rules[0].breakGlass: only a rule that asks for approval can allow break-glass',
      "rules[1].approval.remindAfter: must be shorter than the request's ttl, or the request expires first",
    ]);
  });
});
