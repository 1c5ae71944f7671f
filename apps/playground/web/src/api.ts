import type {
  ActionRequest,
  PageAnswer,
  PageState,
  PostMessageRequest,
  SuggestRequest,
  ViewRequest,
} from '../../src/page-protocol.js';

async function post(path: string, body: unknown): Promise<PageAnswer> {
  try {
    const res = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return (await res.json()) as PageAnswer;
  } catch {
    return { ok: false, error: 'playground_unreachable', detail: 'the playground is not running' };
  }
}

/** What the page asks of the playground's local Slack. */
export const api = {
  async state(as: string): Promise<PageState> {
    const res = await fetch(`/play/state?as=${encodeURIComponent(as)}`);
    if (!res.ok) throw new Error(`the playground answered HTTP ${res.status}`);
    return (await res.json()) as PageState;
  },
  message: (r: PostMessageRequest) => post('/play/message', r),
  action: (r: ActionRequest) => post('/play/action', r),
  submit: (r: ViewRequest) => post('/play/submit', r),
  close: (r: ViewRequest) => post('/play/close', r),
  suggest: (r: SuggestRequest) => post('/play/suggest', r),
};
