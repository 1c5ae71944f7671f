import type { ClickHandlers, SubmissionHandlers } from '../listeners/handlers.js';
import { refusalText } from './action-flow.js';
import { confirmationActionIds } from './confirmation-message.js';
import {
  phraseActionId,
  phraseBlockId,
  phraseCallbackId,
  phraseModal,
  type PhraseMetadata,
} from './phrase-modal.js';

/** Confirm and Cancel under a confirmation. */
export const confirmationClicks: ClickHandlers = {
  [confirmationActionIds.confirm]: ({ body, value: id, inv }, bot) => {
    // The trigger expires in 3 seconds: look up and open the form before anything slow.
    bot.tasks.run(
      'open confirmation form',
      async () => {
        const checked = await bot.confirmations.check(id, inv.userId);
        if (checked.ok && checked.confirmation.preview.confirmPhrase !== undefined) {
          const meta: PhraseMetadata = { confirmationId: id, responseUrl: inv.responseUrl };
          await bot.slack.views.open({
            trigger_id: body.trigger_id,
            view: phraseModal(checked.confirmation.preview, meta),
          });
          return;
        }
        bot.tasks.run('confirm', () => bot.flow.confirm(inv, id));
      },
      { urgent: true },
    );
  },
  [confirmationActionIds.cancel]: ({ value: id, inv }, bot) => {
    bot.tasks.run('cancel', () => bot.flow.cancel(inv, id));
  },
};

/** The typed phrase for a destructive change on production. */
export const confirmationSubmissions: SubmissionHandlers = {
  [phraseCallbackId]: async ({ ack, body, view }, bot) => {
    const meta = JSON.parse(view.private_metadata) as PhraseMetadata;
    const typed = view.state.values[phraseBlockId]?.[phraseActionId]?.value ?? '';
    const checked = await bot.confirmations.check(meta.confirmationId, body.user.id);
    if (!checked.ok) {
      await ack({ response_action: 'errors', errors: { [phraseBlockId]: refusalText(checked) } });
      return;
    }
    const expected = checked.confirmation.preview.confirmPhrase ?? '';
    if (typed.trim() !== expected) {
      await ack({
        response_action: 'errors',
        errors: { [phraseBlockId]: `That is not ${expected}. Type ${expected} exactly, or press Back.` },
      });
      return;
    }
    await ack();
    // The channel is the one the change was asked in, stored with the confirmation.
    const inv = bot.invocation(
      body.user.id,
      body.user.name,
      checked.confirmation.channelId,
      meta.responseUrl,
    );
    bot.tasks.run('confirm with phrase', () =>
      bot.flow.confirmWithPhrase(inv, meta.confirmationId, typed.trim()),
    );
  },
};
