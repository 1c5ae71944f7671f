import { z } from 'zod';
import type { ActionRequest, PostMessageRequest, SuggestRequest, ViewRequest } from './page-protocol.js';
import { channels, people } from './people.js';

const personIds = new Set(people.map((p) => p.id));
const channelIds = new Set(channels.map((c) => c.id));

const person = z.string().refine((id) => personIds.has(id), 'is not one of the playground people');
const channel = z.string().refine((id) => channelIds.has(id), 'is not a playground channel');
const id = z.string().min(1).max(255);
const ts = z.string().regex(/^\d+\.\d+$/, 'is not a Slack timestamp');

const source = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('message'), channel, ts }),
  z.object({ kind: z.literal('ephemeral'), id }),
  z.object({ kind: z.literal('view'), viewId: id }),
]);

const option = z.object({
  text: z.object({ type: z.string(), text: z.string(), emoji: z.boolean().optional() }),
  value: z.string().max(2000),
});

/** `state.values` as Slack sends it: block id → action id → the element's value object. */
const stateValues = z.record(z.string(), z.record(z.string(), z.record(z.string(), z.unknown())));

const schemas = {
  message: z.object({
    as: person,
    channel,
    // Slack's own limit for a message's text.
    text: z.string().min(1, 'is empty').max(40_000, 'is longer than Slack takes'),
    threadTs: ts.optional(),
  }) satisfies z.ZodType<PostMessageRequest>,
  action: z.object({
    as: person,
    source,
    blockId: id,
    actionId: id,
    value: z.string().max(2000).optional(),
    option: option.optional(),
    values: z.array(z.string().max(2000)).max(100).optional(),
    state: stateValues.optional(),
  }) satisfies z.ZodType<ActionRequest>,
  view: z.object({ as: person, viewId: id, state: stateValues }) satisfies z.ZodType<ViewRequest>,
  suggest: z.object({
    as: person,
    source,
    blockId: id,
    actionId: id,
    value: z.string().max(2000),
  }) satisfies z.ZodType<SuggestRequest>,
};

export type PageRequestKind = keyof typeof schemas;

export type Parsed<K extends PageRequestKind> =
  { ok: true; request: z.output<(typeof schemas)[K]> } | { ok: false; problem: string };

/** A request from the page, checked; a problem names the field. */
export function parsePageRequest<K extends PageRequestKind>(kind: K, body: unknown): Parsed<K> {
  const result = schemas[kind].safeParse(body);
  if (result.success) return { ok: true, request: result.data as z.output<(typeof schemas)[K]> };
  const issue = result.error.issues[0];
  return { ok: false, problem: `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'is not valid'}` };
}

export function isPerson(id: string | null): id is string {
  return id !== null && personIds.has(id);
}
