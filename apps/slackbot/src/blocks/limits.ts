/** Slack's published Block Kit and message limits that this bot's output must stay within. */
export const slackLimits = {
  blocksPerMessage: 50,
  blocksPerView: 100,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  contextElements: 10,
  buttonText: 75,
  actionValue: 2000,
  optionText: 75,
  optionValue: 150,
  optionsPerSelect: 100,
  viewTitle: 24,
  privateMetadata: 3000,
  /** Fallback `text` is cut here, well under Slack's 40,000 hard limit, as Slack advises. */
  fallbackText: 4000,
} as const;

/** Cuts text to `max` characters (code points), marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  return `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}
