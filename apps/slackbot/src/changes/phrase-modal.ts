import type { ActionPreview } from '@atlas-backups/core';
import type { types } from '@slack/bolt';
import { slackLimits } from '../blocks/limits.js';
import { mrkdwnObject, plain, type Block } from '../blocks/message.js';
import { join, mrkdwn } from '../blocks/slack-text.js';

export const phraseCallbackId = 'atlas_confirm_phrase';
export const phraseBlockId = 'phrase';
export const phraseActionId = 'phrase_value';

/**
 * What the form's private_metadata carries: which confirmation, and the Confirm click's
 * response_url to answer on. Who asked and from where come from the stored confirmation.
 */
export interface PhraseMetadata {
  confirmationId: string;
  responseUrl?: string | undefined;
}

/** The deliberate step for destructive changes on production: type the target's name. */
export function phraseModal(preview: ActionPreview, meta: PhraseMetadata): types.ModalView {
  const blocks: Block[] = [{ type: 'section', text: mrkdwnObject(mrkdwn`*${preview.title}*`) }];
  if (preview.warnings.length > 0)
    blocks.push({
      type: 'section',
      text: mrkdwnObject(
        join(
          preview.warnings.map((w) => mrkdwn`:warning: ${w}`),
          '\n',
        ),
      ),
    });
  blocks.push({
    type: 'input',
    block_id: phraseBlockId,
    label: plain(
      `${preview.projectName ?? preview.projectId} is production. Type ${preview.confirmPhrase ?? ''} to confirm.`,
      2000,
    ),
    element: {
      type: 'plain_text_input',
      action_id: phraseActionId,
      placeholder: plain(preview.confirmPhrase ?? '', 150),
    },
  });
  return {
    type: 'modal',
    callback_id: phraseCallbackId,
    title: plain('Confirm on production', slackLimits.viewTitle),
    submit: plain('Confirm', slackLimits.viewTitle),
    close: plain('Back', slackLimits.viewTitle),
    private_metadata: JSON.stringify(meta),
    blocks,
  };
}
