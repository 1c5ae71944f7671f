import { writeSync } from 'node:fs';

const enterAltScreen = '\u001b[?1049h\u001b[H';
// Plain attributes, the cursor shown, the main screen back (with what was on it before).
const restoreScreen = '\u001b[0m\u001b[?25h\u001b[?1049l';

export interface TerminalSession {
  /**
   * Puts the terminal back as it was found: raw mode off, attributes reset, cursor shown, the
   * alternate screen left. Synchronous and idempotent, so it can run from an `exit` handler and
   * after a crash, whatever state the UI was in.
   */
  restore(): void;
}

/**
 * Takes the terminal over for a full-screen UI (the alternate screen, when stdout is one) and
 * makes sure it is handed back on every way out: `restore` is also run when the process exits,
 * for exits nobody planned (a `process.exit` deep in a library, a closed terminal).
 */
export function takeOverTerminal(): TerminalSession {
  const { stdout, stdin } = process;
  const fullscreen = stdout.isTTY === true;
  if (fullscreen) stdout.write(enterAltScreen);
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    try {
      if (stdin.isTTY && stdin.isRaw) stdin.setRawMode(false);
    } catch {
      // The terminal is gone; there is nothing to restore.
    }
    if (!fullscreen) return;
    try {
      // Written synchronously: this may run in an `exit` handler, after which nothing is flushed.
      writeSync(stdout.fd, restoreScreen);
    } catch {
      // As above.
    }
  };
  process.on('exit', restore);
  return { restore };
}
