import type { ApprovalRequest } from '@atlas-backups/core';
import type { types } from '@slack/bolt';
import { slackLimits } from '../blocks/limits.js';
import { mrkdwnObject, plain, type Block } from '../blocks/message.js';
import { mrkdwn, mention } from '../blocks/slack-text.js';

export const denyCallbackId = 'atlas_approval_deny_reason';
export const denyBlockId = 'deny_reason';
export const denyActionId = 'deny_reason_value';
export const denyReasonMaxLength = 1000;

/** Kept in the form so the answer reaches the person where they clicked. */
export interface DenyMetadata {
  requestId: string;
  channelId: string;
  responseUrl?: string | undefined;
}

/** Deny asks why: the reason is required and shown to the requester and on every message about the request. */
export function denyModal(request: ApprovalRequest, meta: DenyMetadata): types.ModalView {
  const blocks: Block[] = [
    {
      type: 'section',
      text: mrkdwnObject(
        mrkdwn`*${request.preview.title}*\nRequested by ${mention(request.requester.id)}. Nothing will be done.`,
      ),
    },
    {
      type: 'input',
      block_id: denyBlockId,
      label: plain('Why do you deny it?', 2000),
      hint: plain('The requester and everyone who sees the request will read this.', 2000),
      element: {
        type: 'plain_text_input',
        action_id: denyActionId,
        multiline: true,
        min_length: 1,
        max_length: denyReasonMaxLength,
      },
    },
  ];
  return {
    type: 'modal',
    callback_id: denyCallbackId,
    title: plain('Deny the request', slackLimits.viewTitle),
    submit: plain('Deny', slackLimits.viewTitle),
    close: plain('Back', slackLimits.viewTitle),
    private_metadata: JSON.stringify(meta),
    blocks,
  };
}

/** Reads a submitted deny form; a blank reason is named next to the field. */
export function readDenyForm(
  privateMetadata: string,
  values: Record<string, Record<string, { value?: string | null }>>,
): { ok: true; meta: DenyMetadata; reason: string } | { ok: false; errors: Record<string, string> } {
  const meta = JSON.parse(privateMetadata) as DenyMetadata;
  const reason = (values[denyBlockId]?.[denyActionId]?.value ?? '').trim();
  if (reason === '') return { ok: false, errors: { [denyBlockId]: 'Say why you deny it.' } };
  return { ok: true, meta, reason: reason.slice(0, denyReasonMaxLength) };
}
