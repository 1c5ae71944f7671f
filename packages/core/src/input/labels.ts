import type { BackupLabel } from '../schemas/exports.js';

export type LabelsParse = { labels: BackupLabel[] } | { error: string; item: string };

/**
 * `key=value` labels (an export's customData) as people type them, one item each: split at the
 * first `=`, key and value trimmed, the key not empty. The first bad item is returned with the
 * reason. Lengths and counts are the action's parameters' to check.
 */
export function parseLabels(items: readonly string[]): LabelsParse {
  const labels: BackupLabel[] = [];
  for (const raw of items) {
    const item = raw.trim();
    const at = item.indexOf('=');
    const key = at < 0 ? '' : item.slice(0, at).trim();
    if (key === '') return { error: `"${item}" is not key=value`, item };
    labels.push({ key, value: item.slice(at + 1).trim() });
  }
  return { labels };
}

/** Labels typed in one text, separated by commas (one line) or newlines (a text area); blank pieces are skipped. */
export function parseLabelText(text: string, separator: ',' | '\n'): LabelsParse {
  return parseLabels(text.split(separator).filter((piece) => piece.trim() !== ''));
}

/** Labels as one line, the way they are typed: `ticket=INC-1, note=sev 1`. */
export function formatLabels(
  labels: readonly { key?: string | undefined; value?: string | undefined }[],
): string {
  return labels.map((d) => `${d.key ?? ''}=${d.value ?? ''}`).join(', ');
}
