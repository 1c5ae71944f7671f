import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { actionNames } from '../actions/catalogue.js';
import { parseDuration } from './duration.js';

/**
 * What a policy rule can name: every core action, `read` (seeing a project at all), and
 * `snapshot.retention.shorten`, the part of `snapshot.retention` that brings a deletion closer
 * (its preview's risk is `destructive`).
 */
export const policyActions = ['read', ...actionNames, 'snapshot.retention.shorten'] as const;
export type PolicyAction = (typeof policyActions)[number];

/** `*`, a policy action, or a dotted prefix of some (`restore`, `restore.*`, `snapshot.retention`). */
export function isActionPattern(pattern: string): boolean {
  if (pattern === '*') return true;
  const base = pattern.endsWith('.*') ? pattern.slice(0, -2) : pattern;
  return policyActions.some((a) => a === base || a.startsWith(`${base}.`));
}

/** A pattern covers the action itself and everything below it: `snapshot.retention` covers `.shorten`. */
export function actionMatches(pattern: string, action: PolicyAction): boolean {
  if (pattern === '*') return true;
  const base = pattern.endsWith('.*') ? pattern.slice(0, -2) : pattern;
  return action === base || action.startsWith(`${base}.`);
}

const userId = z
  .string({ error: 'must be a Slack user id such as U0123ABCD' })
  .regex(/^[UW][A-Z0-9]+$/, 'must be a Slack user id such as U0123ABCD (not a name or @handle)');
const userGroupId = z
  .string({ error: 'must be a Slack user group id such as S0123ABCD' })
  .regex(/^S[A-Z0-9]+$/, 'must be a Slack user group id such as S0123ABCD (not a @handle)');
const channelId = z
  .string({ error: 'must be a Slack channel id such as C0123ABCD' })
  .regex(/^[CG][A-Z0-9]+$/, 'must be a Slack channel id such as C0123ABCD (not #name)');

const projectRef = z
  .strictObject({
    id: z
      .string()
      .regex(/^[0-9a-f]{24}$/, 'must be a 24-hexadecimal-digit Atlas project id')
      .optional(),
    name: z.string().min(1, 'must not be empty').optional(),
  })
  .refine((p) => (p.id === undefined) !== (p.name === undefined), {
    error: 'give exactly one of id or name',
  });

const projectSelector = z
  .strictObject({
    id: z
      .string()
      .regex(/^[0-9a-f]{24}$/, 'must be a 24-hexadecimal-digit Atlas project id')
      .optional(),
    name: z.string().min(1, 'must not be empty').optional(),
    production: z.boolean({ error: 'must be true or false' }).optional(),
    tag: z
      .string()
      .regex(/^[^=\s]+=[^=]*$/, 'must be key=value, e.g. environment=production')
      .optional(),
  })
  .refine((p) => Object.values(p).filter((v) => v !== undefined).length === 1, {
    error: 'give exactly one of id, name, production or tag',
  });

const duration = z
  .string({ error: 'must be a duration such as 30m, 2h or 1d' })
  .refine((s) => parseDuration(s) !== undefined, 'must be a duration such as 30m, 2h or 1d')
  .transform((s) => parseDuration(s) ?? 0)
  .refine((ms) => ms >= 60_000, 'must be at least 1m')
  .refine((ms) => ms <= 30 * 86_400_000, 'must be at most 30d');

const approverLists = z.strictObject({
  users: z.array(userId).default([]),
  usergroups: z.array(userGroupId).default([]),
});
const approvers = approverLists.default({ users: [], usergroups: [] });

const approvalCount = z
  .number({ error: 'must be a whole number of approvers' })
  .int('must be a whole number of approvers')
  .min(1, 'must be at least 1');

/** One pool of approvers: `required` of its people must approve. */
const pool = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty').max(40, 'must be at most 40 characters'),
  required: approvalCount.default(1),
  approvers,
});

/** After `after`, the request is escalated: `to` may approve in place of any pool, and `channel` is told. */
const escalation = z
  .strictObject({
    after: duration,
    to: approvers,
    channel: channelId.optional(),
  })
  .refine((e) => e.to.users.length + e.to.usergroups.length > 0 || e.channel !== undefined, {
    error: 'name the people (to.users, to.usergroups) or the channel to escalate to',
  });

