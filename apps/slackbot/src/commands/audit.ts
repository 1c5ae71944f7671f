import { auditDefaultCount, auditMaxCount } from '../approvals/approval-blocks.js';
import { Args } from './args/args.js';
import { wholeNumber } from './args/values.js';
import { fromApprovals } from './approvals.js';
import { defineCommand } from './command.js';

export const audit = defineCommand({
  topic: 'audit',
  summary: 'Show the latest audit entries, newest first (default 10, at most 50; only you see them)',
  usage: ['/atlas audit [N]'],
  examples: ['/atlas audit', '/atlas audit 25'],
  changes: false,
  parse(rest) {
    const [count] = new Args(rest, {}, 'audit').expect(['the number of entries'], 1);
    return {
      kind: 'audit' as const,
      limit:
        count === undefined
          ? auditDefaultCount
          : wholeNumber(count, 'the number of entries', { max: auditMaxCount }),
    };
  },
  answer: (command, ctx) =>
    fromApprovals(ctx, async (ui, canSee) =>
      ctx.inv.replier.ephemeral(await ui.auditTrail(command.limit, canSee)),
    ),
});
