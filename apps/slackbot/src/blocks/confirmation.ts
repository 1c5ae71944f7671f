import type { ActionPreview, PendingApproval } from '@atlas-backups/core';
import { escapeMrkdwn } from './limits.js';
import { MessageBuilder, plain, type SlackMessage } from './message.js';
import { formatTime } from './format.js';

export const actionIds = {
  confirm: 'atlas_confirm',
  cancel: 'atlas_cancel',
} as const;

function previewBody(b: MessageBuilder, preview: ActionPreview): void {
  b.header(preview.title);
  if (preview.lines.length > 0)
    b.section(preview.lines.map((l) => `• ${escapeMrkdwn(l)}`).join('\n'), preview.lines.join('\n'));
  if (preview.warnings.length > 0)
    b.section(
      preview.warnings.map((w) => `:warning: ${escapeMrkdwn(w)}`).join('\n'),
      preview.warnings.join('\n'),
    );
  const project = `Project: *${escapeMrkdwn(preview.projectName ?? preview.projectId)}* (\`${preview.projectId}\`)`;
  b.context([
    project,
    preview.production ? ':rotating_light: *production*' : 'not production',
    `risk: ${preview.risk}`,
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
    'Confirm or Cancel with the buttons.',
  );
  b.context([
    needsPhrase
      ? `Production: you will be asked to type \`${escapeMrkdwn(preview.confirmPhrase ?? '')}\` to confirm.`
      : 'Nothing happens until you confirm.',
    `Expires ${formatTime(expiresAt)} UTC.`,
  ]);
  return b.build();
}

/** What replaces the confirmation once it is answered. */
export function confirmationClosedMessage(preview: ActionPreview, outcome: string): SlackMessage {
  return new MessageBuilder()
    .section(`*${escapeMrkdwn(preview.title)}*\n${escapeMrkdwn(outcome)}`, `${preview.title}: ${outcome}`)
    .build();
}

/** Shown in the channel when policy sends the request to others for approval. */
export function pendingApprovalMessage(
  preview: ActionPreview,
  approval: PendingApproval,
  requesterId: string,
): SlackMessage {
  const b = new MessageBuilder();
  b.section(
    `:hourglass_flowing_sand: *Waiting for approval:* ${escapeMrkdwn(preview.title)}\nRequested by <@${requesterId}>; needs ${approval.rule.required} approval${approval.rule.required === 1 ? '' : 's'}.`,
    `Waiting for approval: ${preview.title} (requested by ${requesterId})`,
  );
  if (preview.warnings.length > 0)
    b.section(
      preview.warnings.map((w) => `:warning: ${escapeMrkdwn(w)}`).join('\n'),
      preview.warnings.join('\n'),
    );
  b.context([`Request \`${approval.id}\``, `expires ${formatTime(approval.expiresAt)} UTC`]);
  return b.build();
}

export { previewBody };
