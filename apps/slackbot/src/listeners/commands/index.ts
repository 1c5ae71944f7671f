import type { App } from '@slack/bolt';
import { errorLogText } from '@atlas-backups/core';
import { errorMessage } from '../../blocks/replies.js';
import { writeUnavailableMessage } from '../../blocks/status.js';
import type { CommandAnswer } from '../../commands/command.js';
import { usageErrorMessage } from '../../commands/help.js';
import { parseCommand, type Command } from '../../commands/parse.js';
import type { Invocation } from '../../slack/invocation.js';
import type { BotServices } from '../../services.js';
import type { ListenerDeps } from '../handlers.js';
import { WriteUnavailableError } from '../../state/write-health.js';

/**
 * The slash command: its text is read by the command modules (commands/), and each answers in
 * the way it declares (in the acknowledgement, after it, or at once to open a form).
 */
export function register(app: App, deps: ListenerDeps): void {
  app.command(deps.command, async ({ command: body, ack }) => {
    const parsed = parseCommand(body.text ?? '');
    if (!parsed.ok) {
      await ack({ response_type: 'ephemeral', ...usageErrorMessage(parsed) });
      return;
    }
    const inv = deps.invocation(body.user_id, body.user_name, body.channel_id, body.response_url);
    const answer = parsed.answer({ inv, triggerId: body.trigger_id, bot: deps });
    if ('inAck' in answer) {
      await ack({ response_type: 'ephemeral', ...answer.inAck });
      return;
    }
    await ack();
    if ('urgent' in answer) deps.tasks.run(answer.urgent, answer.work, { urgent: true });
    else deps.tasks.run(`/atlas ${parsed.command.kind}`, () => answered(parsed.command, answer, inv, deps));
  });
}

/** Runs a command's work after the ack; a failure is told to the person, never thrown. */
async function answered(
  command: Command,
  answer: Extract<CommandAnswer, { afterAck: unknown }>,
  inv: Invocation,
  deps: BotServices,
): Promise<void> {
  try {
    await answer.afterAck();
  } catch (error) {
    deps.logger.info(`/atlas ${command.kind} failed: ${errorLogText(error)}`);
    if (error instanceof WriteUnavailableError) {
      await inv.replier.ephemeral(writeUnavailableMessage(error));
      return;
    }
    await inv.replier.ephemeral(errorMessage(error, answer.failure));
  }
}