function tooFewUsers(
  a: { required: number; approvers: { users: string[]; usergroups: string[] } },
  path: PropertyKey[],
  ctx: z.RefinementCtx,
): void {
  const { users, usergroups } = a.approvers;
  if (usergroups.length === 0 && users.length > 0 && new Set(users).size < a.required) {
    ctx.addIssue({
      code: 'custom',
      path: [...path, 'required'],
      message: `needs ${a.required} approvers but approvers.users lists only ${new Set(users).size}`,
    });
  }
}

const approval = z
  .strictObject({
    required: approvalCount.optional(),
    approvers: approverLists.optional(),
    pools: z.array(pool).min(1, 'must list at least one pool').optional(),
    ttl: duration.optional(),
    remindAfter: duration.optional(),
    escalate: escalation.optional(),
  })
  .superRefine((a, ctx) => {
    if (a.pools !== undefined) {
      if (a.required !== undefined || a.approvers !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['pools'],
          message: 'give either pools or required and approvers, not both',
        });
      a.pools.forEach((p, i) => tooFewUsers(p, ['pools', i], ctx));
      const names = a.pools.map((p) => p.name);
      names.forEach((name, i) => {
        if (names.indexOf(name) !== i)
          ctx.addIssue({ code: 'custom', path: ['pools', i, 'name'], message: `${name} is named twice` });
      });
    } else if (a.required === undefined) {
      ctx.addIssue({ code: 'custom', path: ['required'], message: 'must be at least 1' });
    } else {
      tooFewUsers({ required: a.required, approvers: a.approvers ?? { users: [], usergroups: [] } }, [], ctx);
    }
  })
  .transform(({ required, approvers: who, pools, ...rest }) => ({
    ...rest,
    pools: pools ?? [
      { name: 'approvers', required: required ?? 1, approvers: who ?? { users: [], usergroups: [] } },
    ],
  }));

/** Checked as the file is read, so a pattern that is not a regular expression stops the start. */
const reasonPattern = z.string().superRefine((s, ctx) => {
  try {
    new RegExp(s, 'u');
  } catch (error) {
    ctx.addIssue({
      code: 'custom',
      message: `is not a regular expression (${error instanceof Error ? error.message : String(error)})`,
    });
  }
});

/** `reason: required`, or `{ required: true, prompt, pattern }`: a reason must come with the request. */
const reason = z.preprocess(
  (v) => (v === 'required' ? { required: true } : v),
  z
    .strictObject(
      {
        required: z.literal(true, { error: 'must be true (leave reason out when none is needed)' }),
        prompt: z
          .string()
          .trim()
          .min(1, 'must not be empty')
          .max(150, 'must be at most 150 characters')
          .optional(),
        pattern: reasonPattern.optional(),
      },
      { error: 'must be required, or { required: true, prompt: …, pattern: … }' },
    )
    .transform(({ prompt, pattern }) => ({ prompt, pattern })),
);

/** Who may run the rule's actions at once, without approval, by giving a reason (off unless listed). */
const breakGlass = approverLists.refine((b) => b.users.length + b.usergroups.length > 0, {
  error: 'must list users or usergroups (leave breakGlass out to turn it off)',
});

const rule = z
  .strictObject({
    name: z.string().min(1, 'must not be empty').optional(),
    effect: z.enum(['allow', 'deny'], { error: 'must be allow or deny' }).default('allow'),
    actions: z
      .array(
        z.string().refine(isActionPattern, {
          error: `must be * or one of ${policyActions.join(', ')} (a prefix such as restore.* also works)`,
        }),
      )
      .min(1, 'must list at least one action'),
    // `*` (or leaving it out) means every project.
    projects: z.preprocess(
      (v) => (v === '*' ? undefined : v),
      z
        .array(projectSelector, { error: 'must be * or a list of project selectors' })
        .min(1, 'must not be empty; use * for every project')
        .optional(),
    ),
    users: z.array(userId).optional(),
    usergroups: z.array(userGroupId).optional(),
    channels: z.array(channelId).optional(),
    approval: approval.optional(),
    reason: reason.optional(),
    breakGlass: breakGlass.optional(),
    // When the rule's actions and projects match but its people or channels don't: refuse rather
    // than try the rules below.
    otherwise: z.literal('deny', { error: 'must be deny (or left out)' }).optional(),
  })
  .superRefine((r, ctx) => {
    if (r.effect === 'deny' && r.approval !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['approval'], message: 'a deny rule cannot ask for approval' });
    }
    if (r.effect === 'deny' && r.reason !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'a deny rule cannot ask for a reason' });
    }
    if (r.breakGlass !== undefined && r.approval === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['breakGlass'],
        message: 'only a rule that asks for approval can allow break-glass',
      });
    }

    if (r.effect === 'deny' && r.otherwise !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['otherwise'],
        message: 'only an allow rule can say otherwise: deny',
      });
    }
  });

