import type { ActionPreview } from '@atlas-backups/core';
import type { MessageBuilder } from './message.js';
import { join, mrkdwn, text } from './slack-text.js';

/** A change's facts (one bullet each), as every message that explains it shows them. */
export function previewFacts(b: MessageBuilder, preview: Pick<ActionPreview, 'lines'>): void {
  if (preview.lines.length > 0)
    b.section(
      join(
        preview.lines.map((l) => mrkdwn`• ${l}`),
        '\n',
      ),
      text(preview.lines.join('\n')),
    );
}

/** What someone must accept before a change: each consequence with a warning sign. */
export function previewWarnings(b: MessageBuilder, preview: Pick<ActionPreview, 'warnings'>): void {
  if (preview.warnings.length > 0)
    b.section(
      join(
        preview.warnings.map((w) => mrkdwn`:warning: ${w}`),
        '\n',
      ),
      text(preview.warnings.join('\n')),
    );
}
