import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack } from '../support/slack/fake-slack.js';
import { botToken } from '../support/slack/harness.js';

/** Slack's Web API spec: SLACK_OPENAPI_DIR, else ../shared/slack-openapi beside the repository. */
const specDir = process.env.SLACK_OPENAPI_DIR
  ? resolve(process.env.SLACK_OPENAPI_DIR)
  : resolve(import.meta.dirname, '..', '..', '..', 'shared', 'slack-openapi');
const specFile = join(specDir, 'slack_web_openapi_v2.json');
const available = existsSync(specFile);
if (!available)
  console.log(`[fake-slack] contract checks skipped: Slack's Web API spec is missing at ${specFile}`);

interface Schema {
  $ref?: string;
  type?: string;
  pattern?: string;
  enum?: unknown[];
  required?: string[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean;
  items?: Schema | Schema[];
}

/** What in `value` breaks `schema` (the subset of JSON Schema the Web API's answers use). */
function problems(value: unknown, schema: Schema, defs: Record<string, Schema>, at = ''): string[] {
  const s = schema.$ref ? (defs[schema.$ref.replace('#/definitions/', '')] ?? {}) : schema;
  const out: string[] = [];
  if (s.type === 'string' && typeof value !== 'string') out.push(`${at}: not a string`);
  if (s.type === 'boolean' && typeof value !== 'boolean') out.push(`${at}: not a boolean`);
  if (s.type === 'array' && !Array.isArray(value)) out.push(`${at}: not an array`);
  if (s.enum && !s.enum.includes(value))
    out.push(`${at}: ${String(value)} is not one of ${s.enum.join(', ')}`);
  if (s.type === 'array' && Array.isArray(value) && s.items && !Array.isArray(s.items)) {
    const items = s.items;
    value.forEach((v, i) => out.push(...problems(v, items, defs, `${at}[${i}]`)));
  }
  if (s.pattern && typeof value === 'string' && !new RegExp(s.pattern).test(value))
    out.push(`${at}: ${value} does not match ${s.pattern}`);
  if (s.type === 'object' && value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    for (const key of s.required ?? []) if (!(key in obj)) out.push(`${at}.${key}: missing`);
    for (const [key, v] of Object.entries(obj)) {
      const prop = s.properties?.[key];
      if (prop) out.push(...problems(v, prop, defs, `${at}.${key}`));
      else if (s.additionalProperties === false) out.push(`${at}.${key}: not in the schema`);
    }
  }
  return out;
}

type Operation = { responses: Record<string, { schema: Schema }> };

describe.skipIf(!available)("the Slack simulator's answers against Slack's Web API spec", () => {
  let slack: FakeSlack;
  let spec: {
    paths: Record<string, { get?: Operation; post?: Operation }>;
    definitions: Record<string, Schema>;
  };

  beforeAll(async () => {
    spec = JSON.parse(readFileSync(specFile, 'utf8')) as typeof spec;
    // A workspace id as long as the spec's pattern wants (T and eight more).
    slack = await FakeSlack.start({ teamId: 'T0CONTRACT1' });
    slack.userGroups.set('S0GROUP1', ['U0MEMBER1']);
  });
  afterAll(async () => {
    await slack?.close();
  });

  async function answer(method: string, args: Record<string, unknown> = {}) {
    const res = await fetch(`${slack.apiUrl}${method}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${botToken}`, 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(args),
    });
    const body = (await res.json()) as Record<string, unknown>;
    const path = spec.paths[`/${method}`];
    const schema = (path?.post ?? path?.get)?.responses['200']?.schema;
    expect(schema, `the spec's success schema for ${method}`).toBeDefined();
    return { body, problems: problems(body, schema ?? {}, spec.definitions) };
  }

  it('answers auth.test in the shape of its success schema', async () => {
    const { body, problems: found } = await answer('auth.test');
    expect(found).toEqual([]);
    expect(body.team_id).toBe('T0CONTRACT1');
  });

  it('answers the methods the bot calls in the shapes of their success schemas', async () => {
    const posted = await answer('chat.postMessage', { channel: 'C0CONTRACT1', text: 'hi', blocks: [] });
    expect(posted.problems).toEqual([]);
    const ts = posted.body.ts as string;
    const inThread = await answer('chat.postMessage', { channel: 'C0CONTRACT1', text: 're', thread_ts: ts });
    expect(inThread.problems).toEqual([]);
    expect((await answer('chat.update', { channel: 'C0CONTRACT1', ts, text: 'edited' })).problems).toEqual(
      [],
    );
    expect(
      (await answer('chat.postEphemeral', { channel: 'C0CONTRACT1', user: 'U0MEMBER1', text: 'psst' }))
        .problems,
    ).toEqual([]);
    const group = await answer('usergroups.users.list', { usergroup: 'S0GROUP1' });
    expect(group.problems).toEqual([]);
    expect(group.body.users).toEqual(['U0MEMBER1']);
    for (const method of ['views.open', 'views.update', 'views.push']) {
      const view = { type: 'modal', title: { type: 'plain_text', text: 'x' }, blocks: [] };
      const args = method === 'views.update' ? { view_id: 'V00000001', view } : { trigger_id: '1.2.t', view };
      expect((await answer(method, args)).problems).toEqual([]);
    }
  });
});
