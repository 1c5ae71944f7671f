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
  required?: string[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean;
}

/** What in `value` breaks `schema` (the subset of JSON Schema the auth.test schema uses). */
function problems(value: unknown, schema: Schema, defs: Record<string, Schema>, at = ''): string[] {
  const s = schema.$ref ? (defs[schema.$ref.replace('#/definitions/', '')] ?? {}) : schema;
  const out: string[] = [];
  if (s.type === 'string' && typeof value !== 'string') out.push(`${at}: not a string`);
  if (s.type === 'boolean' && typeof value !== 'boolean') out.push(`${at}: not a boolean`);
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

describe.skipIf(!available)("the fake Slack's answers against Slack's Web API spec", () => {
  let slack: FakeSlack;
  let spec: {
    paths: Record<string, { get?: { responses: Record<string, { schema: Schema }> } }>;
    definitions: Record<string, Schema>;
  };

  beforeAll(async () => {
    spec = JSON.parse(readFileSync(specFile, 'utf8')) as typeof spec;
    slack = await FakeSlack.start();
  });
  afterAll(async () => {
    await slack?.close();
  });

  it('answers auth.test in the shape of its success schema', async () => {
    const schema = spec.paths['/auth.test']?.get?.responses['200']?.schema;
    expect(schema).toBeDefined();
    const res = await fetch(`${slack.apiUrl}auth.test`, {
      method: 'POST',
      headers: { authorization: `Bearer ${botToken}` },
    });
    const body = (await res.json()) as Record<string, unknown>;
    expect(problems(body, schema ?? {}, spec.definitions)).toEqual([]);
    expect(body.team_id).toBe('T0000001');
  });
});