/** How long an approval request stays open when neither the rule nor the file's defaults say. */
export const defaultApprovalTtlMs = 4 * 3_600_000;

/** Top-level keys starting with `x-` are free for YAML anchors (shared approver lists). */
const withoutExtensions = (value: unknown) =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value).filter(([key]) => !key.startsWith('x-')))
    : value;

const policyDocumentShape = z
  .strictObject({
    version: z.literal(1, { error: 'must be 1' }),
    production: z.array(projectRef).default([]),
    defaults: z
      .strictObject({ approvalTtl: duration.default(defaultApprovalTtlMs) })
      .default({ approvalTtl: defaultApprovalTtlMs }),
    rules: z.array(rule, { error: 'must be a list of rules' }).min(1, 'must contain at least one rule'),
  })
  .superRefine((doc, ctx) => {
    doc.rules.forEach((r, i) => {
      const ttl = r.approval?.ttl ?? doc.defaults.approvalTtl;
      for (const key of ['remindAfter', 'escalate'] as const) {
        const after = key === 'escalate' ? r.approval?.escalate?.after : r.approval?.remindAfter;
        if (after !== undefined && after >= ttl)
          ctx.addIssue({
            code: 'custom',
            path: ['rules', i, 'approval', key, ...(key === 'escalate' ? ['after'] : [])],
            message: "must be shorter than the request's ttl, or the request expires first",
          });
      }
    });
  });
export const policyDocumentSchema = z.preprocess(withoutExtensions, policyDocumentShape);

export type PolicyDocument = z.output<typeof policyDocumentSchema>;
export type PolicyRule = PolicyDocument['rules'][number];
export type ProjectSelector = z.output<typeof projectSelector>;

export interface PolicyIssue {
  /** Where in the file, e.g. `rules[2].approval.required`, or `line 4, column 3` for syntax. */
  path: string;
  message: string;
}

/** The policy file could not be used. Names the file and every problem with its place in it. */
export class PolicyFileError extends ConfigError {
  readonly issues: PolicyIssue[];
  constructor(source: string, issues: PolicyIssue[]) {
    super(
      'ATLAS_POLICY_FILE',
      `${source} is not a valid policy (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${issues
        .map((i) => `  ${i.path}: ${i.message}`)
        .join('\n')}`,
    );
    this.issues = issues;
  }
}

/** `['rules', 2, 'approval', 'required']` → `rules[2].approval.required`. */
export function formatPolicyPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out || '(top level)';
}

/** Parses policy text (YAML, of which JSON is a subset), throwing PolicyFileError naming every problem. */
export function parsePolicy(text: string, source = 'policy'): PolicyDocument {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new PolicyFileError(
      source,
      doc.errors.map((e) => ({
        path: e.linePos ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}` : '(syntax)',
        message: (e.message.split('\n')[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, ''),
      })),
    );
  }
  const result = policyDocumentSchema.safeParse(doc.toJS());
  if (!result.success) {
    throw new PolicyFileError(
      source,
      result.error.issues.flatMap((issue): PolicyIssue[] => {
        if (issue.code === 'unrecognized_keys') {
          return issue.keys.map((key) => ({
            path: formatPolicyPath([...issue.path, key]),
            message: 'is not a policy field (check the spelling)',
          }));
        }
        return [{ path: formatPolicyPath(issue.path), message: issue.message }];
      }),
    );
  }
  return result.data;
}

/** A policy file's text; one that cannot be read is a PolicyFileError saying why. */
export function readPolicyText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const why = (error as { code?: string }).code === 'ENOENT' ? 'no such file' : String(error);
    throw new PolicyFileError(path, [{ path: '(file)', message: `cannot be read: ${why}` }]);
  }
}

/** Reads and validates a policy file. */
export function readPolicyFile(path: string): PolicyDocument {
  return parsePolicy(readPolicyText(path), path);
}

/** Slack ids as the policy writes them, for settings that name a person or a group outside it. */
export { userId as slackUserId, userGroupId as slackUserGroupId };
