import type { ActionInput, ActionName } from '@atlas-backups/core';
import { actionLabel } from '../changes/action-flow.js';
import type { FormKind } from '../forms/backup-form.js';
import type { Args } from './args/args.js';
import { projectOption, reasonOption } from './args/values.js';
import { projectFor, type CommandAnswer, type CommandContext } from './command.js';

/** A change to Atlas asked for in words: core's action and its typed params, minus the resolved project ids. */
export interface ChangeCommand<A extends ActionName> {
  kind: 'action';
  action: A;
  params: ActionInput<A>;
  /** Project of the source cluster, by id or name; the channel's default when absent. */
  project?: string | undefined;
  /** Project of a restore's target, by id or name; the source project when absent. */
  targetProject?: string | undefined;
  /** Why, shown to approvers when policy asks for approval (`--reason`). */
  reason?: string | undefined;
  /** `--break-glass`: run at once, with the reason, where the rule allows this person. */
  breakGlass?: boolean | undefined;
}

/** A restore or export asked for with no words: its form opens instead. */
export interface OpenFormCommand<K extends FormKind> {
  kind: 'openModal';
  modal: K;
}

/** `--project` and `--reason`, which every change takes (`changeFlags`). */
export function changeOptions(args: Args): {
  project: string | undefined;
  reason?: string;
  breakGlass?: true;
} {
  return {
    project: projectOption(args),
    ...reasonOption(args),
    ...(args.has('break-glass') ? { breakGlass: true as const } : {}),
  };
}

/**
 * Resolves the projects a change names and hands it to the action flow, which explains it and
 * asks for confirmation. A change onto a target cluster also gets its target project.
 */
export function proposeChange(command: ChangeCommand<ActionName>, ctx: CommandContext): CommandAnswer {
  return {
    failure: actionLabel(command.action),
    afterAck: async () => {
      const project = await projectFor(ctx, command.project);
      const params: Record<string, unknown> = { ...command.params, groupId: project.id };
      if ('targetClusterName' in command.params) {
        const target =
          command.targetProject === undefined
            ? project
            : await ctx.bot.projects.resolve(ctx.inv.actor, command.targetProject);
        params.targetGroupId = target.id;
      }
      await ctx.bot.flow.propose(ctx.inv, command.action, params, command.reason, command.breakGlass);
    },
  };
}

/** Opens the restore or export form; it must open within three seconds of the command. */
export function openForm(kind: FormKind, { inv, triggerId, bot }: CommandContext): CommandAnswer {
  return {
    urgent: `open ${kind} form`,
    work: () =>
      bot.forms.open(bot.slack, kind, triggerId, {
        actor: inv.actor,
        channelId: inv.channelId,
        responseUrl: inv.responseUrl,
      }),
  };
}
