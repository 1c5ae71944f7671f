import type {
  ActorRef,
  ApprovalChange,
  ApprovalRefusal,
  ApprovalRefusalCode,
  ApprovalRequest,
  ApprovalRule,
  AuditEntry,
} from '@atlas-backups/core';
import { escapeMrkdwn, slackLimits, truncate } from '../blocks/limits.js';
import { MessageBuilder, plain, type SlackMessage } from '../blocks/message.js';
import { formatTime } from '../blocks/format.js';

export const approvalActionIds = {
  approve: 'atlas_approval_approve',
  deny: 'atlas_approval_deny',
  cancel: 'atlas_approval_cancel',
} as const;

export const approvalActionIdSet: ReadonlySet<string> = new Set(Object.values(approvalActionIds));

/** What a message shows of a request; when the request's differs, the message is out of date. */
export function renderedVersion(request: ApprovalRequest): string {
  return `${request.state}|${request.votes.length}|${request.updatedAt}`;
}

const who = (actor: Pick<ActorRef, 'id'> | undefined) => (actor ? `<@${actor.id}>` : 'someone');
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "<@U1>, <@U2> or a member of <!subteam^S9>": who may approve, as Slack shows people. */
export function approversText(rule: Pick<ApprovalRule, 'users' | 'groups'>): string {
  const parts = [
    ...rule.users.map((u) => `<@${u}>`),
    ...rule.groups.map((g) => `a member of <!subteam^${g}>`),
  ];
  if (parts.length === 0) return 'anyone except the requester';
  if (parts.length === 1) return parts[0] ?? '';
  return `${parts.slice(0, -1).join(', ')} or ${parts.at(-1) ?? ''}`;
}

function approvedBy(request: ApprovalRequest): string {
  const votes = request.votes.map((v) => who(v.approver)).join(', ');
  return `${votes || 'nobody'} (${request.votes.length} of ${request.rule.required})`;
}

/** One line on where the request stands, with the people who moved it. */
export function statusLine(request: ApprovalRequest, jobChannel?: string): string {
  const nothing = 'Nothing was done.';
  switch (request.state) {
    case 'open':
      return request.votes.length === 0
        ? `:hourglass_flowing_sand: *Waiting for approval*: 0 of ${request.rule.required}.`
        : `:hourglass_flowing_sand: *Waiting for approval*: approved by ${approvedBy(request)}; ${plural(request.remaining, 'more approval')} needed.`;
    case 'approved':
      return `:white_check_mark: *Approved* by ${approvedBy(request)}. Starting it now.`;
    case 'executing':
      return `:arrows_counterclockwise: *Approved* by ${approvedBy(request)}. *Executing*: sending it to Atlas.`;
    case 'executed': {
      const summary = request.execution?.summary ?? 'Done.';
      const where = request.execution?.job
        ? ` Its progress is followed${jobChannel ? ` in <#${jobChannel}>` : ''}.`
        : '';
      return `:white_check_mark: *Executed*, approved by ${approvedBy(request)}: ${escapeMrkdwn(summary)}.${where}`;
    }
    case 'failed': {
      const e = request.error;
      const why = e
        ? `${escapeMrkdwn(e.message)}${e.hint ? ` ${escapeMrkdwn(e.hint)}` : ''} (\`${e.code}\`)`
        : '';
      return `:x: *Failed* after approval by ${approvedBy(request)}: ${why}`;
    }
    case 'denied':
      return `:no_entry: *Denied* by ${who(request.closedBy)}: “${escapeMrkdwn(request.closeReason ?? '')}”. ${nothing}`;
    case 'cancelled':
      return `:no_entry_sign: *Cancelled* by ${who(request.closedBy)}, who requested it. ${nothing}`;
    case 'expired':
      return `:hourglass: *Expired* ${formatTime(request.expiresAt)} UTC with ${request.votes.length} of ${request.rule.required} approvals. ${nothing}`;
  }
}

