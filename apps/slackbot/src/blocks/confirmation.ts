import type { ActionPreview, PendingApproval } from '@atlas-backups/core';
import { MessageBuilder, plain, type SlackMessage } from './message.js';
import { formatTime } from './format.js';
import { code, join, mrkdwn, mention, text, type Mrkdwn } from './slack-text.js';

export const actionIds = {
  confirm: 'atlas_confirm',
  cancel: 'atlas_cancel',
} as const;

function previewBody(b: MessageBuilder, preview: ActionPreview): void {
  b.header(preview.title);
  if (preview.lines.length > 0)
    b.section(
      join(
        preview.lines.map((l) => mrkdwn`• ${l}`),
        '\n',
      ),
      text(preview.lines.join('\n')),
    );
  if (preview.warnings.length > 0)
    b.section(
      join(
        preview.warnings.map((w) => mrkdwn`:warning: ${w}`),
        '\n',
      ),
      text(preview.warnings.join('\n')),
    );
  b.context([
    mrkdwn`Project: *${preview.projectName ?? preview.projectId}* (${code(preview.projectId)})`,
    preview.production ? mrkdwn`:rotating_light: *production*` : mrkdwn`not production`,
    mrkdwn`risk: ${preview.risk}`,
  ]);
}

/** The explanation shown before a change, with Confirm and Cancel. The id names the stored confirmation. */
export function confirmationMessage(
  preview: ActionPreview,
  confirmationId: string,
  expiresAt: number,
): SlackMessage {
  const b = new MessageBuilder();
  previewBody(b, preview);
  const destructive = preview.risk === 'destructive';
  const needsPhrase = preview.confirmPhrase !== undefined;
  b.block(
    {
      type: 'actions',
      block_id: 'atlas_confirmation',
      elements: [
        {
          type: 'button',
          action_id: actionIds.confirm,
          text: plain(needsPhrase ? 'Confirm…' : 'Confirm', 75),
          style: destructive ? 'danger' : 'primary',
          value: confirmationId,
        },
        { type: 'button', action_id: actionIds.cancel, text: plain('Cancel', 75), value: confirmationId },
      ],
    },
    mrkdwn`Confirm or Cancel with the buttons.`,
  );
  b.context([
    needsPhrase
      ? mrkdwn`Production: you will be asked to type ${code(preview.confirmPhrase ?? '')} to confirm.`
      : mrkdwn`Nothing happens until you confirm.`,
    mrkdwn`Expires ${formatTime(expiresAt)} UTC.`,
  ]);
  return b.build();
}

/** What replaces the confirmation once it is answered. */
export function confirmationClosedMessage(preview: ActionPreview, outcome: Mrkdwn): SlackMessage {
  return new MessageBuilder()
    .section(mrkdwn`*${preview.title}*\n${outcome}`, mrkdwn`${preview.title}: ${outcome}`)
    .build();
}

/** Shown in the channel when policy sends the request to others for approval. */
export function pendingApprovalMessage(
  preview: ActionPreview,
  approval: PendingApproval,
  requesterId: string,
): SlackMessage {
  const b = new MessageBuilder();
  const needs = approval.rule.required;
  b.section(
    mrkdwn`:hourglass_flowing_sand: *Waiting for approval:* ${preview.title}\nRequested by ${mention(requesterId)}; needs ${needs} approval${needs === 1 ? '' : 's'}.`,
    mrkdwn`Waiting for approval: ${preview.title} (requested by ${requesterId})`,
  );
  if (preview.warnings.length > 0)
    b.section(
      join(
        preview.warnings.map((w) => mrkdwn`:warning: ${w}`),
        '\n',
      ),
      text(preview.warnings.join('\n')),
    );
  b.context([mrkdwn`Request ${code(approval.id)}`, mrkdwn`expires ${formatTime(approval.expiresAt)} UTC`]);
  return b.build();
}

export { previewBody };
