/**
 * The emoji the bot writes, and common ones people type. Any other `:name:` stays as written,
 * as Slack shows a name it does not know (and as `10:00:30` must stay).
 */
const emoji: Record<string, string> = {
  warning: '⚠️',
  white_check_mark: '✅',
  heavy_check_mark: '✔️',
  ballot_box_with_check: '☑️',
  x: '❌',
  no_entry: '⛔',
  no_entry_sign: '🚫',
  hourglass: '⌛',
  hourglass_flowing_sand: '⏳',
  rotating_light: '🚨',
  information_source: 'ℹ️',
  pushpin: '📌',
  lock: '🔒',
  unlock: '🔓',
  memory: '📝',
  memo: '📝',
  arrows_counterclockwise: '🔄',
  repeat: '🔁',
  tada: '🎉',
  eyes: '👀',
  '+1': '👍',
  thumbsup: '👍',
  '-1': '👎',
  thumbsdown: '👎',
  wave: '👋',
  bulb: '💡',
  gear: '⚙️',
  rocket: '🚀',
  fire: '🔥',
  clock: '🕒',
  calendar: '📅',
  floppy_disk: '💾',
  package: '📦',
  inbox_tray: '📥',
  outbox_tray: '📤',
  link: '🔗',
  mag: '🔍',
  bell: '🔔',
  large_green_circle: '🟢',
  large_yellow_circle: '🟡',
  red_circle: '🔴',
  question: '❓',
  exclamation: '❗',
  heart: '❤️',
  smile: '😄',
  slightly_smiling_face: '🙂',
  pray: '🙏',
};

export function emojiFor(name: string): string | undefined {
  return Object.hasOwn(emoji, name) ? emoji[name] : undefined;
}

/** `:name:` replaced by the emoji where it is known. */
export function withEmoji(text: string): string {
  return text.replace(/:([a-z0-9_+-]+):/g, (whole, name: string) => emojiFor(name) ?? whole);
}