function plainStatus(request: ApprovalRequest): string {
  return statusLine(request)
    .replace(/:[a-z_]+: /, '')
    .replace(/\*/g, '')
    .replace(/<@([A-Z0-9]+)>/g, '$1')
    .replace(/<!subteam\^([A-Z0-9]+)>/g, '$1')
    .replace(/<#([A-Z0-9]+)>/g, '$1');
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
  b.section(
    `:lock: *Approval ${request.state === 'open' ? 'needed' : 'request'}* — <@${request.requester.id}> asked for this.`,
    `Approval request by ${request.requester.id}: ${preview.title}`,
  );
  if (preview.lines.length > 0)
    b.section(preview.lines.map((l) => `• ${escapeMrkdwn(l)}`).join('\n'), preview.lines.join('\n'));
  if (preview.warnings.length > 0)
    b.section(
      preview.warnings.map((w) => `:warning: ${escapeMrkdwn(w)}`).join('\n'),
      preview.warnings.join('\n'),
    );
  const fields: [string, string][] = [
    ['Requested by', `<@${request.requester.id}>`],
    ['Reason', request.reason ? escapeMrkdwn(truncate(request.reason, 500)) : '_none given_'],
    ['Needs', `${plural(rule.required, 'approval')} from ${approversText(rule)}`],
    ['Expires', `${formatTime(request.expiresAt)} UTC`],
  ];
  b.fields(
    fields,
    `Needs ${plural(rule.required, 'approval')}; expires ${formatTime(request.expiresAt)} UTC`,
  );
  b.section(statusLine(request, options.jobChannel), plainStatus(request));
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
      'Approve, Deny or Cancel request with the buttons.',
    );
  }
  b.context([
    `Request \`${request.id}\``,
    `Project *${escapeMrkdwn(preview.projectName ?? preview.projectId)}* (\`${preview.projectId}\`)`,
    preview.production ? ':rotating_light: *production*' : 'not production',
    `risk: ${preview.risk}`,
    `updated ${formatTime(request.updatedAt)} UTC`,
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
};

/** Why a click was refused: the code's headline, the engine's sentence, and the approvers when that helps. */
export function refusalMessage(refusal: ApprovalRefusal): SlackMessage {
  const b = new MessageBuilder();
  const lead = refusalLead[refusal.code];
  b.section(`:no_entry: *${lead}* ${escapeMrkdwn(refusal.reason)}`, `${lead} ${refusal.reason}`);
  const rule = refusal.request?.rule;
  if (refusal.code === 'NOT_AN_APPROVER' && rule)
    b.section(`Who may approve: ${approversText(rule)}.`, 'Only the listed approvers count.');
  if (refusal.code === 'SELF_APPROVAL' && rule)
    b.section(
      `Ask ${approversText(rule)} to approve it, or cancel it with *Cancel request*.`,
      'Ask an approver, or cancel it.',
    );
  b.context([`\`${refusal.code}\``, ...(refusal.request ? [`request \`${refusal.request.id}\``] : [])]);
  return b.build();
}

/** The private answer to a click that counted. */
export function voteRecordedMessage(request: ApprovalRequest, votes: number, needed: number): SlackMessage {
  const text = `:ballot_box_with_check: Your approval is recorded: ${votes} of ${request.rule.required}; ${plural(needed, 'more approval')} needed.`;
  return new MessageBuilder()
    .section(text)
    .context([`request \`${request.id}\``])
    .build();
}

export function approvedMessage(request: ApprovalRequest): SlackMessage {
  return new MessageBuilder()
    .section(`:white_check_mark: Approved. ${escapeMrkdwn(request.preview.title)} is starting now.`)
    .context([`request \`${request.id}\``])
    .build();
}

export function closedByYouMessage(request: ApprovalRequest, what: 'denied' | 'cancelled'): SlackMessage {
  return new MessageBuilder()
    .section(`You ${what} the request: ${escapeMrkdwn(request.preview.title)}. Nothing was done.`)
    .context([`request \`${request.id}\``])
    .build();
}

/** What the requester is told when their request moves; undefined when there is nothing to tell. */
export function requesterNotice(change: ApprovalChange, jobChannel?: string): SlackMessage | undefined {
  const { request, by } = change;
  const you = `<@${request.requester.id}>`;
  const title = escapeMrkdwn(request.preview.title);
  let text: string;
  switch (change.kind) {
    case 'voted':
      text = `:ballot_box_with_check: ${you} ${who(by)} approved your request (${request.votes.length} of ${request.rule.required}); ${plural(request.remaining, 'more approval')} needed.`;
      break;
    case 'approved':
      text = `:white_check_mark: ${you} your request was approved by ${approvedBy(request)}; starting it now.`;
      break;
    case 'executed':
    case 'failed':
    case 'denied':
    case 'expired':
      text = `${you} ${statusLine(request, jobChannel)}`;
      break;
    default:
      return undefined;
  }
  return new MessageBuilder()
    .section(text, `${request.requester.id}: ${title}: ${plainStatus(request)}`)
    .build();
}

/** `/atlas approvals`: every open request, oldest first. */
export function openRequestsMessage(requests: ApprovalRequest[]): SlackMessage {
  const b = new MessageBuilder();
  b.section(`*Open approval requests* (${requests.length})`, `Open approval requests (${requests.length})`);
  if (requests.length === 0) return b.section('_Nothing is waiting for approval._', 'None.').build();
  for (const r of requests) {
    if (b.remaining <= 1) {
      b.omit(requests.length - requests.indexOf(r), 'requests');
      break;
    }
    const reason = r.reason ? ` — “${escapeMrkdwn(truncate(r.reason, 200))}”` : '';
    b.section(
      [
        `*${escapeMrkdwn(r.preview.title)}*`,
        `by <@${r.requester.id}>${reason}`,
        `${r.votes.length} of ${r.rule.required} approvals from ${approversText(r.rule)}; expires ${formatTime(r.expiresAt)} UTC · \`${r.id}\``,
      ].join('\n'),
      `${r.preview.title} by ${r.requester.id}: ${r.votes.length} of ${r.rule.required}, expires ${formatTime(r.expiresAt)} UTC (${r.id})`,
    );
  }
  b.context(['Approve or deny from the request’s own message; it carries the buttons.']);
  return b.build();
}

/**
 * One audit entry as one line of plain facts. People are named, not mentioned, so posting the
 * trail never notifies anyone.
 */
export function auditLine(entry: AuditEntry): string {
  const actor = `${entry.actor.displayName ? `${entry.actor.displayName} ` : ''}(${entry.actor.id})`;
  const where = [entry.projectId, entry.clusterName].filter(Boolean).join('/');
  const parts = [
    `\`${entry.at.slice(0, 19).replace('T', ' ')}\``,
    `*${entry.event}*`,
    `\`${entry.action}\``,
    `by ${escapeMrkdwn(actor)}`,
    where ? `on ${escapeMrkdwn(where)}` : '',
    entry.requestId ? `request \`${entry.requestId}\`` : '',
    entry.atlasJobId ? `job \`${entry.atlasJobId}\`` : '',
    entry.outcome ? `— ${escapeMrkdwn(entry.outcome)}` : '',
    entry.error ? `— \`${entry.error.code}\` ${escapeMrkdwn(entry.error.message)}` : '',
  ];
  return truncate(parts.filter(Boolean).join(' '), 500);
}

export const auditDefaultCount = 10;
export const auditMaxCount = 50;

/** `/atlas audit [N]`: the newest entries first. */
export function auditMessage(entries: AuditEntry[], asked: number): SlackMessage {
  const b = new MessageBuilder();
  const head = `*Audit trail*: the latest ${entries.length}${entries.length < asked ? ` (of ${asked} asked)` : ''}, newest first`;
  b.section(head, head.replace(/\*/g, ''));
  if (entries.length === 0) return b.section('_No entries yet._').build();
  b.section(entries.map(auditLine).join('\n'));
  b.context(['Times in UTC. Export the whole trail with `pnpm audit:export`.']);
  return b.build();
}
