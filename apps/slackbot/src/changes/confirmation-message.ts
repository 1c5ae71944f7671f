import type { ActionPreview } from '@atlas-backups/core';
import { MessageBuilder, plain, type SlackMessage } from '../blocks/message.js';
import { previewFacts, previewWarnings } from '../blocks/preview.js';
import { formatTime } from '../blocks/format.js';
import { code, mrkdwn, type Mrkdwn } from '../blocks/slack-text.js';

/** The buttons under a confirmation; their value is the confirmation's id. */
export const confirmationActionIds = {
  confirm: 'atlas_confirm',
  cancel: 'atlas_cancel',
} as const;

function previewBody(b: MessageBuilder, preview: ActionPreview): void {
  b.header(preview.title);
  previewFacts(b, preview);
  previewWarnings(b, preview);
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
          action_id: confirmationActionIds.confirm,
          text: plain(needsPhrase ? 'Confirm…' : 'Confirm', 75),
          style: destructive ? 'danger' : 'primary',
          value: confirmationId,
        },
        {
          type: 'button',
          action_id: confirmationActionIds.cancel,
          text: plain('Cancel', 75),
          value: confirmationId,
        },
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
