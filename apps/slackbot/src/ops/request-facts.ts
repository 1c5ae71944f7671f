import { guessTopic } from '../commands/parse.js';

export type RequestKind = 'command' | 'click' | 'form' | 'options' | 'shortcut' | 'event' | 'other';

/** What a Slack request is, in words fit for metric labels: a small, fixed set of values. */
export interface RequestFacts {
  kind: RequestKind;
  /** The command (`snapshot take`), action id or form callback id; `other` for anything unknown. */
  name: string;
  user: string | undefined;
}

/** Ids the bot gives its own buttons and forms; anything else is labelled `other`. */
const idPattern = /^[A-Za-z][A-Za-z0-9_.:-]{0,63}$/;

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
/** An object's fields, or none when it is not an object. */
export const rec = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
const id = (value: unknown): string => {
  const s = str(value);
  return s !== undefined && idPattern.test(s) ? s : 'other';
};

/** The `/atlas` command a text asks for (`snapshot take orders-prod` → `snapshot take`). */
export function commandName(text: string): string {
  if (text.trim() === '') return 'help';
  return guessTopic(text) ?? 'other';
}

export function requestFacts(body: Record<string, unknown>): RequestFacts {
  if (typeof body.command === 'string')
    return { kind: 'command', name: commandName(str(body.text) ?? ''), user: str(body.user_id) };
  const user = str(rec(body.user).id);
  switch (body.type) {
    case 'block_actions': {
      const actions = Array.isArray(body.actions) ? (body.actions as unknown[]) : [];
      return { kind: 'click', name: id(rec(actions[0]).action_id), user };
    }
    case 'view_submission':
    case 'view_closed':
      return { kind: 'form', name: id(rec(body.view).callback_id), user };
    case 'block_suggestion':
      return { kind: 'options', name: id(body.action_id), user };
    case 'shortcut':
    case 'message_action':
      return { kind: 'shortcut', name: id(body.callback_id), user };
    case 'event_callback':
      return { kind: 'event', name: id(rec(body.event).type), user: str(rec(body.event).user) };
    default:
      return { kind: 'other', name: 'other', user };
  }
}
