import type { OpenView } from './types.js';

/** Slack stacks at most three views in a modal. */
export const maxStackedViews = 3;

export type ViewResult = { ok: true; view: OpenView } | { ok: false; error: string };

/**
 * Open modals: one stack per person (views.open starts one, views.push adds to it, views.update
 * changes a view in place). Each change gets a new hash; an update naming an old hash is refused
 * with `hash_conflict`, as Slack does.
 */
export class Views {
  private readonly byId = new Map<string, OpenView>();
  /** Per person, the ids of their open views, bottom first. */
  private readonly stacks = new Map<string, string[]>();
  private seq = 0;
  private hashSeq = 0;

  constructor(
    private readonly now: () => number,
    private readonly decorate: (view: Record<string, unknown>, open: OpenView) => Record<string, unknown>,
  ) {}

  private nextHash(): string {
    this.hashSeq += 1;
    return `${Math.floor(this.now() / 1000)}.${String(this.hashSeq).padStart(8, '0')}`;
  }

  private create(user: string | undefined, view: Record<string, unknown>, root?: OpenView): OpenView {
    this.seq += 1;
    const id = `V${String(this.seq).padStart(8, '0')}`;
    const open: OpenView = {
      id,
      user,
      view: {},
      hash: this.nextHash(),
      rootViewId: root?.rootViewId ?? id,
      previousViewId: root ? this.top(user)?.id : undefined,
      errors: {},
    };
    open.view = this.decorate(view, open);
    this.byId.set(id, open);
    return open;
  }

  open(user: string | undefined, view: Record<string, unknown>): OpenView {
    if (user !== undefined) for (const id of this.stacks.get(user) ?? []) this.byId.delete(id);
    const open = this.create(user, view);
    if (user !== undefined) this.stacks.set(user, [open.id]);
    return open;
  }

  push(user: string | undefined, view: Record<string, unknown>): ViewResult {
    const stack = user === undefined ? undefined : this.stacks.get(user);
    if (user !== undefined && (!stack || stack.length === 0)) return { ok: false, error: 'not_found' };
    if (stack && stack.length >= maxStackedViews) return { ok: false, error: 'push_limit_reached' };
    const root = stack ? this.byId.get(stack[0] as string) : undefined;
    const open = this.create(user, view, root);
    stack?.push(open.id);
    return { ok: true, view: open };
  }

  update(
    target: { viewId?: string | undefined; externalId?: string | undefined; hash?: string | undefined },
    view: Record<string, unknown>,
  ): ViewResult {
    const open =
      target.viewId !== undefined
        ? this.byId.get(target.viewId)
        : [...this.byId.values()].find(
            (v) => target.externalId !== undefined && v.view.external_id === target.externalId,
          );
    if (!open) return { ok: false, error: 'not_found' };
    if (target.hash !== undefined && target.hash !== open.hash) return { ok: false, error: 'hash_conflict' };
    open.hash = this.nextHash();
    open.view = this.decorate(view, open);
    open.errors = {};
    return { ok: true, view: open };
  }

  setErrors(id: string, errors: Record<string, string>): void {
    const open = this.byId.get(id);
    if (open) open.errors = errors;
  }

  get(id: string): OpenView | undefined {
    return this.byId.get(id);
  }

  /** The person's open views, bottom first. */
  stack(user: string): OpenView[] {
    return (this.stacks.get(user) ?? []).flatMap((id) => this.byId.get(id) ?? []);
  }

  top(user: string | undefined): OpenView | undefined {
    return user === undefined ? undefined : this.stack(user).at(-1);
  }

  /** Closes the view and those stacked on it; `all` closes the person's whole stack. */
  close(user: string, viewId: string, all = false): void {
    const stack = this.stacks.get(user);
    if (!stack) return;
    const at = all ? 0 : stack.indexOf(viewId);
    if (at < 0) return;
    for (const id of stack.splice(at)) this.byId.delete(id);
    if (stack.length === 0) this.stacks.delete(user);
  }

  clear(): void {
    this.byId.clear();
    this.stacks.clear();
  }
}
