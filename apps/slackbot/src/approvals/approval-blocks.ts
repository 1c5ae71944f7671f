import type {
  ActorRef,
  ApprovalChange,
  ApprovalRefusal,
  ApprovalRefusalCode,
  ApprovalRequest,
  ApprovalRule,
  AuditEntry,
} from '@atlas-backups/core';
import { approvalPools } from '@atlas-backups/core';
import { slackLimits, truncate } from '../blocks/limits.js';
import { MessageBuilder, plain, type SlackMessage } from '../blocks/message.js';
import { previewFacts, previewWarnings } from '../blocks/preview.js';
import { formatTime } from '../blocks/format.js';
import {
  bold,
  channelLink,
  code,
  join,
  mrkdwn,
  mention,
  text,
  truncateMrkdwn,
  userGroup,
  type Mrkdwn,
} from '../blocks/slack-text.js';

/** The buttons on a request's message; their value is the request's id. */
export const approvalActionIds = {
  approve: 'atlas_approval_approve',
  deny: 'atlas_approval_deny',
  cancel: 'atlas_approval_cancel',
  review: 'atlas_approval_review',
} as const;

/** What a message shows of a request; when the request's differs, the message is out of date. */
export function renderedVersion(request: ApprovalRequest): string {
  return `${request.state}|${request.votes.length}|${request.updatedAt}`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * How a status line shows people, places and emphasis: as Slack renders them in the message, or
 * plainly (ids, no icons) in the fallback text that notifications show.
 */
interface StatusStyle {
  icon: (name: string) => Mrkdwn;
  strong: (words: string) => Mrkdwn;
  person(id: string): Mrkdwn;
  channel(id: string): Mrkdwn;
}

const rich: StatusStyle = {
  icon: (name) => mrkdwn`:${name}: `,
  strong: (words) => bold(words),
  person: mention,
  channel: channelLink,
};

const plainStyle: StatusStyle = {
  icon: () => mrkdwn``,
  strong: (words) => text(words),
  person: (id) => text(id),
  channel: (id) => text(id),
};

const who = (actor: Pick<ActorRef, 'id'> | undefined, style: StatusStyle = rich) =>
  actor ? style.person(actor.id) : mrkdwn`someone`;

/** "<@U1>, <@U2> or a member of <!subteam^S9>": who may approve, as Slack shows people. */
export function approversText(rule: Pick<ApprovalRule, 'users' | 'groups'>): Mrkdwn {
  const parts = [
    ...rule.users.map((u) => mention(u)),
    ...rule.groups.map((g) => mrkdwn`a member of ${userGroup(g)}`),
  ];
  if (parts.length === 0) return mrkdwn`anyone except the requester`;
  if (parts.length === 1) return parts[0] ?? mrkdwn``;
  return mrkdwn`${join(parts.slice(0, -1), ', ')} or ${parts.at(-1) ?? mrkdwn``}`;
}

/** Who an escalation lets approve, when it names anyone. */
function escalationApprovers(rule: Pick<ApprovalRule, 'escalation'>): Mrkdwn | undefined {
  const e = rule.escalation;
  return e && e.users.length + e.groups.length > 0 ? approversText(e) : undefined;
}

/** "1 approval from <@U1> (dba) and 2 approvals from a member of <!subteam^S2> (leads)". */
export function needsText(rule: ApprovalRule): Mrkdwn {
  const pools = approvalPools(rule);
  if (pools.length === 1) return mrkdwn`${plural(rule.required, 'approval')} from ${approversText(rule)}`;
  const parts = pools.map(
    (p) => mrkdwn`${plural(p.required, 'approval')} from ${approversText(p)} (${bold(p.name)})`,
  );
  return mrkdwn`${join(parts.slice(0, -1), ', ')} and ${parts.at(-1) ?? mrkdwn``}`;
}

/** Each pool's progress, for a rule with several: "dba 1 of 1 (<@U1>) · leads 0 of 1". */
function poolProgress(request: ApprovalRequest, style = rich): Mrkdwn {
  return join(
    request.pools.map((p) => {
      const done = p.votes.length >= p.required ? style.icon('white_check_mark') : mrkdwn``;
      const people =
        p.votes.length > 0
          ? mrkdwn` (${join(
              p.votes.map((v) => who(v.approver, style)),
              ', ',
            )})`
          : '';
      return mrkdwn`${done}${style.strong(p.name)} ${p.votes.length} of ${p.required}${people}`;
    }),
    ' · ',
  );
}

function approvedBy(request: ApprovalRequest, style = rich): Mrkdwn {
  if (request.breakGlass) return mrkdwn`nobody: break-glass by ${who(request.requester, style)}`;
  const votes = request.votes.map((v) => who(v.approver, style));
  return mrkdwn`${votes.length > 0 ? join(votes, ', ') : 'nobody'} (${request.votes.length} of ${request.rule.required})`;
}

/** One line on where the request stands, with the people who moved it. */
export function statusLine(request: ApprovalRequest, jobChannel?: string, style = rich): Mrkdwn {
  const { icon, strong } = style;
  const by = approvedBy(request, style);
  const nothing = 'Nothing was done.';
  switch (request.state) {
    case 'open':
      return request.votes.length === 0
        ? mrkdwn`${icon('hourglass_flowing_sand')}${strong('Waiting for approval')}: 0 of ${request.rule.required}.`
        : mrkdwn`${icon('hourglass_flowing_sand')}${strong('Waiting for approval')}: approved by ${by}; ${plural(request.remaining, 'more approval')} needed.`;
    case 'approved':
      return mrkdwn`${icon('white_check_mark')}${strong('Approved')} by ${by}. Starting it now.`;
    case 'executing':
      return mrkdwn`${icon('arrows_counterclockwise')}${strong('Approved')} by ${by}. ${strong('Executing')}: sending it to Atlas.`;
    case 'executed': {
      const summary = request.execution?.summary ?? 'Done.';
      const where = request.execution?.job
        ? mrkdwn` Its progress is followed${jobChannel ? mrkdwn` in ${style.channel(jobChannel)}` : ''}.`
        : '';
      return mrkdwn`${icon('white_check_mark')}${strong('Executed')}, approved by ${by}: ${summary}.${where}`;
    }
    case 'failed': {
      const e = request.error;
      const why = e ? mrkdwn`${e.message}${e.hint ? ` ${e.hint}` : ''} (${code(e.code)})` : '';
      return mrkdwn`${icon('x')}${strong('Failed')} after approval by ${by}: ${why}`;
    }
    case 'denied':
      return mrkdwn`${icon('no_entry')}${strong('Denied')} by ${who(request.closedBy, style)}: “${request.closeReason ?? ''}”. ${nothing}`;
    case 'cancelled':
      return mrkdwn`${icon('no_entry_sign')}${strong('Cancelled')} by ${who(request.closedBy, style)}, who requested it. ${nothing}`;
    case 'expired':
      return mrkdwn`${icon('hourglass')}${strong('Expired')} ${formatTime(request.expiresAt)} UTC with ${request.votes.length} of ${request.rule.required} approvals. ${nothing}`;
  }
}

function plainStatus(request: ApprovalRequest): Mrkdwn {
  return statusLine(request, undefined, plainStyle);
}

/**
 * The message about a request, in the approvals channel and the requester's channel: what will
 * happen (the stored preview), who asked and why, how many approvals from whom, the expiry, where
 * it stands, and while it is open the Approve, Deny and Cancel request buttons.
 */
export function approvalRequestMessage(
  request: ApprovalRequest,
  options: { jobChannel?: string } = {},
): SlackMessage {
  const { preview, rule } = request;
  const b = new MessageBuilder();
  b.header(preview.title);
  if (request.breakGlass)
    b.section(
      mrkdwn`:rotating_light: *BREAK-GLASS* — ${mention(request.requester.id)} ran this *without approval*, as the policy allows them. Someone who could have approved it must acknowledge it.`,
      mrkdwn`BREAK-GLASS by ${request.requester.id}: ${preview.title}, run without approval`,
    );
  else
    b.section(
      mrkdwn`:lock: *Approval ${request.state === 'open' ? 'needed' : 'request'}* — ${mention(request.requester.id)} asked for this.`,
      mrkdwn`Approval request by ${request.requester.id}: ${preview.title}`,
    );
  previewFacts(b, preview);
  previewWarnings(b, preview);
  b.fields(
    [
      ['Requested by', mention(request.requester.id)],
      ['Reason', request.reason ? truncate(request.reason, 500) : mrkdwn`_none given_`],
      ['Needs', needsText(rule)],
      ['Expires', `${formatTime(request.expiresAt)} UTC`],
    ],
    mrkdwn`Needs ${plural(rule.required, 'approval')}; expires ${formatTime(request.expiresAt)} UTC`,
  );
  b.section(statusLine(request, options.jobChannel), plainStatus(request));
  if (request.pools.length > 1 && request.state === 'open')
    b.section(mrkdwn`Pools: ${poolProgress(request)}`, mrkdwn`Pools: ${poolProgress(request, plainStyle)}`);
  const escalatedTo = escalationApprovers(rule);
  const timeline = [
    request.remindedAt ? mrkdwn`:bell: Reminded ${formatTime(request.remindedAt)} UTC.` : undefined,
    request.escalatedAt
      ? mrkdwn`:mega: Escalated ${formatTime(request.escalatedAt)} UTC${escalatedTo ? mrkdwn`: ${escalatedTo} may now approve too` : ''}.`
      : undefined,
  ].filter((m) => m !== undefined);
  if (timeline.length > 0) b.section(join(timeline, ' '));
  if (request.breakGlass) {
    const review = request.breakGlass;
    if (review.reviewedAt)
      b.section(
        mrkdwn`:white_check_mark: *Reviewed* by ${who(review.reviewedBy)} ${formatTime(review.reviewedAt)} UTC.`,
        mrkdwn`Reviewed by ${review.reviewedBy?.id ?? 'someone'}`,
      );
    else
      b.block(
        {
          type: 'actions',
          block_id: 'atlas_approval_review',
          elements: [
            {
              type: 'button',
              action_id: approvalActionIds.review,
              text: plain('Acknowledge review', slackLimits.buttonText),
              style: 'primary',
              value: request.id,
            },
          ],
        },
        mrkdwn`Review needed: acknowledge it with the button.`,
      );
  }
  if (request.state === 'open') {
    const destructive = preview.risk === 'destructive';
    b.block(
      {
        type: 'actions',
        block_id: 'atlas_approval',
        elements: [
          {
            type: 'button',
            action_id: approvalActionIds.approve,
            text: plain('Approve', slackLimits.buttonText),
            style: 'primary',
            value: request.id,
            ...(destructive
              ? {
                  confirm: {
                    title: plain('Approve this change?', 100),
                    text: plain(truncate(preview.warnings.join(' ') || preview.title, 300), 300),
                    confirm: plain('Approve', 30),
                    deny: plain('Back', 30),
                    style: 'danger' as const,
                  },
                }
              : {}),
          },
          {
            type: 'button',
            action_id: approvalActionIds.deny,
            text: plain('Deny…', slackLimits.buttonText),
            style: 'danger',
            value: request.id,
          },
          {
            type: 'button',
            action_id: approvalActionIds.cancel,
            text: plain('Cancel request', slackLimits.buttonText),
            value: request.id,
          },
        ],
      },
      mrkdwn`Approve, Deny or Cancel request with the buttons.`,
    );
  }
  b.context([
    mrkdwn`Request ${code(request.id)}`,
    mrkdwn`Project *${preview.projectName ?? preview.projectId}* (${code(preview.projectId)})`,
    preview.production ? mrkdwn`:rotating_light: *production*` : mrkdwn`not production`,
    mrkdwn`risk: ${preview.risk}`,
    mrkdwn`updated ${formatTime(request.updatedAt)} UTC`,
    ...(rule.ruleLabel ? [mrkdwn`policy: ${truncate(rule.ruleLabel, 120)}`] : []),
  ]);
  return b.build();
}

const refusalLead: Record<ApprovalRefusalCode, string> = {
  SELF_APPROVAL: 'Not counted: it is your own request.',
  NOT_AN_APPROVER: 'Not counted: you are not an approver for this request.',
  MEMBERSHIP_UNAVAILABLE: 'Not counted yet: Slack user groups could not be read.',
  ALREADY_VOTED: 'Already counted.',
  EXPIRED: 'Too late: the request has expired.',
  REQUEST_CLOSED: 'Too late: the request is already decided.',
  NOT_REQUESTER: 'Not yours to cancel.',
  REASON_REQUIRED: 'A reason is needed.',
  NOT_FOUND: 'Unknown request.',
  POOL_COMPLETE: 'Not counted: your pool already has its approvals.',
  NOT_BREAK_GLASS: 'Nothing to review.',
  ALREADY_REVIEWED: 'Already reviewed.',
};

/** The reminder, in the request's threads: the approvers mentioned again, and what is still needed. */
export function reminderMessage(request: ApprovalRequest): SlackMessage {
  const waiting = request.pools.filter((p) => p.votes.length < p.required);
  const pools = approvalPools(request.rule);
  const whom = join(
    waiting.map((p) => {
      const pool = pools.find((x) => x.name === p.name);
      return pool ? approversText(pool) : text(p.name);
    }),
    ', ',
  );
  return new MessageBuilder()
    .section(
      mrkdwn`:bell: *Reminder*: ${mention(request.requester.id)}'s request still needs ${plural(request.remaining, 'approval')} from ${whom}; it expires ${formatTime(request.expiresAt)} UTC. Nothing happens by itself when it does.`,
      mrkdwn`Reminder: ${request.preview.title} still needs ${plural(request.remaining, 'approval')}`,
    )
    .build();
}

/** The escalation: who may now approve, posted in the request's threads and the escalation channel. */
export function escalationMessage(request: ApprovalRequest): SlackMessage {
  const escalatedTo = escalationApprovers(request.rule);
  const who = escalatedTo ? mrkdwn` ${escalatedTo} may now approve it for any pool.` : '';
  return new MessageBuilder()
    .section(
      mrkdwn`:mega: *Escalated*: ${bold(request.preview.title)} by ${mention(request.requester.id)} still needs ${plural(request.remaining, 'approval')} and expires ${formatTime(request.expiresAt)} UTC.${who}`,
      mrkdwn`Escalated: ${request.preview.title} still needs ${plural(request.remaining, 'approval')}`,
    )
    .context([mrkdwn`Escalated request ${code(request.id)}`])
    .build();
}

/** Why a click was refused: the code's headline, the engine's sentence, and the approvers when that helps. */
export function refusalMessage(refusal: ApprovalRefusal): SlackMessage {
  const b = new MessageBuilder();
  const lead = refusalLead[refusal.code];
  b.section(mrkdwn`:no_entry: *${lead}* ${refusal.reason}`, mrkdwn`${lead} ${refusal.reason}`);
  const rule = refusal.request?.rule;
  if (refusal.code === 'NOT_AN_APPROVER' && rule)
    b.section(mrkdwn`Who may approve: ${approversText(rule)}.`, mrkdwn`Only the listed approvers count.`);
  if (refusal.code === 'SELF_APPROVAL' && rule)
    b.section(
      mrkdwn`Ask ${approversText(rule)} to approve it, or cancel it with *Cancel request*.`,
      mrkdwn`Ask an approver, or cancel it.`,
    );
  b.context([code(refusal.code), ...(refusal.request ? [mrkdwn`request ${code(refusal.request.id)}`] : [])]);
  return b.build();
}

/** The private answer to a click that counted. */
export function voteRecordedMessage(request: ApprovalRequest, votes: number, needed: number): SlackMessage {
  return new MessageBuilder()
    .section(
      mrkdwn`:ballot_box_with_check: Your approval is recorded: ${votes} of ${request.rule.required}; ${plural(needed, 'more approval')} needed.`,
    )
    .context([mrkdwn`request ${code(request.id)}`])
    .build();
}

export function approvedMessage(request: ApprovalRequest): SlackMessage {
  return new MessageBuilder()
    .section(mrkdwn`:white_check_mark: Approved. ${request.preview.title} is starting now.`)
    .context([mrkdwn`request ${code(request.id)}`])
    .build();
}

export function closedByYouMessage(request: ApprovalRequest, what: 'denied' | 'cancelled'): SlackMessage {
  return new MessageBuilder()
    .section(mrkdwn`You ${what} the request: ${request.preview.title}. Nothing was done.`)
    .context([mrkdwn`request ${code(request.id)}`])
    .build();
}

/** What the requester is told when their request moves; undefined when there is nothing to tell. */
export function requesterNotice(change: ApprovalChange, jobChannel?: string): SlackMessage | undefined {
  const { request, by } = change;
  const you = mention(request.requester.id);
  let notice: Mrkdwn;
  switch (change.kind) {
    case 'voted':
      notice = mrkdwn`:ballot_box_with_check: ${you} ${who(by)} approved your request (${request.votes.length} of ${request.rule.required}); ${plural(request.remaining, 'more approval')} needed.`;
      break;
    case 'approved':
      notice = mrkdwn`:white_check_mark: ${you} your request was approved by ${approvedBy(request)}; starting it now.`;
      break;
    case 'executed':
    case 'failed':
    case 'denied':
    case 'expired':
      notice = mrkdwn`${you} ${statusLine(request, jobChannel)}`;
      break;
    case 'reviewed':
      notice = mrkdwn`:white_check_mark: ${you} ${who(by)} acknowledged the review of your break-glass action.`;
      break;
    default:
      return undefined;
  }
  return new MessageBuilder()
    .section(notice, mrkdwn`${request.requester.id}: ${request.preview.title}: ${plainStatus(request)}`)
    .build();
}

/** `/atlas approvals`: every open request, oldest first, then break-glass actions awaiting review. */
export function openRequestsMessage(
  requests: ApprovalRequest[],
  unreviewed: ApprovalRequest[] = [],
): SlackMessage {
  const b = new MessageBuilder();
  b.section(
    mrkdwn`*Open approval requests* (${requests.length})`,
    mrkdwn`Open approval requests (${requests.length})`,
  );
  if (requests.length === 0) b.section(mrkdwn`_Nothing is waiting for approval._`, mrkdwn`None.`);
  requestSections(b, requests, 'requests', (r, reason) => {
    const expires = `${formatTime(r.expiresAt)} UTC`;
    return [
      mrkdwn`*${r.preview.title}*\nby ${mention(r.requester.id)}${reason}\n${r.votes.length} of ${r.rule.required} approvals from ${approversText(r.rule)}; expires ${expires} · ${code(r.id)}`,
      mrkdwn`${r.preview.title} by ${r.requester.id}: ${r.votes.length} of ${r.rule.required}, expires ${expires} (${r.id})`,
    ];
  });
  if (requests.length > 0)
    b.context([mrkdwn`Approve or deny from the request’s own message; it carries the buttons.`]);
  if (unreviewed.length === 0) return b.build();
  b.divider();
  b.section(
    mrkdwn`:rotating_light: *Break-glass actions awaiting review* (${unreviewed.length})`,
    mrkdwn`Break-glass actions awaiting review (${unreviewed.length})`,
  );
  requestSections(b, unreviewed, 'break-glass actions', (r, reason) => {
    const ran = `${formatTime(r.createdAt)} UTC`;
    return [
      mrkdwn`*${r.preview.title}*\nrun by ${mention(r.requester.id)} at ${ran} without approval${reason} · ${code(r.id)}`,
      mrkdwn`${r.preview.title} run by ${r.requester.id} at ${ran} without approval (${r.id})`,
    ];
  });
  b.context([mrkdwn`Acknowledge the review from the action’s own message; it carries the button.`]);
  return b.build();
}

/** A section per request, with the requester's reason quoted, while the message has room. */
function requestSections(
  b: MessageBuilder,
  requests: ApprovalRequest[],
  what: string,
  section: (request: ApprovalRequest, reason: Mrkdwn) => [text: Mrkdwn, fallback: Mrkdwn],
): void {
  for (const [i, r] of requests.entries()) {
    if (b.remaining <= 1) {
      b.omit(requests.length - i, what);
      break;
    }
    const reason = r.reason ? mrkdwn` — “${truncate(r.reason, 200)}”` : mrkdwn``;
    b.section(...section(r, reason));
  }
}

/**
 * One audit entry as one line of plain facts. People are named, not mentioned, so posting the
 * trail never notifies anyone.
 */
export function auditLine(entry: AuditEntry): Mrkdwn {
  const actor = `${entry.actor.displayName ? `${entry.actor.displayName} ` : ''}(${entry.actor.id})`;
  const where = [entry.projectId, entry.clusterName].filter(Boolean).join('/');
  const parts = [
    entry.breakGlass ? mrkdwn`:rotating_light: *BREAK-GLASS*` : undefined,
    code(entry.at.slice(0, 19).replace('T', ' ')),
    bold(entry.event),
    code(entry.action),
    mrkdwn`by ${actor}`,
    where ? mrkdwn`on ${where}` : undefined,
    entry.requestId ? mrkdwn`request ${code(entry.requestId)}` : undefined,
    entry.reason ? mrkdwn`because “${truncate(entry.reason, 120)}”` : undefined,
    entry.atlasJobId ? mrkdwn`job ${code(entry.atlasJobId)}` : undefined,
    entry.outcome ? mrkdwn`— ${entry.outcome}` : undefined,
    entry.error ? mrkdwn`— ${code(entry.error.code)} ${entry.error.message}` : undefined,
  ];
  return truncateMrkdwn(
    join(
      parts.filter((p) => p !== undefined),
      ' ',
    ),
    500,
  );
}

export const auditDefaultCount = 10;
export const auditMaxCount = 50;

/** `/atlas audit [N]`: the newest entries first. */
export function auditMessage(entries: AuditEntry[], asked: number): SlackMessage {
  const b = new MessageBuilder();
  const latest = `the latest ${entries.length}${entries.length < asked ? ` (of ${asked} asked)` : ''}, newest first`;
  b.section(mrkdwn`*Audit trail*: ${latest}`, mrkdwn`Audit trail: ${latest}`);
  if (entries.length === 0) return b.section(mrkdwn`_No entries yet._`).build();
  b.section(join(entries.map(auditLine), '\n'));
  b.context([mrkdwn`Times in UTC. Export the whole trail with ${code('pnpm audit:export')}.`]);
  return b.build();
}
