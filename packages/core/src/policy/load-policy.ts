import { z } from 'zod';
import { readEnv, type Env } from '../config.js';
import { FilePolicyEngine, defaultPolicyDocument } from './file-policy.js';
import type { GroupMembership } from './group-membership.js';
import { checkPolicy, type PolicyWarning } from './policy-check.js';
import { ReloadablePolicy } from './reloadable-policy.js';

/**
 * The policy a chat front end runs with: the file named by ATLAS_POLICY_FILE, validated now (a
 * bad file stops the start with every problem listed), or the built-in defaults when unset.
 * `warnings` are what `pnpm policy:check` prints for it, for the front end to log at start.
 */
export function loadPolicy(options: { env?: Env; membership?: GroupMembership } = {}): {
  engine: FilePolicyEngine | ReloadablePolicy;
  source: string;
  warnings: PolicyWarning[];
} {
  const { ATLAS_POLICY_FILE: path } = readEnv(
    { ATLAS_POLICY_FILE: z.string().trim().min(1, 'must be a file path').optional() },
    options.env ?? process.env,
  );
  if (path === undefined) {
    return {
      engine: new FilePolicyEngine(defaultPolicyDocument, { membership: options.membership }),
      source: 'built-in defaults (ATLAS_POLICY_FILE not set)',
      warnings: checkPolicy(defaultPolicyDocument),
    };
  }
  // Reloadable: the bot reloads it on SIGHUP and when the file changes.
  const engine = ReloadablePolicy.open(path, { membership: options.membership });
  return { engine, source: path, warnings: checkPolicy(engine.current.document) };
}
