import type { AuditEntry, AuditSink } from '@atlas-backups/core';
import type { AnyMiddlewareArgs, Logger, Middleware } from '@slack/bolt';
import type { BackgroundTasks } from './tasks.js';
import { checkOrigin, describeWorkspace, type Workspace } from './workspace.js';

export interface WorkspaceGuardOptions {
  /** The pinned workspace; undefined until the bot has started (everything is refused). */
  workspace: () => Workspace | undefined;
  logger: Logger;
  tasks: BackgroundTasks;
  /** Where refused attempts to act are recorded. */
  audit: AuditSink | undefined;
  /** The change a slash command's text asks for, if any: what a refused command is audited as. */
  changeOf: (text: string) => { action: string; params: Record<string, unknown> } | undefined;
  now: () => number;
}

const refusedText = ':no_entry: This Atlas Backups bot serves another Slack workspace; nothing was done.';

type Body = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const obj = (v: unknown): Body =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Body) : {};

/** What a refused request would have done, when it was an attempt to act (a change, a click, a form). */
function attempt(
  body: Body,
  changeOf: WorkspaceGuardOptions['changeOf'],
): { action: string; params: Record<string, unknown> } | undefined {
  if (typeof body.command === 'string') return changeOf(str(body.text) ?? '');
  if (body.type === 'block_actions') {
    const first = obj(Array.isArray(body.actions) ? body.actions[0] : undefined);
    return { action: `slack.click:${str(first.action_id) ?? '?'}`, params: { value: str(first.value) } };
  }
  if (body.type === 'view_submission')
    return { action: `slack.submit:${str(obj(body.view).callback_id) ?? '?'}`, params: {} };
  return undefined;
}

/**
 * Bolt's first middleware: a request (HTTP or Socket Mode) from any workspace but the pinned
 * one is acknowledged (so Slack does not retry it), answered with a refusal when it was a
 * command, logged, and audited when it was an attempt to act. No listener sees it.
 */
export function workspaceGuard(options: WorkspaceGuardOptions): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const pinned = options.workspace();
    const checked = checkOrigin(pinned, args.body);
    if (checked.ok) {
      await args.next();
      return;
    }
    const body = obj(args.body);
    const serves = pinned ? describeWorkspace(pinned) : 'no workspace yet (still starting)';
    const message = `request from ${checked.origin}; this bot serves ${serves}`;
    options.logger.warn(`Refused a Slack request: ${message}.`);
    if ('ack' in args && typeof args.ack === 'function') {
      const ack = args.ack as (response?: unknown) => Promise<void>;
      await ack(
        typeof body.command === 'string' ? { response_type: 'ephemeral', text: refusedText } : undefined,
      );
    }
    const tried = attempt(body, options.changeOf);
    const audit = options.audit;
    if (!tried || !audit) return;
    const user = obj(body.user);
    const entry: AuditEntry = {
      at: new Date(options.now()).toISOString(),
      event: 'refused',
      actor: {
        id: str(body.user_id) ?? str(user.id) ?? 'unknown',
        displayName: str(body.user_name) ?? str(user.username) ?? str(user.name),
        source: 'slack',
      },
      action: tried.action,
      params: tried.params,
      error: { code: 'WORKSPACE_NOT_ALLOWED', message },
    };
    options.tasks.run('audit a request from another workspace', async () => {
      await audit.append(entry);
    });
  };
}
