import { z } from 'zod';

/** The two ways Slack posts to a request URL. */
export type SlackContentType = 'form' | 'json';

/** `application/x-www-form-urlencoded` or `application/json` (any parameters), else undefined. */
export function slackContentType(header: string | string[] | undefined): SlackContentType | undefined {
  if (typeof header !== 'string') return undefined;
  const media = header.split(';', 1)[0]?.trim().toLowerCase();
  if (media === 'application/x-www-form-urlencoded') return 'form';
  if (media === 'application/json') return 'json';
  return undefined;
}

export type ParsedBody = { ok: true; body: Record<string, unknown> } | { ok: false; problem: string };

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

const id = z.string().min(1);
const user = z.looseObject({ id });
/**
 * The fields Bolt and the bot's listeners read before anything else, for the kinds the bot
 * handles; other fields are read tolerantly where they are used. Other kinds pass as they are.
 */
const shapes: Record<string, z.ZodType> = {
  command: z.looseObject({
    command: z.string(),
    team_id: id,
    user_id: id,
    channel_id: id,
    text: z.string().optional(),
    response_url: z.string().optional(),
    trigger_id: z.string().optional(),
  }),
  block_actions: z.looseObject({
    user,
    actions: z.array(z.looseObject({ action_id: z.string(), type: z.string().optional() })).min(1),
    container: z.looseObject({ type: z.string() }),
    channel: z.looseObject({ id }).nullish(),
    view: z.looseObject({ id: z.string().optional() }).nullish(),
  }),
  view_submission: z.looseObject({
    user,
    view: z.looseObject({
      callback_id: z.string(),
      private_metadata: z.string().optional(),
      state: z.looseObject({ values: z.record(z.string(), z.record(z.string(), z.looseObject({}))) }),
    }),
  }),
  view_closed: z.looseObject({ user, view: z.looseObject({ callback_id: z.string() }) }),
  block_suggestion: z.looseObject({ user, action_id: z.string() }),
  event_callback: z.looseObject({ event: z.looseObject({ type: z.string() }) }),
};

/**
 * A verified body as the object Bolt dispatches: a slash command's form fields, an
 * interaction's `payload` JSON, or a JSON body. Anything Slack would not send (no object, a
 * repeated field, neither a `command` nor a `type`) is refused here with what was wrong, so no
 * listener ever sees a body of the wrong shape. Field names become own properties only.
 */
export function parseSlackBody(kind: SlackContentType, raw: string): ParsedBody {
  let body: unknown;
  if (kind === 'form') {
    const fields = new URLSearchParams(raw);
    const keys = [...fields.keys()];
    if (new Set(keys).size !== keys.length) return { ok: false, problem: 'a form field is repeated' };
    const payload = fields.get('payload');
    if (payload === null) body = Object.fromEntries(fields);
    else {
      const parsed = parseJson(payload);
      if (!parsed.ok) return { ok: false, problem: `payload is not JSON (${parsed.problem})` };
      body = parsed.value;
    }
  } else {
    const parsed = parseJson(raw);
    if (!parsed.ok) return { ok: false, problem: `the body is not JSON (${parsed.problem})` };
    body = parsed.value;
  }
  if (!isObject(body)) return { ok: false, problem: 'the body is not an object' };
  if (body.ssl_check === '1') return { ok: true, body };
  if (typeof body.command !== 'string' && typeof body.type !== 'string')
    return { ok: false, problem: 'the body has neither a command nor a type' };
  const kindName = typeof body.command === 'string' ? 'command' : String(body.type);
  const shape = shapes[kindName];
  const checked = shape?.safeParse(body);
  if (checked && !checked.success) {
    const issue = checked.error.issues[0];
    const at = issue?.path.join('.') || '(top level)';
    return { ok: false, problem: `a ${kindName} body with ${at} missing or malformed` };
  }
  return { ok: true, body };
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; problem: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    // Deeply nested input can exhaust the stack (RangeError): refused like any other bad JSON.
    return { ok: false, problem: error instanceof Error ? error.name : 'unreadable' };
  }
}
