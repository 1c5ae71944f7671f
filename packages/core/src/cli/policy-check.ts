import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { readPolicyForCli } from './read-policy.js';
import { checkPolicy, formatPolicyWarning } from '../policy/policy-check.js';

const usage = `Usage: pnpm policy:check -- [--file <policy.yaml>]

Checks a policy file as the Slack bot does at start, then warns where rules combine in a way
that is probably not meant (a looser rule catching what a stricter rule for the same action and
project leaves out, a rule that never applies). See docs/policy.md, "How rules combine".

  --file <path>  the policy (default: $ATLAS_POLICY_FILE)

Exit status: 0 valid without warnings, 1 not valid (every problem is listed), 2 valid with warnings.
`;

/** The command, separated from process exits so tests can call it. Returns the exit status. */
export function runPolicyCheck(
  argv: string[],
  env: Record<string, string | undefined>,
  stdout: Writable,
): number {
  let values;
  try {
    // `pnpm policy:check -- --file x` passes the `--` along.
    ({ values } = parseArgs({
      args: argv[0] === '--' ? argv.slice(1) : argv,
      options: { file: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    }));
  } catch (error) {
    stdout.write(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    return 1;
  }
  if (values.help) {
    stdout.write(usage);
    return 0;
  }
  const path = values.file || env.ATLAS_POLICY_FILE?.trim();
  if (!path) {
    stdout.write(
      `No policy file given: use --file <policy.yaml> or set ATLAS_POLICY_FILE. (Without a file the bot uses its built-in defaults.)\n\n${usage}`,
    );
    return 1;
  }
  const document = readPolicyForCli(path, stdout);
  if (!document) return 1;
  const warnings = checkPolicy(document);
  const rules = `${document.rules.length} rule${document.rules.length === 1 ? '' : 's'}`;
  if (warnings.length === 0) {
    stdout.write(`${path}: valid, ${rules}, no warnings.\n`);
    return 0;
  }
  stdout.write(
    `${path}: valid, ${rules}, ${warnings.length} warning${warnings.length === 1 ? '' : 's'}:\n${warnings
      .map((w) => `  ${formatPolicyWarning(w)}\n`)
      .join('')}`,
  );
  return 2;
}

const isMain = process.argv[1] !== undefined && /policy-check\.(js|ts)$/.test(process.argv[1]);
if (isMain) {
  process.exitCode = runPolicyCheck(process.argv.slice(2), process.env, process.stdout);
}
