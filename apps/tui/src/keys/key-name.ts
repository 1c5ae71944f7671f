import type { Key } from 'ink';

/**
 * One name per key press, as bindings spell them: `enter`, `up`, `shift-tab`, `ctrl-r`, `n`,
 * `R`. Text of more than one character is a paste (or fast typing): never a key, even when it
 * reads `enter` or `q`; prompts and fields take it from `input`.
 */
export function keyName(input: string, key: Key): string {
  if (key.return) return 'enter';
  if (key.escape) return 'escape';
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.pageUp) return 'pageup';
  if (key.pageDown) return 'pagedown';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.tab) return key.shift ? 'shift-tab' : 'tab';
  if (key.backspace || key.delete) return 'backspace';
  if (key.ctrl && input.length === 1) return `ctrl-${input.toLowerCase()}`;
  return input.length === 1 || (input.length === 2 && (input.codePointAt(0) ?? 0) > 0xffff) ? input : '';
}
