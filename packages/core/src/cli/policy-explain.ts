import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { readPolicyForCli } from './read-policy.js';
import { parseLabels } from '../input/labels.js';
import { explainPolicy, formatExplanation } from '../policy/explain.js';
import { FilePolicyEngine } from '../policy/file-policy.js';
import { StaticGroupMembership } from '../policy/group-membership.js';
import { policyActions, type PolicyAction } from '../policy/policy-file.js';

const usage = `Usage: pnpm policy:explain -- --file <policy.yaml> --user <U…> --action <action> --project <name>
         [--groups S1,S2] [--channel C…] [--production] [--tag key=value]

Says what the policy lets one person do: whether the action is allowed on the project, with what
approval, which rule decided, and every rule that governs it there. Nothing is asked of Slack or
Atlas: give the person's user groups with --groups, and --production or --tag for what Atlas would
say about the project (projects the file names as production count without it).

  --file <path>       the policy (default: $ATLAS_POLICY_FILE)
  --user <U…>         the Slack user id asking
  --groups <S…,S…>    the user groups they are in (default: none)
  --channel <C…>      the channel they ask from (default: a direct message)
  --action <action>   ${policyActions.join(', ')}
  --project <name>    the project's name (or its 24-hex id with --project-id)
  --project-id <id>
  --production        the project is tagged production in Atlas
  --tag <key=value>   an Atlas project tag (repeatable)

Exit status: 0 allowed (with or without approval), 3 refused, 1 the question or the file is wrong.
`;

/** The command, separated from process exits so tests can call it. Returns the exit status. */
export async function runPolicyExplain(
  argv: string[],
  env: Record<string, string | undefined>,
  stdout: Writable,
): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv[0] === '--' ? argv.slice(1) : argv,
      options: {
        file: { type: 'string' },
        user: { type: 'string' },
        groups: { type: 'string' },
        channel: { type: 'string' },
        action: { type: 'string' },
        project: { type: 'string' },
        'project-id': { type: 'string' },
        production: { type: 'boolean' },
        tag: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
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
  const problems: string[] = [];
  if (!path) problems.push('no policy file: use --file <policy.yaml> or set ATLAS_POLICY_FILE');
  if (!values.user) problems.push('--user is needed (a Slack user id such as U0123ABCD)');
  if (!values.action) problems.push('--action is needed');
  else if (!(policyActions as readonly string[]).includes(values.action))
    problems.push(`--action ${values.action} is not one of ${policyActions.join(', ')}`);
  if (!values.project && !values['project-id']) problems.push('--project (or --project-id) is needed');
  const parsedTags = parseLabels(values.tag ?? []);
  if ('error' in parsedTags) problems.push(`--tag ${parsedTags.item} must be key=value`);
  const tags = 'labels' in parsedTags ? parsedTags.labels : [];
  if (problems.length > 0 || !path || !values.user || !values.action) {
    stdout.write(`${problems.join('\n')}\n\n${usage}`);
    return 1;
  }
  const document = readPolicyForCli(path, stdout);
  if (!document) return 1;
  const groups = (values.groups ?? '')
    .split(',')
    .map((g) => g.trim())
    .filter(Boolean);
  const user = values.user;
  // Only the groups given count: a lookup of any other finds the person absent.
  const membership = new StaticGroupMembership(Object.fromEntries(groups.map((g) => [g, [user]])));
  const engine = new FilePolicyEngine(document, { membership });
  if (values.production) tags.push({ key: 'environment', value: 'production' });
  const explanation = await explainPolicy(engine, {
    actor: { id: user, source: 'slack', groups, channel: values.channel },
    action: values.action as PolicyAction,
    project: { id: values['project-id'] ?? '(any id)', name: values.project ?? '', tags },
  });
  stdout.write(`${formatExplanation(explanation)}\n`);
  return explanation.allowed ? 0 : 3;
}

const isMain = process.argv[1] !== undefined && /policy-explain\.(js|ts)$/.test(process.argv[1]);
if (isMain) {
  void runPolicyExplain(process.argv.slice(2), process.env, process.stdout).then((code) => {
    process.exitCode = code;
  });
}
