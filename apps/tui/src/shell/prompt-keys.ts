import type { FlowRequest } from '../forms/action-flow.js';
import { useKeys } from '../keys/key-router.js';
import { keyName } from '../keys/key-name.js';
import { matchCommands } from '../navigation/commands.js';
import { editLine, lineAtEnd } from '../terminal/line-editor.js';

/** What covers the page and has the keyboard: help, a prompt, or an action's form and dialog. */
export type Overlay =
  | { kind: 'help' }
  | { kind: 'command'; text: string }
  | { kind: 'filter' }
  | { kind: 'flow'; request: FlowRequest; id: number };

interface PromptKeyOptions {
  overlay: { readonly current: Overlay | undefined };
  setOverlay: (overlay: Overlay | undefined) => void;
  /** The current page's filter, as of now. */
  filter: () => string;
  setFilter: (text: string) => void;
  runCommand: (text: string) => void;
}

/**
 * Keys for the prompts (filter, command) and the help screen. While a form opens, keys typed
 * before it is drawn are dropped rather than sent to the list behind it.
 */
export function usePromptKeys({ overlay, setOverlay, filter, setFilter, runCommand }: PromptKeyOptions) {
  useKeys(
    (input, key) => {
      const open = overlay.current;
      if (!open || open.kind === 'flow') return;
      const name = keyName(input, key);
      if (open.kind === 'help') {
        if (name === 'escape' || name === '?' || name === 'q' || name === 'enter') setOverlay(undefined);
        return;
      }
      if (open.kind === 'filter') {
        if (name === 'enter') return setOverlay(undefined);
        if (name === 'escape') {
          setFilter('');
          return setOverlay(undefined);
        }
        const edited = editLine(lineAtEnd(filter()), name, input, key.ctrl || key.meta);
        if (edited) setFilter(edited.text);
        return;
      }
      // the command prompt
      if (name === 'escape') return setOverlay(undefined);
      if (name === 'enter') {
        setOverlay(undefined);
        return runCommand(open.text);
      }
      if (name === 'tab') {
        const first = matchCommands(open.text)[0];
        if (first) setOverlay({ kind: 'command', text: first.name });
        return;
      }
      if (name === 'backspace' && open.text === '') return setOverlay(undefined);
      const edited = editLine(lineAtEnd(open.text), name, input, key.ctrl || key.meta);
      if (edited) setOverlay({ kind: 'command', text: edited.text });
    },
    'modal',
    () => overlay.current !== undefined,
  );
}
