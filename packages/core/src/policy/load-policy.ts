import { z } from 'zod';
import { readEnv, type Env } from '../config.js';
import { FilePolicyEngine, defaultPolicyDocument } from './file-policy.js';
import type { GroupMembership } from './group-membership.js';
import { readPolicyFile } from './policy-file.js';

/**
 * The policy a chat front end runs with: the file named by ATLAS_POLICY_FILE, validated now (a
 * bad file stops the start with every problem listed), or the built-in defaults when unset.
 */
export function loadPolicy(options: { env?: Env; membership?: GroupMembership } = {}): {
  engine: FilePolicyEngine;
  source: string;
} {
  const { ATLAS_POLICY_FILE: path } = readEnv(
    { ATLAS_POLICY_FILE: z.string().trim().min(1, 'must be a file path').optional() },
    options.env ?? process.env,
  );
  if (path === undefined) {
    return {
      engine: new FilePolicyEngine(defaultPolicyDocument, { membership: options.membership }),
      source: 'built-in defaults (ATLAS_POLICY_FILE not set)',
    };
  }
  return {
    engine: new FilePolicyEngine(readPolicyFile(path), { membership: options.membership }),
    source: path,
  };
}
