import { createHash } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Actor } from '../actions/types.js';
import type { Project } from '../schemas/projects.js';
import type { PolicyExplanation } from './explain.js';
import { FilePolicyEngine, type FilePolicyEngineOptions } from './file-policy.js';
import { checkPolicy, type PolicyWarning } from './policy-check.js';
import { PolicyFileError, parsePolicy, readPolicyText } from './policy-file.js';
import type { PolicyDecision, PolicyEngine, PolicyInput } from './types.js';

type ProjectFacts = Pick<Project, 'id' | 'name' | 'tags'>;
type EngineOptions = Omit<FilePolicyEngineOptions, 'version'>;

export type PolicyReload =
  | { ok: true; version: string; changed: boolean; warnings: PolicyWarning[] }
  | { ok: false; error: PolicyFileError };

/** A short digest of the policy's text: which version decided a request. */
export function policyVersion(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

/**
 * The policy file, reloadable without a restart. `reload()` reads and validates the file; a valid
 * new version takes over for every decision from then on, an invalid one is refused and the
 * version in force stays. Requests already open are unaffected: each keeps the rule it was opened
 * under, stored with it. `watch()` reloads when the file changes.
 */
export class ReloadablePolicy implements PolicyEngine {
  private engine: FilePolicyEngine;
  private watcher: FSWatcher | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  private constructor(
    readonly path: string,
    private readonly options: EngineOptions,
    engine: FilePolicyEngine,
  ) {
    this.engine = engine;
  }

  /** Reads the file now; an invalid one throws PolicyFileError (a start refuses it). */
  static open(path: string, options: EngineOptions = {}): ReloadablePolicy {
    return new ReloadablePolicy(path, options, ReloadablePolicy.read(path, options));
  }

  private static read(path: string, options: EngineOptions): FilePolicyEngine {
    const text = readPolicyText(path);
    return new FilePolicyEngine(parsePolicy(text, path), { ...options, version: policyVersion(text) });
  }

  /** The version in force. */
  get current(): FilePolicyEngine {
    return this.engine;
  }

  get document(): FilePolicyEngine['document'] {
    return this.engine.document;
  }

  get version(): string | undefined {
    return this.engine.version;
  }

  /** Reads the file again: a valid version replaces the one in force; an invalid one is refused. */
  reload(): PolicyReload {
    let next: FilePolicyEngine;
    try {
      next = ReloadablePolicy.read(this.path, this.options);
    } catch (error) {
      if (error instanceof PolicyFileError) return { ok: false, error };
      throw error;
    }
    const changed = next.version !== this.engine.version;
    if (changed) this.engine = next;
    return { ok: true, version: next.version ?? '', changed, warnings: checkPolicy(next.document) };
  }

  /**
   * Reloads after the file changes (its directory is watched, so editors that replace the file
   * are seen), once the writes have settled for `settleMs`. `onReload` gets every result.
   */
  watch(onReload: (result: PolicyReload) => void, settleMs = 200): void {
    this.unwatch();
    const name = basename(this.path);
    this.watcher = watch(dirname(this.path), (_event, file) => {
      if (file !== null && file !== name) return;
      if (this.timer !== undefined) clearTimeout(this.timer);
      this.timer = setTimeout(() => {
        this.timer = undefined;
        const result = this.reload();
        if (!result.ok || result.changed) onReload(result);
      }, settleMs);
      this.timer.unref();
    });
    this.watcher.unref();
  }

  unwatch(): void {
    this.watcher?.close();
    this.watcher = undefined;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  decide(input: PolicyInput): Promise<PolicyDecision> {
    return this.engine.decide(input);
  }

  canRead(actor: Actor, project: ProjectFacts): Promise<boolean> {
    return this.engine.canRead(actor, project);
  }

  isProduction(project: ProjectFacts): boolean {
    return this.engine.isProduction(project);
  }

  explain = (input: { actor: Actor; action: string; project: ProjectFacts }): Promise<PolicyExplanation> =>
    this.engine.explain(input);
}
