import type { Writable } from 'node:stream';
import { isAtlasBackupsError } from '../errors.js';
import { readPolicyFile, type PolicyDocument } from '../policy/policy-file.js';

/** The policy file for a command; when it can't be read or isn't valid, says why on `stdout`. */
export function readPolicyForCli(path: string, stdout: Writable): PolicyDocument | undefined {
  try {
    return readPolicyFile(path);
  } catch (error) {
    if (!isAtlasBackupsError(error)) throw error;
    // The message starts with the variable the bot reads the file from; here the file was given.
    stdout.write(`${error.message.replace(/^ATLAS_POLICY_FILE: /, '')}\n`);
    return undefined;
  }
}
