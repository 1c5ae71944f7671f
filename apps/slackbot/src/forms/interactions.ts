import { actionLabel } from '../changes/action-flow.js';
import { errorMessage } from '../blocks/replies.js';
import type {
  ClickHandler,
  ClickHandlers,
  SubmissionHandler,
  SubmissionHandlers,
} from '../listeners/handlers.js';
import { formActionIds, formCallbackIds } from './backup-form.js';

/**
 * Picking a project, cluster, snapshot, delivery, target project or what to restore, or typing a
 * moment, reloads what depends on it (a moment is checked against the window as it is typed).
 */
const reload: ClickHandler = ({ body }, bot) => {
  const view = body.view;
  if (!view) return;
  const user = { id: body.user.id, name: body.user.name ?? body.user.username };
  bot.tasks.run('refresh form', () => bot.forms.changed(bot.slack, view, user));
};

export const formClicks: ClickHandlers = {
  [formActionIds.project]: reload,
  [formActionIds.cluster]: reload,
  [formActionIds.delivery]: reload,
  [formActionIds.targetProject]: reload,
  [formActionIds.snapshot]: reload,
  [formActionIds.scope]: reload,
  [formActionIds.pointInTime]: reload,
};

/** Review on a restore or export form: checked, then proposed as a change like a typed command. */
const review: SubmissionHandler = async ({ ack, body, view }, bot) => {
  const submission = await bot.forms.submission(view, body.user.id);
  if (!submission.ok) {
    await ack(
      'gone' in submission
        ? { response_action: 'update', view: submission.gone }
        : { response_action: 'errors', errors: submission.errors },
    );
    return;
  }
  await ack();
  const { form, draft } = submission;
  const inv = bot.invocation(body.user.id, body.user.name, form.channelId, form.responseUrl);
  bot.tasks.run(`${draft.action} from form`, async () => {
    try {
      await bot.flow.propose(inv, draft.action, draft.params, draft.reason);
    } catch (error) {
      await inv.replier.ephemeral(errorMessage(error, actionLabel(draft.action)));
    }
  });
};

export const formSubmissions: SubmissionHandlers = {
  [formCallbackIds.restore]: review,
  [formCallbackIds.export]: review,
};
